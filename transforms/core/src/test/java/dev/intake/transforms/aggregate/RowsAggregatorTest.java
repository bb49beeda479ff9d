package dev.intake.transforms.aggregate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.intake.transforms.testing.TestPipelineExtension;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RowsAggregator}, an aggregate computed over rows held in memory: the rows {@link
 * AggregateRows} outputs in a pipeline for the same input, with a day bucket, a list group field
 * (exploded), a pivot, and every kind of measure; rows without a bucket value are left out.
 */
@ExtendWith(TestPipelineExtension.class)
class RowsAggregatorTest {
  private static final Schema INPUT = Schema.builder()
      .addNullableField("opened", Schema.FieldType.DATETIME)
      .addNullableField("hood", Schema.FieldType.STRING)
      .addNullableField("tags", Schema.FieldType.array(Schema.FieldType.STRING))
      .addNullableField("source", Schema.FieldType.STRING)
      .addNullableField("closed", Schema.FieldType.DATETIME)
      .addNullableField("hours", Schema.FieldType.DOUBLE)
      .build();

  private static final Instant DAY1 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant DAY2 = Instant.parse("2025-03-02T23:30:00Z");

  private static Row row(Instant opened, String hood, List<String> tags, String source,
      Double hours) {
    return Row.withSchema(INPUT).addValues(opened, hood, tags, source,
        hours == null || opened == null ? null : opened.plus(1000L), hours).build();
  }

  private static final List<Row> ROWS = List.of(
      row(DAY1, "Mission", List.of("a", "b", "a"), "Phone", 2.0),
      row(DAY1, "Mission", List.of("a"), "Web", 4.0),
      row(DAY1, "Mission", null, "Fax", null),
      row(DAY1, null, List.of(), null, 1.5),
      row(DAY2, "Mission", List.of("b"), "Phone", 10.0),
      row(null, "Mission", List.of("a"), "Phone", 99.0));

  private static AggregateRows aggregate() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("Phone", "phone");
    values.put("Web", "web");
    return AggregateRows.of(List.of("hood", "tags"), List.of(
            Measure.count("cases"), Measure.countOf("closed", "closed"),
            Measure.sum("hours", "hours"), Measure.quantile("median", "hours", 0.5)))
        .withBucket(TimeBucket.of("opened", TimeBucket.Unit.DAY, "day", "UTC"))
        .withPivot(Pivot.of("source", values, "other", "null"));
  }

  @Test
  void givesTheRowsOfTheTransformForTheSameRows(TestPipeline p) {
    RowsAggregator inMemory = aggregate().inMemory(INPUT);
    List<Row> rows = inMemory.aggregate(ROWS);
    assertThat(inMemory.outputSchema(), equalTo(aggregate().outputSchema(INPUT)));
    PAssert.that(p.apply(Create.of(ROWS).withRowSchema(INPUT)).apply(aggregate()))
        .containsInAnyOrder(rows);
    p.run().waitUntilFinish();

    // Day 1: Mission under a (once for the row listing it twice), b, and null (no tags); the null
    // hood with no tags; day 2: Mission under b. The row without an opening time has no day.
    List<String> groups = new ArrayList<>();
    for (Row r : rows) {
      groups.add(r.getValue("day") + " " + r.getString("hood") + " " + r.getString("tags")
          + " cases " + r.getInt64("cases_phone") + "/" + r.getInt64("cases_web") + "/"
          + r.getInt64("cases_other") + "/" + r.getInt64("cases_null")
          + " median " + r.getDouble("median_phone") + "/" + r.getDouble("median_web"));
    }
    assertThat(groups, containsInAnyOrder(
        "2025-03-01 Mission a cases 1/1/0/0 median 2.0/4.0",
        "2025-03-01 Mission b cases 1/0/0/0 median 2.0/null",
        "2025-03-01 Mission null cases 0/0/1/0 median null/null",
        "2025-03-01 null null cases 0/0/0/1 median null/null",
        "2025-03-02 Mission b cases 1/0/0/0 median 10.0/null"));
    assertThat(LocalDate.parse("2025-03-01"), equalTo(rows.stream()
        .map(r -> (LocalDate) r.getValue("day")).min(LocalDate::compareTo).orElseThrow()));
  }

  @Test
  void noRowsGiveNoGroups() {
    assertThat(aggregate().inMemory(INPUT).aggregate(List.of()), empty());
  }
}
