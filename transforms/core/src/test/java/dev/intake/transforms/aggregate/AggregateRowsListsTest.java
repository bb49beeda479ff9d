package dev.intake.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.intake.transforms.testing.TestPipelineExtension;
import java.time.LocalDate;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Grouping by list fields (explode) and year buckets of a date field. */
@ExtendWith(TestPipelineExtension.class)
class AggregateRowsListsTest {
  private static final Schema.FieldType DATE = Schema.FieldType.logicalType(SqlTypes.DATE);

  private static final Schema ORGS =
      Schema.builder()
          .addNullableField("founded_on", DATE)
          .addNullableField("country", Schema.FieldType.STRING)
          .addNullableField("categories", Schema.FieldType.array(Schema.FieldType.STRING))
          .addNullableField("funding_usd", Schema.FieldType.DOUBLE)
          .build();

  private static final Schema OUT =
      Schema.builder()
          .addField("year", DATE)
          .addNullableField("country", Schema.FieldType.STRING)
          .addNullableField("categories", Schema.FieldType.STRING)
          .addField("orgs", Schema.FieldType.INT64)
          .addNullableField("median_usd", Schema.FieldType.DOUBLE)
          .build();

  private static Row org(LocalDate founded, String country, List<String> categories, Double usd) {
    return Row.withSchema(ORGS).addValues(founded, country, categories, usd).build();
  }

  private static Row out(int year, String country, String category, long orgs, Double median) {
    return Row.withSchema(OUT)
        .addValues(LocalDate.of(year, 1, 1), country, category, orgs, median)
        .build();
  }

  private static final AggregateRows BY_COUNTRY_CATEGORY_YEAR =
      AggregateRows.of(
              List.of("country", "categories"),
              List.of(Measure.count("orgs"), Measure.quantile("median_usd", "funding_usd", 0.5)))
          .withBucket(TimeBucket.of("founded_on", TimeBucket.Unit.YEAR, "year", "UTC"));

  @Test
  void aRowCountsOnceUnderEachDistinctElementOfAListGroupField(TestPipeline p) {
    PCollection<Row> counts =
        p.apply(
                Create.of(
                        org(LocalDate.of(2007, 2, 1), "China", List.of("Apps", "AI", "Apps"), 10.0),
                        org(LocalDate.of(2007, 12, 31), "China", List.of("AI"), 30.0),
                        org(LocalDate.of(2008, 1, 1), "China", List.of("AI"), 5.0),
                        org(LocalDate.of(2013, 6, 1), "France", List.of(), null),
                        org(LocalDate.of(2013, 7, 1), "France", null, 7.0),
                        org(null, "France", List.of("AI"), 1.0))
                    .withRowSchema(ORGS))
            .apply(BY_COUNTRY_CATEGORY_YEAR);

    PAssert.that(counts)
        .containsInAnyOrder(
            out(2007, "China", "Apps", 1, 10.0),
            out(2007, "China", "AI", 2, 20.0),
            out(2008, "China", "AI", 1, 5.0),
            out(2013, "France", null, 2, 7.0));
    p.run().waitUntilFinish();
  }

  @Test
  void severalListFieldsGiveEveryCombination() {
    Schema two =
        Schema.builder()
            .addNullableField("a", Schema.FieldType.array(Schema.FieldType.STRING))
            .addNullableField("b", Schema.FieldType.array(Schema.FieldType.INT64))
            .build();
    Schema exploded =
        Schema.builder()
            .addNullableField("a", Schema.FieldType.STRING)
            .addNullableField("b", Schema.FieldType.INT64)
            .build();
    Row row = Row.withSchema(two).addValues(List.of("x", "y"), List.of(1L, 2L)).build();

    List<Row> rows = KeyByGroupFn.explode(row, exploded, List.of("a", "b"));

    assertEquals(
        List.of(
            Row.withSchema(exploded).addValues("x", 1L).build(),
            Row.withSchema(exploded).addValues("x", 2L).build(),
            Row.withSchema(exploded).addValues("y", 1L).build(),
            Row.withSchema(exploded).addValues("y", 2L).build()),
        rows);
  }

  @Test
  void theOutputSchemaHasTheElementTypeOfAListGroupField() {
    assertEquals(OUT, BY_COUNTRY_CATEGORY_YEAR.outputSchema(ORGS));
  }

  @Test
  void yearTruncatesToJanuaryFirst() {
    assertEquals(
        LocalDate.of(2020, 1, 1), TimeBucket.Unit.YEAR.truncate(LocalDate.of(2020, 12, 31)));
    assertEquals(TimeBucket.Unit.YEAR, TimeBucket.Unit.named("Year"));
  }
}
