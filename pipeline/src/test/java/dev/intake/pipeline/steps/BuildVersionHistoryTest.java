package dev.intake.pipeline.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.history.VersionHistory;
import dev.intake.transforms.sinks.lake.Partitioner;
import dev.intake.transforms.sinks.lake.WriteParquet;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs of {@link BuildVersionHistory} on the DirectRunner, the first one's rows written to the
 * history folder the second one reads: exact rows and counts of each.
 */
class BuildVersionHistoryTest {
  private static final Schema CLEAN =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("requested", Schema.FieldType.DATETIME)
          .addNullableField("updated", Schema.FieldType.DATETIME)
          .addNullableField("status", Schema.FieldType.STRING)
          .build();
  private static final Schema HISTORY = VersionHistory.schema(CLEAN);
  private static final Schema TOMBSTONE = ParseDeletions.schema(CLEAN, List.of("id"));
  private static final Partitioner BY_MONTH = Partitioner.of(
      "requested_month", "requested", Partitioner.Granularity.MONTH, "America/Los_Angeles");

  private static Row clean(long id, String requested, String updated, String status) {
    return Row.withSchema(CLEAN)
        .addValues(id, Instant.parse(requested), Instant.parse(updated), status).build();
  }

  private static Row history(Row version, String to) {
    return Row.withSchema(HISTORY).addValues(version.getValues())
        .addValues(version.getDateTime("updated"), to == null ? null : Instant.parse(to),
            to == null)
        .build();
  }

