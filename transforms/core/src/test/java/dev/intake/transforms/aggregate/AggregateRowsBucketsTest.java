package dev.intake.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.testing.TestPipelineExtension;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Week and month buckets, and aggregates without a bucket. */
@ExtendWith(TestPipelineExtension.class)
class AggregateRowsBucketsTest {
  private static final String LA = "America/Los_Angeles";

  private static final Schema INPUT =
      Schema.builder()
          .addNullableField("requested", Schema.FieldType.DATETIME)
          .addNullableField("service", Schema.FieldType.STRING)
          .addNullableField("hours", Schema.FieldType.DOUBLE)
          .build();

  private static final List<Measure> MEASURES =
      List.of(Measure.count("opened"), Measure.quantile("median_hours", "hours", 0.5));

  private static Schema bucketed(String column) {
    return Schema.builder()
        .addField(column, Schema.FieldType.logicalType(SqlTypes.DATE))
        .addNullableField("service", Schema.FieldType.STRING)
        .addField("opened", Schema.FieldType.INT64)
        .addNullableField("median_hours", Schema.FieldType.DOUBLE)
        .build();
  }

  /** A local time with its offset, e.g. "2019-12-30T00:00:00-08:00". */
  private static Row in(String requested, String service, Double hours) {
    Instant at =
        requested == null
            ? null
            : new Instant(OffsetDateTime.parse(requested).toInstant().toEpochMilli());
    return Row.withSchema(INPUT).addValues(at, service, hours).build();
  }

  private static Row out(Schema schema, Object... values) {
    return Row.withSchema(schema).addValues(values).build();
  }

  private static AggregateRows by(TimeBucket.Unit unit, String column) {
    return AggregateRows.of(List.of("service"), MEASURES)
        .withBucket(TimeBucket.of("requested", unit, column, LA));
  }

  @Test
  void weekIsItsMondayAndMaySpanTwoMonthsAndTwoYears(TestPipeline p) {
    Schema weekly = bucketed("week");

    PCollection<Row> weeks =
        p.apply(
                Create.of(
                        in("2019-12-29T23:59:59-08:00", "a", 2.0),
                        in("2019-12-30T00:00:00-08:00", "a", 1.0),
                        in("2019-12-31T18:00:00-08:00", "a", 4.0),
                        in("2020-01-01T09:00:00-08:00", "b", 7.0),
                        in("2020-01-05T23:30:00-08:00", "a", 9.0),
                        in("2020-01-06T00:00:00-08:00", "a", null),
                        in(null, "a", 100.0))
                    .withRowSchema(INPUT))
            .apply(by(TimeBucket.Unit.WEEK, "week"));

    assertEquals(weekly, weeks.getSchema());
    // 2020-01-05 23:30 in San Francisco is already Monday in UTC: the zone decides the week.
    PAssert.that(weeks)
        .containsInAnyOrder(
            out(weekly, LocalDate.of(2019, 12, 23), "a", 1L, 2.0),
            out(weekly, LocalDate.of(2019, 12, 30), "a", 3L, 4.0),
            out(weekly, LocalDate.of(2019, 12, 30), "b", 1L, 7.0),
            out(weekly, LocalDate.of(2020, 1, 6), "a", 1L, null));
    p.run();
  }

  @Test
  void monthIsItsFirstDay(TestPipeline p) {
    Schema monthly = bucketed("month");

    PCollection<Row> months =
        p.apply(
                Create.of(
                        in("2019-02-28T23:30:00-08:00", "a", 1.0),
                        in("2019-03-01T00:00:00-08:00", "a", 2.0),
                        in("2019-03-10T12:00:00-07:00", "a", 4.0),
                        in("2019-03-31T23:59:59-07:00", "b", 3.0),
                        in("2019-04-01T00:00:00-07:00", "a", 8.0),
                        in("2019-12-31T23:00:00-08:00", "a", 5.0),
                        in(null, "b", 1.0))
                    .withRowSchema(INPUT))
            .apply(by(TimeBucket.Unit.MONTH, "month"));

    assertEquals(monthly, months.getSchema());
    PAssert.that(months)
        .containsInAnyOrder(
            out(monthly, LocalDate.of(2019, 2, 1), "a", 1L, 1.0),
            out(monthly, LocalDate.of(2019, 3, 1), "a", 2L, 3.0),
            out(monthly, LocalDate.of(2019, 3, 1), "b", 1L, 3.0),
            out(monthly, LocalDate.of(2019, 4, 1), "a", 1L, 8.0),
            out(monthly, LocalDate.of(2019, 12, 1), "a", 1L, 5.0));
    p.run();
  }

  @Test
  void withoutBucketGroupsByTheGroupFieldsAndKeepsRowsWithoutTime(TestPipeline p) {
    Schema byService =
        Schema.builder()
            .addNullableField("service", Schema.FieldType.STRING)
            .addField("opened", Schema.FieldType.INT64)
            .addNullableField("median_hours", Schema.FieldType.DOUBLE)
            .build();

    PCollection<Row> services =
        p.apply(
                Create.of(
                        in("2019-03-15T10:00:00-07:00", "a", 1.0),
                        in(null, "a", 3.0),
                        in("2020-07-01T10:00:00-07:00", "a", null),
                        in("2019-03-15T10:00:00-07:00", null, 2.0),
                        in("2019-03-15T10:00:00-07:00", "~", 6.0))
                    .withRowSchema(INPUT))
            .apply(AggregateRows.of(List.of("service"), MEASURES));

    assertEquals(byService, services.getSchema());
    PAssert.that(services)
        .containsInAnyOrder(
            out(byService, "a", 3L, 2.0),
            out(byService, null, 1L, 2.0),
            out(byService, "~", 1L, 6.0));
    p.run();
  }

