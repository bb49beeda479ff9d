package dev.intake.pipeline.steps;

import dev.intake.transforms.sinks.lake.Partitioner;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.intake.transforms.aggregate.AggregateRows;
import dev.intake.transforms.aggregate.Measure;
import dev.intake.transforms.aggregate.TimeBucket;
import dev.intake.transforms.sinks.lake.WriteParquet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link MergeWithLake} on a stored lake of six keys in five monthly partitions: a run that moves
 * one key to another month, adds one, brings an older version of a third and deletes a fourth
 * reads only the partitions those keys and rows are in, and rewrites exactly the partitions it
 * changes, with the same rows and counts as a read of the whole lake.
 */
class MergeWithLakeTest {
  private static final Schema CLEAN =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("requested", Schema.FieldType.DATETIME)
          .addNullableField("updated", Schema.FieldType.DATETIME)
          .addNullableField("status", Schema.FieldType.STRING)
          .build();
  private static final Schema TOMBSTONE = ParseDeletions.schema(CLEAN, List.of("id"));
  private static final Partitioner BY_MONTH =
      Partitioner.of("month", "requested", Partitioner.Granularity.MONTH, "UTC");

  private static Row clean(long id, String requested, String updated, String status) {
    return Row.withSchema(CLEAN)
        .addValues(id, Instant.parse(requested), Instant.parse(updated), status).build();
  }

  private static final Row ONE = clean(1, "2021-01-10T00:00:00Z", "2021-01-11T00:00:00Z", "a");
  private static final Row TWO = clean(2, "2021-01-20T00:00:00Z", "2021-01-21T00:00:00Z", "b");
  private static final Row THREE = clean(3, "2021-02-10T00:00:00Z", "2021-02-11T00:00:00Z", "c");
  private static final Row FOUR = clean(4, "2021-03-10T00:00:00Z", "2021-03-11T00:00:00Z", "d");
  private static final Row FIVE = clean(5, "2021-04-10T00:00:00Z", "2021-04-11T00:00:00Z", "e");
  private static final Row SEVEN = clean(7, "2021-05-10T00:00:00Z", "2021-05-11T00:00:00Z", "g");
  // Key 1 corrected into March: its January row must leave January.
  private static final Row ONE_MOVED =
      clean(1, "2021-03-15T00:00:00Z", "2021-06-01T00:00:00Z", "a2");
  private static final Row SIX = clean(6, "2021-02-15T00:00:00Z", "2021-06-02T00:00:00Z", "f");
  private static final Row THREE_OLDER =
      clean(3, "2021-02-10T00:00:00Z", "2021-02-01T00:00:00Z", "c0");
  /** Cases per month of the request: an aggregate aligned with the monthly partitions. */
  private static final AggregateRows MONTHLY =
      AggregateRows.of(List.of(), List.of(Measure.count("cases")))
          .withBucket(TimeBucket.of("requested", TimeBucket.Unit.MONTH, "month", "UTC"));
  private static final Schema MONTHLY_ROWS =
      MONTHLY.outputSchema(MarkOrigin.markedSchema(CLEAN));
  // A month the lake has no file of yet.
  private static final Row EIGHT = clean(8, "2021-07-10T00:00:00Z", "2021-07-11T00:00:00Z", "h");

