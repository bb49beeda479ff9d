package dev.intake.transforms.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.model.FieldType;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each derivation function on real-looking values, nulls, and wrongly typed inputs. */
class DerivationTest {
  private static final String LA = "America/Los_Angeles";

  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("requested", Schema.FieldType.DATETIME)
          .addNullableField("closed", Schema.FieldType.DATETIME)
          .addNullableField("due", Schema.FieldType.logicalType(SqlTypes.DATE))
          .addNullableField("source", Schema.FieldType.STRING)
          .addNullableField("notes", Schema.FieldType.STRING)
          .addNullableField("district", Schema.FieldType.INT64)
          .build();

  /** 2021-01-03 23:30 PST (Sunday), 2021-01-04 07:30 UTC. */
  private static final long SUNDAY_LATE = 1609745400000L;

  /** 2021-01-05 00:15 PST, two local days later. */
  private static final long TUESDAY_EARLY = 1609834500000L;

  private static Row row(Long requested, Long closed, String source, String notes, Long district) {
    return Row.withSchema(SCHEMA)
        .addValues(
            requested == null ? null : new Instant(requested),
            closed == null ? null : new Instant(closed),
            LocalDate.of(2021, 2, 28),
            source,
            notes,
            district)
        .build();
  }

  private static final Row CASE =
      row(SUNDAY_LATE, TUESDAY_EARLY, "Mobile/Open311", "  bulky\u00a0 items\n removed ", 3L);

  private static final Row EMPTY = row(null, null, null, null, null);

  private static Object compute(Derivation d, Row row) {
    d.checkInput(SCHEMA);
    return d.compute(RowValues.of(row));
  }

