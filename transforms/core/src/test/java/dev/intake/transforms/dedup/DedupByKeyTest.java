package dev.intake.transforms.dedup;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.testing.TestPipelineExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(TestPipelineExtension.class)
class DedupByKeyTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("updated", Schema.FieldType.DATETIME)
          .addNullableField("status", Schema.FieldType.STRING)
          .addNullableField("note", Schema.FieldType.STRING)
          .build();

  private static Row row(Long id, Long updatedMillis, String status, String note) {
    return Row.withSchema(SCHEMA)
        .addValues(id, updatedMillis == null ? null : new Instant(updatedMillis), status, note)
        .build();
  }

  // Case 1: updated on 2019-03-15 05:05Z, then on 2019-03-20 18:00Z.
  private static final Row ONE_OPENED = row(1L, 1552712700000L, "Open", "first");
  private static final Row ONE_CLOSED = row(1L, 1553104800000L, "Closed", "fixed");
  // Case 2: two versions with the same updated time; "Open" > "Closed" as text.
  private static final Row TWO_OPEN = row(2L, 1552719600000L, "Open", "x");
  private static final Row TWO_CLOSED = row(2L, 1552719600000L, "Closed", "x");
  // Case 3: a single version.
  private static final Row THREE = row(3L, 1552748400000L, "Open", null);
  // Case 4: a version without updated time is older than any dated one.
  private static final Row FOUR_UNDATED = row(4L, null, "Open", "no version");
  private static final Row FOUR_DATED = row(4L, 1551805200000L, "Open", "versioned");
  // Case 5: the same version delivered twice.
  private static final Row FIVE = row(5L, 1554224400000L, "Closed", "dup");
  private static final Row FIVE_AGAIN = row(5L, 1554224400000L, "Closed", "dup");

  private static final List<Row> ALL =
      List.of(
          ONE_OPENED,
          ONE_CLOSED,
          TWO_OPEN,
          TWO_CLOSED,
          THREE,
          FOUR_UNDATED,
          FOUR_DATED,
          FIVE,
          FIVE_AGAIN);

  static Stream<Arguments> arrivalOrders() {
    List<Row> reversed = new ArrayList<>(ALL);
    Collections.reverse(reversed);
    List<Row> interleaved =
        List.of(
            TWO_CLOSED,
            FIVE,
            ONE_CLOSED,
            FOUR_DATED,
            THREE,
            TWO_OPEN,
            FIVE_AGAIN,
            ONE_OPENED,
            FOUR_UNDATED);
    return Stream.of(
        Arguments.of("as listed", ALL, DedupByKey.DEFAULT_BUCKETS),
        Arguments.of("reversed", reversed, DedupByKey.DEFAULT_BUCKETS),
        Arguments.of("interleaved", interleaved, DedupByKey.DEFAULT_BUCKETS),
        // Every key in one bucket, and keys sharing two buckets: the bucket's own dedup decides.
        Arguments.of("as listed, one bucket", ALL, 1),
        Arguments.of("reversed, one bucket", reversed, 1),
        Arguments.of("interleaved, two buckets", interleaved, 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("arrivalOrders")
  void newestVersionWinsWhateverTheArrivalOrder(
      String name, List<Row> rows, int buckets, TestPipeline p) {
    DedupByKey.Result result =
        p.apply(Create.of(rows).withRowSchema(SCHEMA))
            .apply(DedupByKey.of(List.of("id"), "updated").withBuckets(buckets));

    PAssert.that(result.newest()).containsInAnyOrder(ONE_CLOSED, TWO_OPEN, THREE, FOUR_DATED, FIVE);
    PAssert.that(result.superseded())
        .containsInAnyOrder(ONE_OPENED, TWO_CLOSED, FOUR_UNDATED, FIVE_AGAIN);
    p.run();
  }

  /**
   * Counting the superseded versions on the newest rows keeps the same winners, whatever the
   * arrival order and buckets: each winner carries how many versions of its key it superseded
   * (null for none), and nothing else comes out.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("arrivalOrders")
  void countingTheSupersededKeepsTheSameWinnersAndCountsOnThem(
      String name, List<Row> rows, int buckets, TestPipeline p) {
    Schema counted = Schema.builder().addFields(SCHEMA.getFields())
        .addNullableField("superseded", Schema.FieldType.INT64).build();
    List<Row> input = new ArrayList<>();
    for (Row r : rows) {
      input.add(withCount(counted, r, null));
    }

    DedupByKey.Result result =
        p.apply(Create.of(input).withRowSchema(counted))
            .apply(DedupByKey.of(List.of("id"), "updated").withBuckets(buckets)
                .countingSupersededIn("superseded"));

    assertEquals(null, result.superseded());
    PAssert.that(result.newest()).containsInAnyOrder(
        withCount(counted, ONE_CLOSED, 1L), withCount(counted, TWO_OPEN, 1L),
        withCount(counted, THREE, null), withCount(counted, FOUR_DATED, 1L),
        withCount(counted, FIVE, 1L));
    p.run();
  }

  private static Row withCount(Schema counted, Row row, Long count) {
    return Row.withSchema(counted).addValues(row.getValues()).addValue(count).build();
  }

  @Test
  void theCountFieldMustBeANullableLongOfTheInput() {
    Pipeline p = Pipeline.create();
    PCollection<Row> rows = p.apply(Create.of(THREE).withRowSchema(SCHEMA));

    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> rows.apply("Missing",
            DedupByKey.of(List.of("id"), "updated").countingSupersededIn("superseded")));
    assertThat(missing.getMessage(),
        startsWith("count field superseded is not a nullable INT64 field of"));
    assertThrows(IllegalArgumentException.class,
        () -> rows.apply("Text",
            DedupByKey.of(List.of("id"), "updated").countingSupersededIn("status")));
  }

  @Test
  void compositeKeyKeepsOneRowPerCombination(TestPipeline p) {
    Row oneOpenOld = row(1L, 1552712700000L, "Open", "old");
    Row oneOpenNew = row(1L, 1553104800000L, "Open", "new");
    Row oneClosed = row(1L, 1552712700000L, "Closed", "only");

    DedupByKey.Result result =
        p.apply(Create.of(oneOpenNew, oneClosed, oneOpenOld).withRowSchema(SCHEMA))
            .apply(DedupByKey.of(List.of("id", "status"), "updated"));

    PAssert.that(result.newest()).containsInAnyOrder(oneOpenNew, oneClosed);
    PAssert.that(result.superseded()).containsInAnyOrder(oneOpenOld);
    p.run();
  }

  @Test
  void rowsWithoutKeyAreDeduplicatedTogether(TestPipeline p) {
    Row older = row(null, 1552712700000L, "Open", "a");
    Row newer = row(null, 1553104800000L, "Open", "b");

    DedupByKey.Result result =
        p.apply(Create.of(newer, older).withRowSchema(SCHEMA))
            .apply(DedupByKey.of(List.of("id"), "updated"));

    PAssert.that(result.newest()).containsInAnyOrder(newer);
    PAssert.that(result.superseded()).containsInAnyOrder(older);
    p.run();
  }

  @Test
  void outputsKeepTheInputSchema(TestPipeline p) {
    DedupByKey.Result result =
        p.apply(Create.of(THREE).withRowSchema(SCHEMA))
            .apply(DedupByKey.of(List.of("id"), "updated"));

    assertEquals(SCHEMA, result.newest().getSchema());
    assertEquals(SCHEMA, result.superseded().getSchema());
    PAssert.that(result.newest()).containsInAnyOrder(THREE);
    PAssert.that(result.superseded()).empty();
    p.run();
  }

  @Test
  void unknownKeyOrVersionFieldIsRejectedWhenBuilt() {
    // Only built, never run: a failed expand() leaves a pipeline unrunnable.
    PCollection<Row> rows = Pipeline.create().apply(Create.empty(SCHEMA));

    IllegalArgumentException key =
        assertThrows(
            IllegalArgumentException.class,
            () -> rows.apply("ByNope", DedupByKey.of(List.of("nope"), "updated")));
    IllegalArgumentException version =
        assertThrows(
            IllegalArgumentException.class,
            () -> rows.apply("ByVersion", DedupByKey.of(List.of("id"), "version")));
    assertThat(key.getMessage(), startsWith("key field nope is not in "));
    assertThat(version.getMessage(), startsWith("version field version is not in "));
  }

  @Test
  void bucketCountMustBePositive() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DedupByKey.of(List.of("id"), "updated").withBuckets(0));
    assertEquals("buckets must be > 0, but was 0", e.getMessage());
  }

  @Test
  void bucketOfAKeyIsFixedAndInRange() {
    // String.hashCode is specified, so a key's bucket is the same on every worker and every run.
    assertEquals(Math.floorMod("123".hashCode(), 512), DedupByKey.bucketOf("123", 512));
    assertEquals(48690 % 7, DedupByKey.bucketOf("123", 7));
    assertEquals(0, DedupByKey.bucketOf("anything", 1));
  }

  @Test
  void keyFieldsMustNotBeEmpty() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DedupByKey.of(List.of(), "updated"));
    assertEquals("keyFields must not be empty", e.getMessage());
  }
}
