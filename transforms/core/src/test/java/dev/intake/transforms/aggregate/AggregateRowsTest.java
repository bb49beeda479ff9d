package dev.intake.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.testing.TestPipelineExtension;
import java.time.LocalDate;
import java.util.ArrayList;
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

@ExtendWith(TestPipelineExtension.class)
class AggregateRowsTest {
  private static final String LA = "America/Los_Angeles";

  private static final Schema INPUT =
      Schema.builder()
          .addNullableField("requested", Schema.FieldType.DATETIME)
          .addNullableField("service", Schema.FieldType.STRING)
          .addNullableField("closed", Schema.FieldType.DATETIME)
          .addNullableField("hours", Schema.FieldType.DOUBLE)
          .build();

  private static final Schema OUTPUT =
      Schema.builder()
          .addField("day", Schema.FieldType.logicalType(SqlTypes.DATE))
          .addNullableField("service", Schema.FieldType.STRING)
          .addField("opened", Schema.FieldType.INT64)
          .addField("closed", Schema.FieldType.INT64)
          .addNullableField("median_hours", Schema.FieldType.DOUBLE)
          .addNullableField("p90_hours", Schema.FieldType.DOUBLE)
          .build();

  private static final List<Measure> MEASURES =
      List.of(
          Measure.count("opened"),
          Measure.countOf("closed", "closed"),
          Measure.quantile("median_hours", "hours", 0.5),
          Measure.quantile("p90_hours", "hours", 0.9));

  /** 2019-03-15 00:00 PDT. */
  private static final long MARCH_15_MIDNIGHT = 1552633200000L;

  /** 2019-03-15 22:05 PDT, already March 16 in UTC. */
  private static final long MARCH_15_EVENING = 1552712700000L;

  /** 2019-03-15 23:59:59 PDT. */
  private static final long MARCH_15_LAST_SECOND = 1552719599000L;

  /** 2019-03-16 00:00 PDT. */
  private static final long MARCH_16_MIDNIGHT = 1552719600000L;

  /** 2019-03-16 08:00 PDT. */
  private static final long MARCH_16_MORNING = 1552748400000L;

  /** Any closing time: the measures count it, they don't read it. */
  private static final Instant CLOSED = new Instant(1553104800000L);

  private static TimeBucket byDay(String zone) {
    return TimeBucket.of("requested", TimeBucket.Unit.DAY, "day", zone);
  }

  private static Row in(Long requestedMillis, String service, boolean closed, Double hours) {
    return Row.withSchema(INPUT)
        .addValues(
            requestedMillis == null ? null : new Instant(requestedMillis),
            service,
            closed ? CLOSED : null,
            hours)
        .build();
  }

  private static Row out(
      LocalDate day, String service, long opened, long closed, Double median, Double p90) {
    return Row.withSchema(OUTPUT).addValues(day, service, opened, closed, median, p90).build();
  }

  @Test
  void countsAndQuantilesPerLocalDayAndGroup(TestPipeline p) {
    List<Row> rows = new ArrayList<>();
    rows.add(in(MARCH_15_MIDNIGHT, "Street Cleaning", true, 1.0));
    rows.add(in(MARCH_15_EVENING, "Street Cleaning", true, 4.0));
    rows.add(in(MARCH_15_LAST_SECOND, "Street Cleaning", true, 3.0));
    rows.add(in(MARCH_15_EVENING, "Street Cleaning", false, null));
    rows.add(in(MARCH_15_EVENING, "Street Cleaning", true, 2.0));
    for (double hours : new double[] {7, 2, 9, 1, 10, 4, 3, 8, 6, 5}) {
      rows.add(in(MARCH_15_EVENING, "Graffiti", true, hours));
    }
    rows.add(in(MARCH_16_MIDNIGHT, "Street Cleaning", false, null));
    rows.add(in(MARCH_16_MORNING, null, true, 0.25));
    rows.add(in(null, "Graffiti", true, 100.0));

    PCollection<Row> daily =
        p.apply(Create.of(rows).withRowSchema(INPUT))
            .apply(AggregateRows.of(List.of("service"), MEASURES).withBucket(byDay(LA)));

    assertEquals(OUTPUT, daily.getSchema());
    PAssert.that(daily)
        .containsInAnyOrder(
            out(LocalDate.of(2019, 3, 15), "Street Cleaning", 5, 4, 2.5, 3.7),
            out(LocalDate.of(2019, 3, 15), "Graffiti", 10, 10, 5.5, 9.1),
            out(LocalDate.of(2019, 3, 16), "Street Cleaning", 1, 0, null, null),
            out(LocalDate.of(2019, 3, 16), null, 1, 1, 0.25, 0.25));
    p.run();
  }

  @Test
  void dayFollowsTheZone(TestPipeline p) {
    Schema byDay =
        Schema.builder()
            .addField("day", Schema.FieldType.logicalType(SqlTypes.DATE))
            .addField("opened", Schema.FieldType.INT64)
            .build();

    PCollection<Row> daily =
        p.apply(
                Create.of(
                        in(MARCH_15_MIDNIGHT, "a", false, null),
                        in(MARCH_15_EVENING, "b", false, null),
                        in(MARCH_16_MORNING, "c", false, null))
                    .withRowSchema(INPUT))
            .apply(
                AggregateRows.of(List.of(), List.of(Measure.count("opened")))
                    .withBucket(byDay("UTC")));

    // In UTC, 22:05 PDT on March 15 is March 16.
    PAssert.that(daily)
        .containsInAnyOrder(
            Row.withSchema(byDay).addValues(LocalDate.of(2019, 3, 15), 1L).build(),
            Row.withSchema(byDay).addValues(LocalDate.of(2019, 3, 16), 2L).build());
    p.run();
  }

  @Test
  void unknownFieldsAndMissingMeasuresAreRejected() {
    AggregateRows byNeighborhood =
        AggregateRows.of(List.of("neighborhood"), MEASURES).withBucket(byDay(LA));
    AggregateRows ofDistance =
        AggregateRows.of(List.of(), List.of(Measure.quantile("p50", "distance", 0.5)))
            .withBucket(byDay(LA));

    IllegalArgumentException group =
        assertThrows(IllegalArgumentException.class, () -> byNeighborhood.outputSchema(INPUT));
    IllegalArgumentException measure =
        assertThrows(IllegalArgumentException.class, () -> ofDistance.outputSchema(INPUT));
    IllegalArgumentException none =
        assertThrows(
            IllegalArgumentException.class,
            () -> AggregateRows.of(List.of(), List.of()));

    assertEquals("group field neighborhood is not in the schema", group.getMessage());
    assertEquals("measure p50: field distance is not in the schema", measure.getMessage());
    assertEquals("measures must not be empty", none.getMessage());
  }
}
