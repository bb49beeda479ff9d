package dev.intake.transforms.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.model.FieldType;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The expression language of condition columns: its values, SQL's nulls, and its errors. */
class ConditionTest {
  private static final String LA = "America/Los_Angeles";

  private static final Map<String, FieldType> TYPES =
      Map.of(
          "status", FieldType.STRING,
          "closed", FieldType.TIMESTAMP,
          "district", FieldType.LONG,
          "lat", FieldType.DOUBLE,
          "flagged", FieldType.BOOLEAN,
          "due", FieldType.DATE,
          "tags", FieldType.STRING_LIST);

  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("status", Schema.FieldType.STRING)
          .addNullableField("closed", Schema.FieldType.DATETIME)
          .addNullableField("district", Schema.FieldType.INT64)
          .addNullableField("lat", Schema.FieldType.DOUBLE)
          .addNullableField("flagged", Schema.FieldType.BOOLEAN)
          .addNullableField("due", Schema.FieldType.logicalType(SqlTypes.DATE))
          .build();

  /** Open, not closed, district 3, lat 37.75, flagged, due 2021-05-10. */
  private static final Row OPEN =
      Row.withSchema(SCHEMA)
          .addValues("Open", null, 3L, 37.75, true, LocalDate.of(2021, 5, 10))
          .build();

  /** Closed 2021-05-01 00:00 PDT (07:00 UTC), no district, flag and due date unknown. */
  private static final Row CLOSED =
      Row.withSchema(SCHEMA)
          .addValues("Closed", new Instant(1619852400000L), null, 37.7, null, null)
          .build();

  private static Boolean eval(String expr, Row row) throws Exception {
    return Condition.parse(expr, TYPES, LA).evaluate(RowValues.of(row));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "status = 'Open'|true|false",
        "status == 'Open' and closed is null|true|false",
        "status != 'Open'|false|true",
        "status <> 'Open' or closed is not null|false|true",
        "STATUS = 'Open'|error|error",
        "NOT status = 'Open'|false|true",
        "not (status = 'Open' or district = 3)|false|null",
        "not (status = 'Open' or district is null)|false|false",
        "district = 3|true|null",
        "district >= 2 and district < 4|true|null",
        "district > 2.5|true|null",
        "lat <= 37.7|false|true",
        "district is null|false|true",
        "district in (1, 2, 3)|true|null",
        "district not in (1, 2)|true|null",
        "status in ('Open', 'Pending')|true|false",
        "flagged|true|null",
        "flagged = false|false|null",
        "not flagged|false|null",
        "flagged or status = 'Closed'|true|true",
        "flagged and status = 'Closed'|false|null",
        "flagged is null or flagged|true|true",
        "closed < '2021-05-01'|null|false",
        "closed >= '2021-05-01'|null|true",
        "closed >= '2021-05-01T00:00:01'|null|false",
        "closed = '2021-05-01T07:00:00Z'|null|true",
        "due > '2021-05-09'|true|null",
        "true|true|true",
        "status = 'it''s'|false|false",
      })
  void evaluatesWithSqlNulls(String expr, String open, String closed) throws Exception {
    if ("error".equals(open)) {
      assertThrows(Condition.ParseException.class, () -> eval(expr, OPEN));
      return;
    }
    assertEquals(open == null ? null : Boolean.valueOf(open), eval(expr, OPEN), "open");
    assertEquals(closed == null ? null : Boolean.valueOf(closed), eval(expr, CLOSED), "closed");
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|1|the expression is empty",
        "status =|9|expected a value after the comparison",
        "status = 'Open' and|20|expected a field or a value at the end",
        "status = 'Open|10|a text that starts here has no closing quote",
        "(status = 'Open'|17|missing ')' at the end",
        "status = 'Open')|16|unexpected ')'",
        "state = 'Open'|1|unknown field 'state'",
        "status = 3|10|cannot compare text field status with a number value",
        "district = 'three'|12|cannot compare number field district with a text value",
        "status|1|expected a comparison, 'is null' or a boolean field",
        "status is 'Open'|11|expected null after 'is'",
        "status is not Open|15|expected null after 'is not'",
        "flagged < true|11|booleans compare only with = and !=",
        "closed < 'yesterday'|10|'yesterday' is not a date, date-time or instant in ISO-8601",
        "due = '2021-13-01'|7|'2021-13-01' is not a date (yyyy-MM-dd)",
        "tags = 'x'|1|field 'tags' is a list<string>, which cannot be compared",
        "status in (district)|12|'in' takes a list of values, not fields",
        "status in ('a' 'b')|16|expected ',' or ')' in the list of 'in'",
        "status not like 'x'|12|expected 'in' after 'not'",
        "status = 'a' and or|18|expected a field or a value, not 'or'",
        "district = 1.2.3|12|'1.2.3' is not a number",
        "status = 'a' ; drop|14|unexpected '; drop'",
        "'a' is null|5|'is null' applies to a field",
      })
  void mistakesAreExplainedWithTheirPosition(String expr, int position, String message) {
    Condition.ParseException e =
        assertThrows(Condition.ParseException.class, () -> Condition.parse(expr, TYPES, LA));
    assertEquals(message, e.getMessage());
    assertEquals(position, e.position());
  }

  @Test
  void listsTheFieldsItReadsOnce() throws Exception {
    assertEquals(
        List.of("status", "closed", "district"),
        Condition.parse("status = 'Open' and (closed is null or status = 'x') or district > 1",
                TYPES, LA)
            .fields());
  }
}
