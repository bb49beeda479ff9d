package dev.intake.pipeline.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

import dev.intake.transforms.testing.TestPipelineExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Counts as data: summed per key, the newest kept, combined across stages into one file. */
@ExtendWith(TestPipelineExtension.class)
class TalliesTest {
  private static final TallyKey VERSION = TallyKey.of(TallyKey.Kind.NEWEST, "version");

  @Test
  void countsAreSummedPerKeyAndTheNewestIsTheLargest(TestPipeline p) {
    PCollection<KV<TallyKey, Long>> partitions =
        p.apply("Partitions", Create.of("month=2019-03", "month=2019-04", "month=2019-03"))
            .apply("CountPartitions", Tallies.count((String f) -> TallyKey.partition(f)));
    PCollection<KV<TallyKey, Long>> newest =
        p.apply("Versions", Create.of(1552712700000L, 1553104800000L, 1552633200000L))
            .apply("NewestVersion", Tallies.newest((Long t) -> KV.of(VERSION, t)));
    PCollection<KV<TallyKey, Long>> none =
        p.apply("Nothing", Create.empty(StringUtf8Coder.of()))
            .apply("CountNothing", Tallies.count((String f) -> TallyKey.partition(f)));

    PAssert.that(partitions)
        .containsInAnyOrder(
            KV.of(TallyKey.partition("month=2019-03"), 2L),
            KV.of(TallyKey.partition("month=2019-04"), 1L));
    PAssert.that(newest).containsInAnyOrder(KV.of(VERSION, 1553104800000L));
    PAssert.that(none).empty();
    p.run();
  }

  @Test
  void everyStageIsCombinedIntoOneLinePerKey(TestPipeline p, @TempDir Path dir) throws Exception {
    PCollection<KV<TallyKey, Long>> read =
        p.apply("Read", Create.of(3L, 4L))
            .apply("TallyRead", Tallies.sum((Long n) -> KV.of(TallyKey.of(TallyKey.Kind.READ), n)));
    PCollection<KV<TallyKey, Long>> moreRead =
        p.apply("MoreRead", Create.of(5L))
            .apply("TallyMoreRead",
                Tallies.sum((Long n) -> KV.of(TallyKey.of(TallyKey.Kind.READ), n)));
    PCollection<KV<TallyKey, Long>> newest =
        p.apply("Versions", Create.of(20L, 10L))
            .apply("NewestVersion", Tallies.newest((Long t) -> KV.of(VERSION, t)));
    PCollection<KV<TallyKey, Long>> laterNewest =
        p.apply("LaterVersions", Create.of(15L))
            .apply("LaterNewestVersion", Tallies.newest((Long t) -> KV.of(VERSION, t)));
    String path = dir.resolve("tallies.jsonl").toString();

    PCollectionList.of(read).and(moreRead).and(newest).and(laterNewest)
        .apply("Write", Tallies.writeTo(path));
    p.run().waitUntilFinish();

    assertThat(
        Files.readAllLines(Path.of(path)),
        containsInAnyOrder(
            "{\"kind\":\"READ\",\"output\":\"\",\"stage\":\"\",\"reason\":\"\",\"partition\":\"\","
                + "\"amount\":12}",
            "{\"kind\":\"NEWEST\",\"output\":\"version\",\"stage\":\"\",\"reason\":\"\","
                + "\"partition\":\"\",\"amount\":20}"));
  }
}
