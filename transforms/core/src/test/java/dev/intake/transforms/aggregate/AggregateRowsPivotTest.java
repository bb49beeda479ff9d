package dev.intake.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.testing.TestPipelineExtension;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pivots: one column per declared value, plus other and null, for counts, sums and medians. */
@ExtendWith(TestPipelineExtension.class)
class AggregateRowsPivotTest {
  private static final String LA = "America/Los_Angeles";

  private static final Schema INPUT =
      Schema.builder()
          .addNullableField("requested", Schema.FieldType.DATETIME)
          .addNullableField("hood", Schema.FieldType.STRING)
          .addNullableField("source", Schema.FieldType.STRING)
          .addNullableField("hours", Schema.FieldType.DOUBLE)
          .build();

  /** 2021-05-03 09:00 PDT. */
  private static final long MAY = 1620057600000L;

  /** 2021-06-01 00:30 PDT: still May 31 in UTC, June in San Francisco. */
  private static final long JUNE = 1622532600000L;

  private static Pivot sources() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("Phone", "phone");
    values.put("Web", "web");
    values.put("Mobile/Open311", "mobile_open311");
    return Pivot.of("source", values, "other", "null");
  }

  private static Row in(long millis, String hood, String source, Double hours) {
    return Row.withSchema(INPUT).addValues(new Instant(millis), hood, source, hours).build();
  }

  @Test
  void countsEveryRowInTheColumnOfItsValueOtherOrNull(TestPipeline p) {
    Schema expected =
        Schema.builder()
            .addField("month", Schema.FieldType.logicalType(SqlTypes.DATE))
            .addNullableField("hood", Schema.FieldType.STRING)
            .addField("cases_phone", Schema.FieldType.INT64)
            .addField("cases_web", Schema.FieldType.INT64)
            .addField("cases_mobile_open311", Schema.FieldType.INT64)
            .addField("cases_other", Schema.FieldType.INT64)
            .addField("cases_null", Schema.FieldType.INT64)
            .build();

    PCollection<Row> monthly =
        p.apply(
                Create.of(
                        in(MAY, "Mission", "Phone", null),
                        in(MAY, "Mission", "Phone", null),
                        in(MAY, "Mission", "Mobile/Open311", null),
                        in(MAY, "Mission", "Twitter", null),
                        in(MAY, "Mission", "phone", null),
                        in(MAY, "Mission", null, null),
                        in(MAY, null, "Web", null),
                        in(JUNE, "Mission", "Integrated Agency", null))
                    .withRowSchema(INPUT))
            .apply(
                AggregateRows.of(List.of("hood"), List.of(Measure.count("cases")))
                    .withBucket(TimeBucket.of("requested", TimeBucket.Unit.MONTH, "month", LA))
                    .withPivot(sources()));

    assertEquals(expected, monthly.getSchema());
    // Values compare exactly: "phone" is not "Phone", so it counts as other, like "Twitter".
    PAssert.that(monthly)
        .containsInAnyOrder(
            Row.withSchema(expected)
                .addValues(LocalDate.of(2021, 5, 1), "Mission", 2L, 0L, 1L, 2L, 1L)
                .build(),
            Row.withSchema(expected)
                .addValues(LocalDate.of(2021, 5, 1), null, 0L, 1L, 0L, 0L, 0L)
                .build(),
            Row.withSchema(expected)
                .addValues(LocalDate.of(2021, 6, 1), "Mission", 0L, 0L, 0L, 1L, 0L)
                .build());
    p.run();
  }

  @Test
  void sumsAndMediansPivotTooAndAreNullWhereAColumnHasNoValue(TestPipeline p) {
    Schema expected =
        Schema.builder()
            .addNullableField("hood", Schema.FieldType.STRING)
            .addNullableField("hours_phone", Schema.FieldType.DOUBLE)
            .addNullableField("hours_web", Schema.FieldType.DOUBLE)
            .addNullableField("hours_mobile_open311", Schema.FieldType.DOUBLE)
            .addNullableField("hours_other", Schema.FieldType.DOUBLE)
            .addNullableField("hours_null", Schema.FieldType.DOUBLE)
            .addNullableField("p50_phone", Schema.FieldType.DOUBLE)
            .addNullableField("p50_web", Schema.FieldType.DOUBLE)
            .addNullableField("p50_mobile_open311", Schema.FieldType.DOUBLE)
            .addNullableField("p50_other", Schema.FieldType.DOUBLE)
            .addNullableField("p50_null", Schema.FieldType.DOUBLE)
            .build();

    PCollection<Row> byHood =
        p.apply(
                Create.of(
                        in(MAY, "Mission", "Phone", 1.0),
                        in(MAY, "Mission", "Phone", 4.0),
                        in(MAY, "Mission", "Phone", 10.0),
                        in(MAY, "Mission", "Web", null),
                        in(MAY, "Mission", "Email", 2.5),
                        in(MAY, "Mission", null, 6.0))
                    .withRowSchema(INPUT))
            .apply(
                AggregateRows.of(
                        List.of("hood"),
                        List.of(
                            Measure.sum("hours", "hours"), Measure.quantile("p50", "hours", 0.5)))
                    .withPivot(sources()));

    assertEquals(expected, byHood.getSchema());
    PAssert.that(byHood)
        .containsInAnyOrder(
            Row.withSchema(expected)
                .addValues("Mission", 15.0, null, null, 2.5, 6.0, 4.0, null, null, 2.5, 6.0)
                .build());
    p.run();
  }

  @Test
  void aPivotFieldMustBeALowCardinalityColumnOutsideTheGroups() {
    Schema withHours =
        Schema.builder()
            .addNullableField("hood", Schema.FieldType.STRING)
            .addNullableField("hours", Schema.FieldType.DOUBLE)
            .build();
    List<Measure> count = List.of(Measure.count("n"));
    Pivot ofHood = Pivot.of("hood", Map.of("Mission", "mission"), "other", "null");
    Pivot ofHours = Pivot.of("hours", Map.of("1", "one"), "other", "null");
    Pivot ofNothing = Pivot.of("nothing", Map.of("1", "one"), "other", "null");

    assertEquals(
        "pivot field hood is also a group field",
        assertThrows(
                IllegalArgumentException.class,
                () -> AggregateRows.of(List.of("hood"), count).withPivot(ofHood)
                    .outputSchema(withHours))
            .getMessage());
    assertEquals(
        "pivot field hours is not a string, whole-number or boolean field",
        assertThrows(
                IllegalArgumentException.class,
                () -> AggregateRows.of(List.of(), count).withPivot(ofHours)
                    .outputSchema(withHours))
            .getMessage());
    assertEquals(
        "pivot field nothing is not in the schema",
        assertThrows(
                IllegalArgumentException.class,
                () -> AggregateRows.of(List.of(), count).withPivot(ofNothing)
                    .outputSchema(withHours))
            .getMessage());
    // A pivot column that takes a group's name.
    assertEquals(
        "column n_other appears twice in the output",
        assertThrows(
                IllegalArgumentException.class,
                () -> AggregateRows.of(List.of("n_other"), count)
                    .withPivot(Pivot.of("hood", Map.of("x", "x"), "other", "null"))
                    .outputSchema(
                        Schema.builder()
                            .addNullableField("hood", Schema.FieldType.STRING)
                            .addNullableField("n_other", Schema.FieldType.STRING)
                            .build()))
            .getMessage());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Phone|phone",
        "Mobile/Open311|mobile_open311",
        "Integrated Agency|integrated_agency",
        "  Other  Department |other_department",
        "e-mail|e_mail",
        "Crème Brûlée|creme_brulee",
        "2021|2021",
        "true|true",
        "'#@!'|''",
      })
  void aValueBecomesAColumnSuffixOfLettersDigitsAndUnderscores(String value, String suffix) {
    assertEquals(suffix, Pivot.suffixOf(value));
  }

  @Test
  void suffixesMustBeValidAndDistinct() {
    Map<String, String> twice = new LinkedHashMap<>();
    twice.put("Phone", "phone");
    twice.put("phone", "phone");

    assertEquals(
        "pivot column suffix phone is used twice",
        assertThrows(IllegalArgumentException.class, () -> Pivot.of("s", twice, "other", "null"))
            .getMessage());
    assertEquals(
        "pivot column suffix must be lower-case letters, digits and inner '_', but was Other",
        assertThrows(
                IllegalArgumentException.class,
                () -> Pivot.of("s", Map.of("a", "a"), "Other", "null"))
            .getMessage());
    assertEquals(
        "pivot column suffix other is used twice",
        assertThrows(
                IllegalArgumentException.class,
                () -> Pivot.of("s", Map.of("Other", "other"), "other", "null"))
            .getMessage());
    assertEquals(
        "pivot of s needs at least one value",
        assertThrows(IllegalArgumentException.class, () -> Pivot.of("s", Map.of(), "o", "n"))
            .getMessage());
  }
}
