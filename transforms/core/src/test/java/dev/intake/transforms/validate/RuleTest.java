package dev.intake.transforms.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("district", Schema.FieldType.INT32)
          .addNullableField("lat", Schema.FieldType.DOUBLE)
          .addNullableField("status", Schema.FieldType.STRING)
          .addNullableField("case_number", Schema.FieldType.STRING)
          .addNullableField("opened", Schema.FieldType.DATETIME)
          .addNullableField("closed", Schema.FieldType.DATETIME)
          .build();

  /** 2019-03-15 22:05 in San Francisco. */
  private static final Instant OPENED = new Instant(1552712700000L);

  /** One hour before {@link #OPENED}. */
  private static final Instant HOUR_BEFORE = new Instant(1552709100000L);

  /** Four days and some after {@link #OPENED}. */
  private static final Instant LATER = new Instant(1553104800000L);

  private static Row row(
      Long id,
      Integer district,
      Double lat,
      String status,
      String caseNumber,
      Instant opened,
      Instant closed) {
    return Row.withSchema(SCHEMA)
        .addValues(id, district, lat, status, caseNumber, opened, closed)
        .build();
  }

  private static final Row VALID = row(7L, 3, 37.7, "Open", "101004001", OPENED, LATER);
  private static final Row ALL_NULL = row(null, null, null, null, null, null, null);

  static Stream<Arguments> cases() {
    Rule required = Rule.required("id");
    Rule lat = Rule.range("lat", 37.6, 37.9);
    Rule district = Rule.range("district", 1.0, 11.0);
    Rule belowMax = Rule.range("lat", null, 37.9);
    Rule aboveMin = Rule.range("id", 1.0, null);
    Rule status = Rule.oneOf("status", List.of("Open", "Closed"));
    Rule caseNumber = Rule.pattern("case_number", "[0-9]{9}");
    Rule order = Rule.notBefore("closed", "opened");
    return Stream.of(
        Arguments.of("required present", required, VALID, null),
        Arguments.of(
            "required empty text is a value",
            Rule.required("status"),
            row(7L, null, null, "", null, null, null),
            null),
        Arguments.of("required missing", required, ALL_NULL, "id is missing"),
        Arguments.of("range inside", lat, VALID, null),
        Arguments.of("range at min", lat, row(7L, 3, 37.6, null, null, null, null), null),
        Arguments.of("range at max", lat, row(7L, 3, 37.9, null, null, null, null), null),
        Arguments.of(
            "range above",
            lat,
            row(7L, 3, 38.0, null, null, null, null),
            "lat 38.0 is outside [37.6, 37.9]"),
        Arguments.of(
            "range below",
            lat,
            row(7L, 3, 0.5, null, null, null, null),
            "lat 0.5 is outside [37.6, 37.9]"),
        Arguments.of(
            "range of a whole number",
            district,
            row(7L, 12, null, null, null, null, null),
            "district 12 is outside [1.0, 11.0]"),
        Arguments.of(
            "range without min", belowMax, row(7L, 3, -1000.0, null, null, null, null), null),
        Arguments.of(
            "range without min, above max",
            belowMax,
            row(7L, 3, 40.0, null, null, null, null),
            "lat 40.0 is outside [-inf, 37.9]"),
        Arguments.of(
            "range without max, below min",
            aboveMin,
            row(0L, 3, null, null, null, null, null),
            "id 0 is outside [1.0, inf]"),
        Arguments.of("range null passes", lat, ALL_NULL, null),
        Arguments.of("oneOf allowed", status, VALID, null),
        Arguments.of(
            "oneOf is exact text",
            status,
            row(7L, 3, null, "open", null, null, null),
            "status 'open' is not one of [Open, Closed]"),
        Arguments.of("oneOf null passes", status, ALL_NULL, null),
        Arguments.of("pattern matches", caseNumber, VALID, null),
        Arguments.of(
            "pattern mismatch",
            caseNumber,
            row(7L, 3, null, null, "10100400x", null, null),
            "case_number '10100400x' does not match [0-9]{9}"),
        Arguments.of(
            "pattern must match the whole text",
            caseNumber,
            row(7L, 3, null, null, "1010040011", null, null),
            "case_number '1010040011' does not match [0-9]{9}"),
        Arguments.of("pattern null passes", caseNumber, ALL_NULL, null),
        Arguments.of("notBefore later", order, VALID, null),
        Arguments.of("notBefore equal", order, row(7L, 3, null, null, null, OPENED, OPENED), null),
        Arguments.of(
            "notBefore earlier",
            order,
            row(7L, 3, null, null, null, OPENED, HOUR_BEFORE),
            "closed 2019-03-16T04:05:00.000Z is before opened 2019-03-16T05:05:00.000Z"),
        Arguments.of(
            "notBefore without end passes",
            order,
            row(7L, 3, null, null, null, OPENED, null),
            null),
        Arguments.of(
            "notBefore without start passes",
            order,
            row(7L, 3, null, null, null, null, HOUR_BEFORE),
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void checkSaysWhyARowBreaksTheRule(String name, Rule rule, Row row, String expected) {
    assertEquals(expected, rule.check(row));
  }

  @Test
  void codesNameTheKindAndTheField() {
    assertEquals("required:id", Rule.required("id").code());
    assertEquals("range:lat", Rule.range("lat", 37.6, 37.9).code());
    assertEquals("enum:status", Rule.oneOf("status", List.of("Open")).code());
    assertEquals("pattern:case_number", Rule.pattern("case_number", "[0-9]+").code());
    assertEquals("order:closed", Rule.notBefore("closed", "opened").code());
    assertEquals("closed", Rule.notBefore("closed", "opened").field());
  }

  @Test
  void rangeWithMinAboveMaxIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Rule.range("lat", 2.0, 1.0));
    assertEquals("range of lat: min 2.0 is greater than max 1.0", e.getMessage());
  }
}