  @TempDir Path lake;

  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
  }

  private String clean() {
    return lake.resolve("clean") + "/";
  }

  @BeforeEach
  void storeSixKeysInFiveMonths() {
    Pipeline p = pipeline();
    p.apply(Create.of(ONE, TWO, THREE, FOUR, FIVE, SEVEN).withRowSchema(CLEAN))
        .apply(WriteParquet.to(clean()).partitionedBy(BY_MONTH).sortedBy(List.of("id")));
    p.run().waitUntilFinish();
  }

  private PCollectionTuple merge(Pipeline p, boolean wholeLake) {
    return merge(p, wholeLake, null);
  }

  /** The run with deletions onto the stored lake; with {@code profile}, if not null. */
  private PCollectionTuple merge(Pipeline p, boolean wholeLake, ProfileColumns profile) {
    PCollection<Row> incoming =
        p.apply("Incoming", Create.of(ONE_MOVED, SIX, THREE_OLDER).withRowSchema(CLEAN));
    PCollection<Row> tombstones = p.apply("Tombstones", Create.of(
            Row.withSchema(TOMBSTONE).addValues(5L, Instant.parse("2021-06-03T00:00:00Z"), "r")
                .build())
        .withRowSchema(TOMBSTONE));
    MergeWithLake merge = MergeWithLake.of(clean(), List.of("id"), "updated", null, BY_MONTH)
        .withTombstones(tombstones, lake.resolve("tombstones") + "/");
    if (profile != null) {
      merge = merge.withProfile(profile);
    }
    return incoming.apply("Merge", wholeLake ? merge.withWholeLake() : merge);
  }

  private static void assertTouchedAndCounts(PCollectionTuple merged) {
    PAssert.that(merged.get(MergeWithLake.TOUCHED).apply(MarkOrigin.strip(CLEAN)))
        .containsInAnyOrder(TWO, THREE, SIX, ONE_MOVED, FOUR);
    PAssert.that(merged.get(MergeWithLake.TALLIES).apply(Sum.longsPerKey()))
        .containsInAnyOrder(
            KV.of(TallyKey.of(TallyKey.Kind.WRITTEN), 2L),
            KV.of(TallyKey.of(TallyKey.Kind.CARRIED), 3L),
            KV.of(TallyKey.of(TallyKey.Kind.SUPERSEDED), 1L),
            KV.of(TallyKey.of(TallyKey.Kind.REPLACED), 1L),
            KV.of(TallyKey.of(TallyKey.Kind.DELETED), 1L),
            KV.of(TallyKey.partition("month=2021-01"), 1L),
            KV.of(TallyKey.partition("month=2021-02"), 1L),
            KV.of(TallyKey.partition("month=2021-03"), 1L),
            KV.of(TallyKey.partition("month=2021-04"), 1L),
            KV.of(TallyKey.of(TallyKey.Kind.NEWEST, "version"),
                Instant.parse("2021-06-02T00:00:00Z").getMillis()));
  }

  /** The counts of the run of ONE_MOVED, SIX, THREE_OLDER and EIGHT onto the stored lake. */
  @SafeVarargs
  private static void assertTalliesOfMovedSixOlderThreeAndEight(PCollectionTuple merged,
      KV<TallyKey, Long>... more) {
    List<KV<TallyKey, Long>> expected = new ArrayList<>(List.of(
            KV.of(TallyKey.of(TallyKey.Kind.WRITTEN), 3L),
            KV.of(TallyKey.of(TallyKey.Kind.CARRIED), 3L),
            KV.of(TallyKey.of(TallyKey.Kind.SUPERSEDED), 1L),
            KV.of(TallyKey.of(TallyKey.Kind.REPLACED), 1L),
            KV.of(TallyKey.partition("month=2021-01"), 1L),
            KV.of(TallyKey.partition("month=2021-02"), 1L),
            KV.of(TallyKey.partition("month=2021-03"), 1L),
            KV.of(TallyKey.partition("month=2021-07"), 1L),
            KV.of(TallyKey.of(TallyKey.Kind.NEWEST, "version"),
                Instant.parse("2021-07-11T00:00:00Z").getMillis())));
    expected.addAll(List.of(more));
    PAssert.that(merged.get(MergeWithLake.TALLIES).apply(Sum.longsPerKey()))
        .containsInAnyOrder(expected);
  }

  @Test
  void readsOnlyThePartitionsOfItsKeysAndRowsAndRewritesWhatChanged() {
    Pipeline p = pipeline();
    PCollectionTuple merged = merge(p, false);
    assertTouchedAndCounts(merged);
    // May holds none of the run's keys or rows: it is not read at all.
    PAssert.that(merged.get(MergeWithLake.NEWEST).apply(MarkOrigin.strip(CLEAN)))
        .containsInAnyOrder(ONE_MOVED, TWO, THREE, FOUR, SIX);
    p.run().waitUntilFinish();
  }

  @Test
  void theWholeLakeGivesTheSameTouchedRowsAndCountsAndEveryKeyAsNewest() {
    Pipeline p = pipeline();
    PCollectionTuple merged = merge(p, true);
    assertTouchedAndCounts(merged);
    PAssert.that(merged.get(MergeWithLake.NEWEST).apply(MarkOrigin.strip(CLEAN)))
        .containsInAnyOrder(ONE_MOVED, TWO, THREE, FOUR, SIX, SEVEN);
    p.run().waitUntilFinish();
  }

  /**
   * Without deletions the merge decides first and rewrites after (reads the stored versions of its
   * keys, then each touched partition once more, adding its new rows): the same rows, winners and
   * counts as the whole-lake merge, for a key that moves month, a new key, an older version that
   * loses to the stored one, and a row in a month with no file yet.
   */
  @ParameterizedTest(name = "whole lake: {0}")
  @ValueSource(booleans = {false, true})
  void aRunThatOnlyAddsVersionsRewritesTheSameRowsWhetherItDecidesFirstOrReadsTheWholeLake(
      boolean wholeLake) {
    Pipeline p = pipeline();
    PCollection<Row> incoming = p.apply("Incoming",
        Create.of(ONE_MOVED, SIX, THREE_OLDER, EIGHT).withRowSchema(CLEAN));
    MergeWithLake merge = MergeWithLake.of(clean(), List.of("id"), "updated", null, BY_MONTH);
    PCollectionTuple merged = incoming.apply("Merge", wholeLake ? merge.withWholeLake() : merge);
    PAssert.that(merged.get(MergeWithLake.TOUCHED).apply("TouchedRows", MarkOrigin.strip(CLEAN)))
        .containsInAnyOrder(TWO, THREE, SIX, FOUR, ONE_MOVED, EIGHT);
    PAssert.that(merged.get(MergeWithLake.WINNERS).apply("Winners", MarkOrigin.strip(CLEAN)))
        .containsInAnyOrder(ONE_MOVED, SIX, THREE, EIGHT);
    assertTalliesOfMovedSixOlderThreeAndEight(merged);
    p.run().waitUntilFinish();
  }

  /**
   * A run that brings the stored version of a key again with other values (a source that changed
   * a row without its version): the tie is decided on the whole rows on both paths (the greater
   * values win), so the path that decides first reads those stored rows whole, not only their key,
   * partition and version columns. Key 2 comes back greater and replaces its stored row; key 4
   * comes back smaller and loses to it, leaving March untouched.
   */
  @ParameterizedTest(name = "whole lake: {0}")
  @ValueSource(booleans = {false, true})
  void aTieWithTheStoredVersionIsDecidedOnTheWholeRowsWhateverThePath(boolean wholeLake) {
    Row twoTie = clean(2, "2021-01-20T00:00:00Z", "2021-01-21T00:00:00Z", "z");
    Row fourTie = clean(4, "2021-03-10T00:00:00Z", "2021-03-11T00:00:00Z", "c");
    Pipeline p = pipeline();
    PCollection<Row> incoming =
        p.apply("Incoming", Create.of(twoTie, fourTie).withRowSchema(CLEAN));
    MergeWithLake merge = MergeWithLake.of(clean(), List.of("id"), "updated", null, BY_MONTH);
    PCollectionTuple merged = incoming.apply("Merge", wholeLake ? merge.withWholeLake() : merge);
    PAssert.that(merged.get(MergeWithLake.TOUCHED).apply("TouchedRows", MarkOrigin.strip(CLEAN)))
        .containsInAnyOrder(ONE, twoTie);
    PAssert.that(merged.get(MergeWithLake.WINNERS).apply("Winners", MarkOrigin.strip(CLEAN)))
        .containsInAnyOrder(twoTie, FOUR);
    PAssert.that(merged.get(MergeWithLake.TALLIES).apply(Sum.longsPerKey()))
        .containsInAnyOrder(
            KV.of(TallyKey.of(TallyKey.Kind.WRITTEN), 1L),
            KV.of(TallyKey.of(TallyKey.Kind.CARRIED), 1L),
            KV.of(TallyKey.of(TallyKey.Kind.SUPERSEDED), 1L),
            KV.of(TallyKey.of(TallyKey.Kind.REPLACED), 1L),
            KV.of(TallyKey.partition("month=2021-01"), 1L),
            KV.of(TallyKey.of(TallyKey.Kind.NEWEST, "version"),
                Instant.parse("2021-01-21T00:00:00Z").getMillis()));
    p.run().waitUntilFinish();
  }

  /**
   * A column renamed since the lake was written is read under its former name on both paths: the
   * stored version that keeps its key (the run brings an older one) and the rows carried over keep
   * their values, not nulls.
   */
  @ParameterizedTest(name = "whole lake: {0}")
  @ValueSource(booleans = {false, true})
  void aRenamedColumnIsReadUnderItsFormerNameWhateverThePath(boolean wholeLake) {
    Schema former = Schema.builder()
        .addNullableField("id", Schema.FieldType.INT64)
        .addNullableField("requested", Schema.FieldType.DATETIME)
        .addNullableField("updated", Schema.FieldType.DATETIME)
        .addNullableField("state", Schema.FieldType.STRING)
        .build();
    String renamedLake = lake.resolve("renamed") + "/";
    Pipeline store = pipeline();
    store.apply(Create.of(THREE, FOUR).withRowSchema(CLEAN))
        .apply(MapElements.into(TypeDescriptors.rows())
            .via((Row r) -> Row.withSchema(former).addValues(r.getValues()).build()))
        .setRowSchema(former)
        .apply(WriteParquet.to(renamedLake).partitionedBy(BY_MONTH).sortedBy(List.of("id")));
    store.run().waitUntilFinish();

    Pipeline p = pipeline();
    PCollection<Row> incoming =
        p.apply("Incoming", Create.of(THREE_OLDER, SIX).withRowSchema(CLEAN));
    MergeWithLake merge = MergeWithLake.of(renamedLake, List.of("id"), "updated", null, BY_MONTH)
        .withEvolution(Map.of("status", "state"), List.of(), false);
    PCollectionTuple merged = incoming.apply("Merge", wholeLake ? merge.withWholeLake() : merge);
    PAssert.that(merged.get(MergeWithLake.TOUCHED).apply("TouchedRows", MarkOrigin.strip(CLEAN)))
        .containsInAnyOrder(THREE, SIX);
    PAssert.that(merged.get(MergeWithLake.WINNERS).apply("Winners", MarkOrigin.strip(CLEAN)))
        .containsInAnyOrder(THREE, SIX);
    p.run().waitUntilFinish();
  }

  /**
   * Where the merge decides first, {@link MergeWithLake#withCleanFiles} writes the touched
   * partitions where it rewrites them ({@link MergeWithLake#CLEAN_WRITTEN}): the same files, byte
   * for byte, as the write of its touched rows. The whole-lake path writes none (no {@link
   * MergeWithLake#CLEAN_WRITTEN}): its touched rows are for the caller to write.
   */
  @Test
  void theMergeThatDecidesFirstWritesTheSameFilesAsTheWriteOfItsTouchedRows() throws Exception {
    Path byMerge = lake.resolve("by-merge");
    Path byWrite = lake.resolve("by-write");
    Pipeline p = pipeline();
    PCollection<Row> incoming = p.apply("Incoming",
        Create.of(ONE_MOVED, SIX, THREE_OLDER, EIGHT).withRowSchema(CLEAN));
    MergeWithLake merge = MergeWithLake.of(clean(), List.of("id"), "updated", null, BY_MONTH);
    PCollectionTuple merged =
        incoming.apply("Merge", merge.withCleanFiles(cleanFiles(byMerge.toString())));
    merged.get(MergeWithLake.TOUCHED).apply("Write", cleanFiles(byWrite.toString()));
    PAssert.that(merged.get(MergeWithLake.CLEAN_WRITTEN)).containsInAnyOrder(
        "month=2021-01", "month=2021-02", "month=2021-03", "month=2021-07");
    p.run().waitUntilFinish();
    assertThat(filesUnder(byMerge), equalTo(filesUnder(byWrite)));
    assertThat(filesUnder(byMerge).keySet(), containsInAnyOrder(
        "month=2021-01/part-00000.parquet", "month=2021-02/part-00000.parquet",
        "month=2021-03/part-00000.parquet", "month=2021-07/part-00000.parquet"));

    Pipeline whole = pipeline();
    PCollectionTuple readAll = whole
        .apply("Incoming", Create.of(ONE_MOVED, SIX).withRowSchema(CLEAN))
        .apply("Merge", merge.withWholeLake().withCleanFiles(cleanFiles(byMerge.toString())));
    assertThat(readAll.has(MergeWithLake.CLEAN_WRITTEN), is(false));
  }

  /**
   * {@link MergeWithLake#withPartitionAggregates}: where the merge decides first and writes the
   * files, it computes an aggregate aligned with the partitions over each rewritten partition
   * (January counts only the row that stayed) and the kept rows' tallies, and outputs those instead
   * of the rows: the same aggregate rows as the aggregate of its touched rows, the same tallies.
   */
  @Test
  void theMergeThatDecidesFirstComputesPartitionAggregatesAsFromItsTouchedRows() {
    List<Row> expected = List.of(
        Row.withSchema(MONTHLY_ROWS).addValues(LocalDate.of(2021, 1, 1), 1L).build(),
        Row.withSchema(MONTHLY_ROWS).addValues(LocalDate.of(2021, 2, 1), 2L).build(),
        Row.withSchema(MONTHLY_ROWS).addValues(LocalDate.of(2021, 3, 1), 2L).build(),
        Row.withSchema(MONTHLY_ROWS).addValues(LocalDate.of(2021, 7, 1), 1L).build());
    MergeWithLake merge = MergeWithLake.of(clean(), List.of("id"), "updated", null, BY_MONTH);

    Pipeline p = pipeline();
    PCollectionTuple merged = p
        .apply("Incoming", Create.of(ONE_MOVED, SIX, THREE_OLDER, EIGHT).withRowSchema(CLEAN))
        .apply("Merge", merge.withCleanFiles(cleanFiles(lake.resolve("a").toString()))
            .withPartitionAggregates(Map.of("monthly", MONTHLY)));
    assertThat(merged.has(MergeWithLake.TOUCHED), is(false));
    assertThat(merged.has(MergeWithLake.NEWEST), is(false));
    PAssert.that(merged.get(MergeWithLake.aggregated("monthly"))).containsInAnyOrder(expected);
    assertTalliesOfMovedSixOlderThreeAndEight(merged);
    p.run().waitUntilFinish();

    Pipeline fromRows = pipeline();
    PCollectionTuple rows = fromRows
        .apply("Incoming", Create.of(ONE_MOVED, SIX, THREE_OLDER, EIGHT).withRowSchema(CLEAN))
        .apply("Merge", merge.withCleanFiles(cleanFiles(lake.resolve("b").toString())));
    assertThat(rows.has(MergeWithLake.aggregated("monthly")), is(false));
    PAssert.that(rows.get(MergeWithLake.TOUCHED).apply("Aggregate", MONTHLY))
        .containsInAnyOrder(expected);
    fromRows.run().waitUntilFinish();
  }

  /**
   * {@link MergeWithLake#withAggregateFiles}: the aggregate computed in the rewrite is written there
   * too, partition by partition, as the same files as a write of its rows, and its rows written are
   * counted under its output's name; it is then no output of the merge.
   */
  @Test
  void theMergeWritesThePartitionAggregatesWhereItComputesThem() throws Exception {
    Path byMerge = lake.resolve("aggregate-by-merge");
    Path byWrite = lake.resolve("aggregate-by-write");
    MergeWithLake merge = MergeWithLake.of(clean(), List.of("id"), "updated", null, BY_MONTH)
        .withCleanFiles(cleanFiles(lake.resolve("staged").toString()))
        .withPartitionAggregates(Map.of("monthly", MONTHLY));

    Pipeline p = pipeline();
    PCollectionTuple merged = p
        .apply("Incoming", Create.of(ONE_MOVED, SIX, THREE_OLDER, EIGHT).withRowSchema(CLEAN))
        .apply("Merge", merge.withAggregateFiles(Map.of("monthly", monthlyFiles(byMerge))));
    assertThat(merged.has(MergeWithLake.aggregated("monthly")), is(false));
    PAssert.that(merged.get(MergeWithLake.aggregateWritten("monthly"))).containsInAnyOrder(
        "month=2021-01", "month=2021-02", "month=2021-03", "month=2021-07");
    assertTalliesOfMovedSixOlderThreeAndEight(
        merged, KV.of(TallyKey.of(TallyKey.Kind.ROWS, Outputs.aggregate("monthly")), 4L));
    p.run().waitUntilFinish();

    Pipeline written = pipeline();
    written.apply("Incoming", Create.of(ONE_MOVED, SIX, THREE_OLDER, EIGHT).withRowSchema(CLEAN))
        .apply("Merge", merge)
        .get(MergeWithLake.aggregated("monthly"))
        .apply("Write", monthlyFiles(byWrite));
    written.run().waitUntilFinish();
    assertThat(filesUnder(byMerge), equalTo(filesUnder(byWrite)));
    assertThat(filesUnder(byMerge).keySet(), containsInAnyOrder(
        "month=2021-01/part-00000.parquet", "month=2021-02/part-00000.parquet",
        "month=2021-03/part-00000.parquet", "month=2021-07/part-00000.parquet"));
  }

  private static WriteParquet monthlyFiles(Path directory) {
    return WriteParquet.to(directory + "/").partitionedBy(BY_MONTH.onField("month"))
        .sortedBy(List.of("month"));
  }

  /**
   * Into an empty lake, {@link MergeWithLake#withPartitionAggregates} groups the winners by
   * partition, writes each partition's files (the same bytes as the write of the winners) and
   * computes its aligned aggregates there; {@link MergeWithLake#NEWEST} stays (the winners).
   */
  @Test
  void aFirstLoadWritesAndAggregatesEachPartitionWhereItsRowsAre() throws Exception {
    String empty = lake.resolve("empty") + "/";
    Path byMerge = lake.resolve("by-merge");
    Path byWrite = lake.resolve("by-write");
    MergeWithLake merge = MergeWithLake.of(empty, List.of("id"), "updated", null, BY_MONTH);

    Pipeline p = pipeline();
    PCollectionTuple merged = p
        .apply("Incoming", Create.of(ONE, TWO, THREE, THREE_OLDER).withRowSchema(CLEAN))
        .apply("Merge", merge.withCleanFiles(cleanFiles(byMerge.toString()))
            .withPartitionAggregates(Map.of("monthly", MONTHLY)));
    assertThat(merged.has(MergeWithLake.TOUCHED), is(false));
    PAssert.that(merged.get(MergeWithLake.NEWEST).apply(MarkOrigin.strip(CLEAN)))
        .containsInAnyOrder(ONE, TWO, THREE);
    PAssert.that(merged.get(MergeWithLake.CLEAN_WRITTEN))
        .containsInAnyOrder("month=2021-01", "month=2021-02");
    PAssert.that(merged.get(MergeWithLake.aggregated("monthly"))).containsInAnyOrder(
        Row.withSchema(MONTHLY_ROWS).addValues(LocalDate.of(2021, 1, 1), 2L).build(),
        Row.withSchema(MONTHLY_ROWS).addValues(LocalDate.of(2021, 2, 1), 1L).build());
    PAssert.that(merged.get(MergeWithLake.TALLIES).apply(Sum.longsPerKey()))
        .containsInAnyOrder(
            KV.of(TallyKey.of(TallyKey.Kind.WRITTEN), 3L),
            KV.of(TallyKey.of(TallyKey.Kind.SUPERSEDED), 1L),
            KV.of(TallyKey.partition("month=2021-01"), 1L),
            KV.of(TallyKey.partition("month=2021-02"), 1L),
            KV.of(TallyKey.of(TallyKey.Kind.NEWEST, "version"),
                Instant.parse("2021-02-11T00:00:00Z").getMillis()));
    p.run().waitUntilFinish();

    Pipeline written = pipeline();
    PCollectionTuple rows = written
        .apply("Incoming", Create.of(ONE, TWO, THREE, THREE_OLDER).withRowSchema(CLEAN))
        .apply("Merge", merge.withCleanFiles(cleanFiles(byWrite.toString())));
    assertThat(rows.has(MergeWithLake.CLEAN_WRITTEN), is(false));
    rows.get(MergeWithLake.TOUCHED).apply("Write", cleanFiles(byWrite.toString()));
    written.run().waitUntilFinish();
    assertThat(filesUnder(byMerge), equalTo(filesUnder(byWrite)));
    assertThat(filesUnder(byMerge).keySet(), containsInAnyOrder(
        "month=2021-01/part-00000.parquet", "month=2021-02/part-00000.parquet"));
  }

  private static WriteParquet cleanFiles(String directory) {
    return WriteParquet.to(directory + "/").writingFields(CLEAN).partitionedBy(BY_MONTH)
        .sortedBy(List.of("id")).withBloomFilterOn(List.of("id"));
  }

  /** Every file under {@code root}, by its path below it, with a digest of its bytes. */
  private static Map<String, String> filesUnder(Path root) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
        files.put(root.relativize(f).toString(), HexFormat.of().formatHex(digest));
      }
    }
    return files;
  }

  /**
   * The profile of the rows a run writes is the same whether the merge folds it where it writes
   * each partition (a first load, and a run that decides first, both with partition aggregates) or
   * profiles the winners in a step of its own (a run with deletions): only the run's winning rows,
   * not the stored rows the touched partitions carry or the stored row that kept its key.
   */
  @ParameterizedTest
  @ValueSource(strings = {"first load", "decides first", "with deletions"})
  void profilesTheRowsTheRunWritesWhereverItComputesThem(String path) {
    ProfileColumns profile = ProfileColumns.of(CLEAN, "updated");
    Pipeline p = pipeline();
    PCollectionTuple merged;
    List<String> days;
    if (path.equals("with deletions")) {
      merged = merge(p, false, profile);
      days = List.of("2021-06-01", "2021-06-02");
    } else {
      boolean first = path.equals("first load");
      MergeWithLake merge = MergeWithLake.of(
              first ? lake.resolve("empty") + "/" : clean(), List.of("id"), "updated", null,
              BY_MONTH)
          .withCleanFiles(cleanFiles(lake.resolve("staged").toString()))
          .withPartitionAggregates(Map.of("monthly", MONTHLY))
          .withProfile(profile);
      merged = p
          .apply("Incoming", (first
                  ? Create.of(ONE, TWO, THREE, THREE_OLDER)
                  : Create.of(ONE_MOVED, SIX, THREE_OLDER, EIGHT)).withRowSchema(CLEAN))
          .apply("Merge", merge);
      days = first ? List.of("2021-01-11", "2021-01-21", "2021-02-11")
          : List.of("2021-06-01", "2021-06-02", "2021-07-11");
    }
    long rows = days.size();
    List<KV<TallyKey, Long>> expected = new ArrayList<>();
    expected.add(KV.of(TallyKey.of(TallyKey.Kind.PROFILED_ROWS), rows));
    for (String column : CLEAN.getFieldNames()) {
      expected.add(KV.of(TallyKey.of(TallyKey.Kind.COLUMN_NULLS, column), 0L));
      expected.add(KV.of(TallyKey.of(TallyKey.Kind.COLUMN_DISTINCT, column), rows));
      expected.add(KV.of(TallyKey.of(TallyKey.Kind.COLUMN_APPROX, column), 0L));
    }
    days.forEach(d -> expected.add(KV.of(TallyKey.day(d), 1L)));
    PAssert.that(merged.get(MergeWithLake.PROFILED)).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void findsThePartitionsThatHoldTheKeysFromTheKeyColumnsOnly() {
    Pipeline p = pipeline();
    PCollection<String> found = p
        .apply(Create.of(ApplyTombstones.keyText(List.of("1")),
            ApplyTombstones.keyText(List.of("4")), ApplyTombstones.keyText(List.of("4")),
            ApplyTombstones.keyText(List.of("99"))))
        .apply(FindKeyPartitions.of(clean(), CLEAN, List.of("id"), BY_MONTH));
    PAssert.that(found).containsInAnyOrder("month=2021-01", "month=2021-03");
    p.run().waitUntilFinish();
  }
}
