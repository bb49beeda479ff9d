package dev.intake.pipeline.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.intake.transforms.sinks.lake.LakeInputFile;
import dev.intake.transforms.sinks.lake.Partitioner;
import dev.intake.transforms.sinks.lake.WriteParquet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FindKeyPartitions} on lakes written by the pipeline's own writer: with Bloom filters of
 * the key (as {@link WriteDataset} writes the clean output) the files that cannot hold a wanted key
 * are skipped and the others read, so it finds the same partitions as a read of every key; a file
 * written without filters (by an older build), a filter's false positive and a composite key all
 * cost a read of the file, never a wrong partition.
 */
class FindKeyPartitionsTest {
  private static final Schema CLEAN =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("code", Schema.FieldType.STRING)
          .addNullableField("rank", Schema.FieldType.INT32)
          .addNullableField("requested", Schema.FieldType.DATETIME)
          .build();
  private static final Partitioner BY_MONTH =
      Partitioner.of("month", "requested", Partitioner.Granularity.MONTH, "UTC");
  private static final String[] MONTHS = {"2021-01", "2021-02", "2021-03"};
  private static final int ROWS_PER_MONTH = 2000;
  /** Stored in January and, again, in February. */
  private static final long TWICE = 10_000;

  @TempDir Path lake;

  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
  }

  /** The id of row {@code i} of month {@code m} (0-based): even, so every odd id is absent. */
  private static long id(int m, int i) {
    return (m + 1) * 10_000L + 2L * i;
  }

  private static Row row(long id, int month) {
    return Row.withSchema(CLEAN)
        .addValues(id, "k" + id, (int) id,
            Instant.parse(MONTHS[month] + "-15T00:00:00Z"))
        .build();
  }

  /** Every stored row of the months {@code months}, and TWICE's second row if February is one. */
  private static List<Row> rows(int... months) {
    List<Row> rows = new ArrayList<>();
    for (int m : months) {
      for (int i = 0; i < ROWS_PER_MONTH; i++) {
        rows.add(row(id(m, i), m));
      }
      if (m == 1) {
        rows.add(row(TWICE, 1));
      }
    }
    return rows;
  }

  private String dir(String name) {
    return lake.resolve(name) + "/";
  }

  /** Writes the rows of {@code months} under {@code dir}, with Bloom filters on {@code key}. */
  private static void store(String dir, List<String> key, boolean bloomFilters, int... months) {
    Pipeline p = pipeline();
    WriteParquet write = WriteParquet.to(dir).partitionedBy(BY_MONTH).sortedBy(key);
    p.apply(Create.of(rows(months)).withRowSchema(CLEAN))
        .apply(bloomFilters ? write.withBloomFilterOn(key) : write);
    p.run().waitUntilFinish();
  }

  private static String idKey(long id) {
    return ApplyTombstones.keyText(List.of(Long.toString(id)));
  }

  private static PCollection<String> find(
      Pipeline p, String dir, List<String> key, List<String> keys) {
    return p.apply("Keys", Create.of(keys))
        .apply(FindKeyPartitions.of(dir, CLEAN, key, BY_MONTH));
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
            .addNameFilter(MetricNameFilter.named(FindKeyPartitions.class, name)).build())
        .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  @Test
  void skipsTheFilesThatCannotHoldAKeyAndFindsThoseInOneOrSeveralPartitions() {
    String clean = dir("clean");
    store(clean, List.of("id"), true, 0, 1, 2);
    Pipeline p = pipeline();
    PAssert.that(find(p, clean, List.of("id"),
            List.of(idKey(id(0, 7)), idKey(TWICE), idKey(id(0, 7) + 1), idKey(99))))
        .containsInAnyOrder("month=2021-01", "month=2021-02");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    // March holds none of the keys: its filter says so and no row of it is read.
    assertThat(counter(result, "filesSkipped"), is(1L));
    assertThat(counter(result, "filesRead"), is(2L));
    assertThat(counter(result, "storedKeysScanned"), is(2L * ROWS_PER_MONTH + 1));
  }

  @Test
  void absentKeysReadNoFile() {
    String clean = dir("clean");
    store(clean, List.of("id"), true, 0, 1, 2);
    Pipeline p = pipeline();
    PAssert.that(find(p, clean, List.of("id"), List.of(idKey(id(0, 7) + 1), idKey(id(2, 5) + 1))))
        .empty();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "filesSkipped"), is(3L));
    assertThat(counter(result, "storedKeysScanned"), is(0L));
  }

  @Test
  void aFileWrittenWithoutBloomFiltersIsRead() {
    String clean = dir("clean");
    store(clean, List.of("id"), true, 0, 1);
    store(clean, List.of("id"), false, 2);
    Pipeline p = pipeline();
    PAssert.that(find(p, clean, List.of("id"), List.of(idKey(id(2, 3)), idKey(id(0, 3)))))
        .containsInAnyOrder("month=2021-01", "month=2021-03");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "filesSkipped"), is(1L));
    assertThat(counter(result, "filesRead"), is(2L));
  }

  @Test
  void aFalsePositiveOfAFilterCostsAReadNotAWrongPartition() throws IOException {
    String clean = dir("clean");
    store(clean, List.of("id"), true, 0, 1, 2);
    long absent = absentIdFebruarysFilterMayHold(clean + "month=2021-02/part-00000.parquet");
    Pipeline p = pipeline();
    PAssert.that(find(p, clean, List.of("id"), List.of(idKey(absent)))).empty();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "filesRead"), is(1L));
    assertThat(counter(result, "storedKeysScanned"), is(ROWS_PER_MONTH + 1L));
  }

  /** An odd id (stored nowhere) that the Bloom filter of {@code file}'s ids says it may hold. */
  private static long absentIdFebruarysFilterMayHold(String file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(LakeInputFile.of(file))) {
      BlockMetaData group = reader.getRowGroups().get(0);
      ColumnChunkMetaData ids = group.getColumns().get(0);
      BloomFilter filter = reader.getBloomFilterDataReader(group).readBloomFilter(ids);
      for (long id = 1; id < 1L << 31; id += 2) {
        // At 1e-5 per probe, about one in 100,000 absent ids.
        if (filter.findHash(filter.hash(id))) {
          return id;
        }
      }
    }
    throw new AssertionError("no false positive among a billion absent ids");
  }

  @Test
  void textAndIntKeysAreProbedToo() {
    String byCode = dir("by_code");
    String byRank = dir("by_rank");
    store(byCode, List.of("code"), true, 0, 1, 2);
    store(byRank, List.of("rank"), true, 0, 1, 2);
    Pipeline p = pipeline();
    PAssert.that(p.apply("Codes", Create.of(
                ApplyTombstones.keyText(List.of("k" + id(1, 4))),
                ApplyTombstones.keyText(List.of("k" + (id(1, 4) + 1)))))
            .apply("FindCodes", FindKeyPartitions.of(byCode, CLEAN, List.of("code"), BY_MONTH)))
        .containsInAnyOrder("month=2021-02");
    PAssert.that(p.apply("Ranks", Create.of(
                ApplyTombstones.keyText(List.of(Long.toString(id(2, 9)))),
                ApplyTombstones.keyText(List.of(Long.toString(id(2, 9) + 1)))))
            .apply("FindRanks", FindKeyPartitions.of(byRank, CLEAN, List.of("rank"), BY_MONTH)))
        .containsInAnyOrder("month=2021-03");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "filesSkipped"), is(4L));
    assertThat(counter(result, "filesRead"), is(2L));
  }

  @Test
  void aCompositeKeyReadsEveryFile() {
    String clean = dir("clean");
    List<String> key = List.of("id", "code");
    store(clean, key, true, 0, 1, 2);
    Pipeline p = pipeline();
    long id = id(2, 11);
    PAssert.that(find(p, clean, key, List.of(
            ApplyTombstones.keyText(List.of(Long.toString(id), "k" + id)),
            ApplyTombstones.keyText(List.of(Long.toString(TWICE), "k" + TWICE)),
            ApplyTombstones.keyText(List.of(Long.toString(id), "k0")))))
        .containsInAnyOrder("month=2021-01", "month=2021-02", "month=2021-03");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "filesSkipped"), is(0L));
    assertThat(counter(result, "filesRead"), is(3L));
  }

  @Test
  void keyTextsGoBackToTheValuesTheyWereMadeOf() {
    List<String> values = Arrays.asList("12:3", null, "", "a:b:");
    assertThat(ApplyTombstones.keyValues(ApplyTombstones.keyText(values)), is(values));
    assertThat(FindKeyPartitions.probes(Set.of(idKey(7), ApplyTombstones.keyText(
            Arrays.asList((String) null))), List.of("id"), CLEAN),
        containsInAnyOrder(7L, null));
    assertThat(FindKeyPartitions.probes(Set.of(ApplyTombstones.keyText(List.of("k1"))),
        List.of("code"), CLEAN), contains("k1"));
    assertThat(FindKeyPartitions.probes(Set.of(ApplyTombstones.keyText(List.of("12"))),
        List.of("rank"), CLEAN), contains(12));
    // Not probed: a composite key, a text that is no value of the key's type.
    assertThat(FindKeyPartitions.probes(Set.of(ApplyTombstones.keyText(List.of("1", "k1"))),
        List.of("id", "code"), CLEAN), nullValue());
    assertThat(FindKeyPartitions.probes(Set.of(ApplyTombstones.keyText(List.of("x"))),
        List.of("id"), CLEAN), nullValue());
  }
}