  // Case 1: opened in February; its last version corrects the request date into March, so its
  // versions lie in two partitions. Its second version arrives late, in the second run.
  private static final Row ONE_OPEN =
      clean(1, "2021-02-20T18:00:00Z", "2021-03-01T10:00:00Z", "Open");
  private static final Row ONE_ASSIGNED =
      clean(1, "2021-02-20T18:00:00Z", "2021-03-05T12:00:00Z", "Assigned");
  private static final Row ONE_CLOSED =
      clean(1, "2021-03-02T18:00:00Z", "2021-03-09T08:30:00Z", "Closed");
  // Case 2: deleted in the second run. Case 3: April, untouched by the second run.
  private static final Row TWO = clean(2, "2021-03-01T18:00:00Z", "2021-03-02T09:00:00Z", "Open");
  private static final Row THREE = clean(3, "2021-04-01T18:00:00Z", "2021-04-02T09:00:00Z", "Open");

  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
  }

  private static BuildVersionHistory build(Path lake) {
    return BuildVersionHistory.of(lake.resolve("history") + "/",
        lake.resolve("tombstones") + "/", List.of("id"), "updated", BY_MONTH);
  }

  private static PCollection<KV<TallyKey, Long>> summed(PCollectionTuple out) {
    return out.get(BuildVersionHistory.TALLIES).apply("Sum", Sum.longsPerKey());
  }

  private static KV<TallyKey, Long> tally(TallyKey.Kind kind, long amount) {
    return KV.of(TallyKey.of(kind), amount);
  }

  private static KV<TallyKey, Long> partition(String p) {
    return KV.of(TallyKey.create(TallyKey.Kind.HISTORY_PARTITION.name(), "", "", "", p), 1L);
  }

  @Test
  void aLateVersionIsSlottedInADeletionClosesAndUntouchedPartitionsAreLeftOut(@TempDir Path lake) {
    Pipeline first = pipeline();
    PCollectionTuple built = first
        .apply("Incoming", Create.of(ONE_OPEN, ONE_CLOSED, ONE_CLOSED, TWO, THREE)
            .withRowSchema(CLEAN))
        .apply("Build", build(lake));
    PAssert.that(built.get(BuildVersionHistory.ROWS)).containsInAnyOrder(
        history(ONE_OPEN, "2021-03-09T08:30:00Z"), history(ONE_CLOSED, null),
        history(TWO, null), history(THREE, null));
    PAssert.that(summed(built)).containsInAnyOrder(
        tally(TallyKey.Kind.HISTORY_VERSIONS, 4), tally(TallyKey.Kind.LATE_VERSIONS, 0),
        partition("requested_month=2021-02"), partition("requested_month=2021-03"),
        partition("requested_month=2021-04"));
    built.get(BuildVersionHistory.ROWS).apply("Write",
        WriteParquet.to(lake.resolve("history") + "/").partitionedBy(BY_MONTH)
            .sortedBy(List.of("id", VersionHistory.VALID_FROM)));
    first.run().waitUntilFinish();

    Pipeline second = pipeline();
    PCollection<Row> deletions = second.apply("Deletions", Create.of(
        Row.withSchema(TOMBSTONE).addValues(2L, Instant.parse("2021-03-06T00:00:00Z"), "r2")
            .build()).withRowSchema(TOMBSTONE));
    PCollectionTuple rebuilt = second
        .apply("Incoming", Create.of(ONE_ASSIGNED, ONE_OPEN).withRowSchema(CLEAN))
        .apply("Build", build(lake).withTombstones(deletions));
    PAssert.that(rebuilt.get(BuildVersionHistory.ROWS)).containsInAnyOrder(
        history(ONE_OPEN, "2021-03-05T12:00:00Z"),
        history(ONE_ASSIGNED, "2021-03-09T08:30:00Z"),
        history(ONE_CLOSED, null),
        Row.withSchema(HISTORY).addValues(TWO.getValues())
            .addValues(TWO.getDateTime("updated"), Instant.parse("2021-03-06T00:00:00Z"), false)
            .build());
    PAssert.that(summed(rebuilt)).containsInAnyOrder(
        tally(TallyKey.Kind.HISTORY_VERSIONS, 1), tally(TallyKey.Kind.LATE_VERSIONS, 1),
        partition("requested_month=2021-02"), partition("requested_month=2021-03"));
    second.run().waitUntilFinish();
  }

  @Test
  void storedTombstonesCloseARecomputedKeyWhichANewerVersionBringsBack(@TempDir Path lake) {
    Pipeline first = pipeline();
    first.apply("Incoming", Create.of(TWO).withRowSchema(CLEAN)).apply("Build", build(lake))
        .get(BuildVersionHistory.ROWS)
        .apply("Write", WriteParquet.to(lake.resolve("history") + "/").partitionedBy(BY_MONTH));
    first.apply("Deletion", Create.of(Row.withSchema(TOMBSTONE)
            .addValues(2L, Instant.parse("2021-03-06T00:00:00Z"), "r1").build())
            .withRowSchema(TOMBSTONE))
        .apply("WriteTombstone", WriteParquet.to(lake.resolve("tombstones/run=r1") + "/"));
    first.run().waitUntilFinish();

    Row back = clean(2, "2021-03-01T18:00:00Z", "2021-03-08T09:00:00Z", "Reopened");
    Pipeline second = pipeline();
    PCollectionTuple rebuilt = second
        .apply("Incoming", Create.of(TWO, back).withRowSchema(CLEAN))
        .apply("Build", build(lake));
    PAssert.that(rebuilt.get(BuildVersionHistory.ROWS)).containsInAnyOrder(
        Row.withSchema(HISTORY).addValues(TWO.getValues())
            .addValues(TWO.getDateTime("updated"), Instant.parse("2021-03-06T00:00:00Z"), false)
            .build(),
        history(back, null));
    PAssert.that(summed(rebuilt)).containsInAnyOrder(
        tally(TallyKey.Kind.HISTORY_VERSIONS, 1), tally(TallyKey.Kind.LATE_VERSIONS, 0),
        partition("requested_month=2021-03"));
    second.run().waitUntilFinish();
  }

  @Test
  void aFailingExpectationFailsTheRun(@TempDir Path lake) {
    Pipeline p = pipeline();
    PCollectionTuple built =
        p.apply(Create.of(TWO).withRowSchema(CLEAN)).apply("Build", build(lake));
    PAssert.that(built.get(BuildVersionHistory.ROWS))
        .containsInAnyOrder(history(TWO, "2021-03-06T00:00:00Z"));
    Throwable e = assertThrows(Throwable.class, () -> p.run().waitUntilFinish());
    assertThat(String.valueOf(e), containsString("AssertionError"));
  }
}