  @Test
  void hoursAndDaysBetween() {
    assertEquals(24.75, compute(Derivation.hoursBetween("h", "requested", "closed"), CASE));
    // 24.75 hours, but from Sunday's date to Tuesday's in San Francisco: two days.
    assertEquals(2L, compute(Derivation.daysBetween("d", "requested", "closed", LA), CASE));
    assertEquals(-2L, compute(Derivation.daysBetween("d", "closed", "requested", LA), CASE));
    // In UTC both are on January 4 and 5.
    assertEquals(1L, compute(Derivation.daysBetween("d", "requested", "closed", "UTC"), CASE));
    assertEquals(56L, compute(Derivation.daysBetween("d", "requested", "due", LA), CASE));
    assertNull(compute(Derivation.daysBetween("d", "requested", "closed", LA), EMPTY));
    assertEquals(FieldType.LONG, Derivation.daysBetween("d", "a", "b", LA).fieldType());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "YEAR, 2021", "QUARTER, 1", "MONTH, 1", "WEEK, 53", "DAY, 3", "DOW, 7", "DOY, 3",
    "HOUR, 23", "MINUTE, 30"
  })
  void datePartsAreOfTheLocalTimeInTheZone(TimeFunctions.Part part, long expected) {
    assertEquals(expected, compute(Derivation.datePart("p", "requested", part, LA), CASE));
  }

  @Test
  void datePartsInOtherZonesAndOfDates() {
    assertEquals(
        7L, compute(Derivation.datePart("h", "requested", TimeFunctions.Part.HOUR, "UTC"), CASE));
    assertEquals(
        1L, compute(Derivation.datePart("w", "requested", TimeFunctions.Part.WEEK, "UTC"), CASE));
    assertEquals(
        59L, compute(Derivation.datePart("y", "due", TimeFunctions.Part.DOY, LA), CASE));
    assertNull(compute(Derivation.datePart("h", "requested", TimeFunctions.Part.HOUR, LA), EMPTY));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Derivation.datePart("h", "due", TimeFunctions.Part.HOUR, LA).checkInput(SCHEMA));
    assertEquals(
        "derived column h: due is not a timestamp field (a date has no hour)", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "DAY, 2021-01-03", "WEEK, 2020-12-28", "MONTH, 2021-01-01", "QUARTER, 2021-01-01",
    "YEAR, 2021-01-01"
  })
  void dateBucketsAreTheFirstDayOfTheLocalUnit(TimeFunctions.Unit unit, String first) {
    assertEquals(
        LocalDate.parse(first), compute(Derivation.dateTrunc("b", "requested", unit, LA), CASE));
  }

  @Test
  void dateBucketsOfDatesAndInUtc() {
    assertEquals(
        LocalDate.of(2021, 1, 4),
        compute(Derivation.dateTrunc("b", "requested", TimeFunctions.Unit.WEEK, "UTC"), CASE));
    assertEquals(
        LocalDate.of(2021, 1, 1),
        compute(Derivation.dateTrunc("b", "due", TimeFunctions.Unit.QUARTER, LA), CASE));
    assertEquals(
        FieldType.DATE, Derivation.dateTrunc("b", "due", TimeFunctions.Unit.DAY, LA).fieldType());
  }

  @Test
  void coalesceTakesTheFirstValue() {
    Derivation d = Derivation.coalesce("c", List.of("closed", "requested"), FieldType.TIMESTAMP);
    assertEquals(new Instant(TUESDAY_EARLY), compute(d, CASE));
    assertEquals(new Instant(SUNDAY_LATE), compute(d, row(SUNDAY_LATE, null, null, null, null)));
    assertNull(compute(d, EMPTY));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Derivation.coalesce("c", List.of("closed", "due"), FieldType.TIMESTAMP)
                .checkInput(SCHEMA));
    assertEquals("derived column c: due is not a timestamp field", e.getMessage());
  }

  @Test
  void textStepsTrimChangeCaseAndCollapseUnicodeWhitespace() {
    // The notes hold a no-break space (U+00A0) and a line break.
    assertEquals("bulky\u00a0 items\n removed", text(ValueFunctions.TextStep.TRIM));
    assertEquals("  bulky\u00a0 items\n removed ", text(ValueFunctions.TextStep.LOWER));
    assertEquals("  BULKY\u00a0 ITEMS\n REMOVED ", text(ValueFunctions.TextStep.UPPER));
    assertEquals(" bulky items removed ", text(ValueFunctions.TextStep.COLLAPSE_WHITESPACE));
  }

  private static Object text(ValueFunctions.TextStep step) {
    return compute(Derivation.normalize("n", "notes", List.of(step)), CASE);
  }

  @Test
  void normalizeAppliesItsStepsInOrder() {
    Derivation d =
        Derivation.normalize(
            "n",
            "notes",
            List.of(
                ValueFunctions.TextStep.COLLAPSE_WHITESPACE,
                ValueFunctions.TextStep.TRIM,
                ValueFunctions.TextStep.UPPER));
    assertEquals("BULKY ITEMS REMOVED", compute(d, CASE));
    assertNull(compute(d, EMPTY));
    assertEquals(
        "derived column n: district is not a string field",
        assertThrows(
                IllegalArgumentException.class,
                () -> Derivation.normalize("n", "district", List.of(ValueFunctions.TextStep.TRIM))
                    .checkInput(SCHEMA))
            .getMessage());
  }

  @Test
  void lookupMapsValuesAndFallsBackToTheDefault() {
    Map<String, Object> channels = new LinkedHashMap<>();
    channels.put("Phone", "phone");
    channels.put("Mobile/Open311", "app");
    Derivation d = Derivation.lookup("ch", "source", channels, "other", FieldType.STRING);
    assertEquals("app", compute(d, CASE));
    assertEquals("other", compute(d, row(null, null, "Twitter", null, null)));
    assertEquals("other", compute(d, EMPTY));
    Derivation noDefault = Derivation.lookup("ch", "source", channels, null, FieldType.STRING);
    assertNull(compute(noDefault, row(null, null, "Twitter", null, null)));

    Derivation byDistrict =
        Derivation.lookup("east", "district", Map.of("3", true, "6", true), false,
            FieldType.BOOLEAN);
    assertEquals(true, compute(byDistrict, CASE));
    assertEquals(false, compute(byDistrict, row(null, null, null, null, 4L)));
  }

  @Test
  void conditionsAreBooleanColumns() throws Exception {
    Derivation d =
        Derivation.condition(
            "is_open",
            Condition.parse(
                "closed is null and source != 'Phone'",
                Map.of("closed", FieldType.TIMESTAMP, "source", FieldType.STRING),
                LA));
    assertEquals(FieldType.BOOLEAN, d.fieldType());
    assertEquals(List.of("closed", "source"), d.inputs());
    assertEquals(false, compute(d, CASE));
    assertEquals(true, compute(d, row(null, null, "Web", null, null)));
    assertNull(compute(d, EMPTY));
  }
}