  @Test
  void groupsWithTheSameConcatenatedValuesStayApart(TestPipeline p) {
    Schema pair =
        Schema.builder()
            .addNullableField("x", Schema.FieldType.STRING)
            .addNullableField("y", Schema.FieldType.STRING)
            .build();
    Schema counted =
        Schema.builder()
            .addNullableField("x", Schema.FieldType.STRING)
            .addNullableField("y", Schema.FieldType.STRING)
            .addField("n", Schema.FieldType.INT64)
            .build();

    PCollection<Row> groups =
        p.apply(
                Create.of(
                        out(pair, "ab", "c"),
                        out(pair, "a", "bc"),
                        out(pair, "ab", "c"),
                        out(pair, "a", null),
                        out(pair, null, "a"),
                        out(pair, "=1:a", null))
                    .withRowSchema(pair))
            .apply(AggregateRows.of(List.of("x", "y"), List.of(Measure.count("n"))));

    PAssert.that(groups)
        .containsInAnyOrder(
            out(counted, "ab", "c", 2L),
            out(counted, "a", "bc", 1L),
            out(counted, "a", null, 1L),
            out(counted, null, "a", 1L),
            out(counted, "=1:a", null, 1L));
    p.run();
  }

  @Test
  void groupsSharingAHashBucketAreStillAggregatedApart(TestPipeline p) {
    Schema monthly = bucketed("month");
    List<Row> rows =
        List.of(
            in("2019-03-01T10:00:00-08:00", "a", 1.0),
            in("2019-03-02T10:00:00-08:00", "b", 5.0),
            in("2019-03-31T10:00:00-07:00", "a", 3.0),
            in("2019-04-01T10:00:00-07:00", "a", 2.0),
            in("2019-04-02T10:00:00-07:00", null, 4.0));
    List<Row> expected =
        List.of(
            out(monthly, LocalDate.of(2019, 3, 1), "a", 2L, 2.0),
            out(monthly, LocalDate.of(2019, 3, 1), "b", 1L, 5.0),
            out(monthly, LocalDate.of(2019, 4, 1), "a", 1L, 2.0),
            out(monthly, LocalDate.of(2019, 4, 1), null, 1L, 4.0));

    // One bucket holds every group; two make some groups share one.
    for (int buckets : new int[] {1, 2}) {
      PCollection<Row> months =
          p.apply("Rows" + buckets, Create.of(rows).withRowSchema(INPUT))
              .apply("Monthly" + buckets,
                  by(TimeBucket.Unit.MONTH, "month").withHashBuckets(buckets));
      PAssert.that("in " + buckets + " bucket(s)", months).containsInAnyOrder(expected);
    }
    p.run();
  }

  @Test
  void hashBucketsMustBePositive() {
    IllegalArgumentException zero =
        assertThrows(
            IllegalArgumentException.class,
            () -> by(TimeBucket.Unit.DAY, "day").withHashBuckets(0));

    assertEquals("hashBuckets must be > 0, but was 0", zero.getMessage());
  }

  @Test
  void withoutBucketNorGroupsIsOneRowOverEverything(TestPipeline p) {
    Schema total = Schema.builder().addField("opened", Schema.FieldType.INT64).build();

    PCollection<Row> all =
        p.apply(
                Create.of(in(null, "a", 1.0), in("2019-03-15T10:00:00-07:00", "b", null))
                    .withRowSchema(INPUT))
            .apply(AggregateRows.of(List.of(), List.of(Measure.count("opened"))));

    PAssert.that(all).containsInAnyOrder(out(total, 2L));
    p.run();
  }

  @Test
  void bucketMustBeATimestampAndColumnsUnique() {
    AggregateRows onText =
        AggregateRows.of(List.of(), MEASURES)
            .withBucket(TimeBucket.of("service", TimeBucket.Unit.DAY, "day", LA));
    AggregateRows clash = by(TimeBucket.Unit.DAY, "service");

    IllegalArgumentException text =
        assertThrows(IllegalArgumentException.class, () -> onText.outputSchema(INPUT));
    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> clash.outputSchema(INPUT));
    IllegalArgumentException zone =
        assertThrows(
            IllegalArgumentException.class,
            () -> TimeBucket.of("requested", TimeBucket.Unit.DAY, "day", "Mars/Olympus"));

    assertEquals("bucket field service is not a timestamp or date field of the schema", text.getMessage());
    assertEquals("column service appears twice in the output", twice.getMessage());
    assertEquals("zone must be a known time zone, but was Mars/Olympus", zone.getMessage());
  }

  @Test
  void unitsAreNamedInAnyCase() {
    assertEquals(TimeBucket.Unit.WEEK, TimeBucket.Unit.named("Week"));
    assertEquals(TimeBucket.Unit.MONTH, TimeBucket.Unit.named("month"));
    assertNull(TimeBucket.Unit.named("fortnight"));
  }
}
