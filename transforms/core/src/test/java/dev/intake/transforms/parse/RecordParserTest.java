package dev.intake.transforms.parse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.SourceRecord;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordParserTest {
  private static final List<FieldDef> FIELDS =
      List.of(
          FieldDef.of("id", FieldType.LONG),
          FieldDef.of("opened", FieldType.TIMESTAMP),
          FieldDef.of("status", FieldType.STRING),
          FieldDef.of("district", FieldType.INT),
          FieldDef.of("lat", FieldType.DOUBLE).withNullValues(List.of("0")),
          FieldDef.of("public", FieldType.BOOLEAN));

  private static final RecordFormat CSV =
      RecordFormat.of(
          "export",
          RecordFormat.Kind.CSV,
          Map.of(
              "CaseID", "id",
              "Opened", "opened",
              "Status", "status",
              "Supervisor District", "district",
              "Latitude", "lat"),
          List.of("MM/dd/yyyy hh:mm:ss a"),
          "America/Los_Angeles");

  private static final RecordFormat JSON =
      RecordFormat.of(
          "api",
          RecordFormat.Kind.JSON,
          Map.of(),
          List.of("yyyy-MM-dd'T'HH:mm:ss.SSS"),
          "America/Los_Angeles");

  /** Columns in another order than the fields, with one column no field reads. */
  private static final String HEADER =
      "Latitude,Extra,Status,CaseID,Opened,Supervisor District,public";

  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("opened", Schema.FieldType.DATETIME)
          .addNullableField("status", Schema.FieldType.STRING)
          .addNullableField("district", Schema.FieldType.INT32)
          .addNullableField("lat", Schema.FieldType.DOUBLE)
          .addNullableField("public", Schema.FieldType.BOOLEAN)
          .build();

  private static Row row(Object... values) {
    return Row.withSchema(SCHEMA).addValues(values).build();
  }

  private static SourceRecord csv(String text) {
    return SourceRecord.of("cases.csv", 2, 62, text, HEADER);
  }

  private static SourceRecord json(String text) {
    return SourceRecord.of("window-1/page-0", 0, 0, text, null);
  }

  @Test
  void schemaHasOneNullableFieldPerDefinition() {
    assertEquals(SCHEMA, new RecordParser(FIELDS, CSV).schema());
  }

  static Stream<Arguments> validCsv() {
    return Stream.of(
        Arguments.of(
            "37.808,ignored,Open,101004001,03/15/2019 10:05:00 PM,3,true",
            row(101004001L, new Instant(1552712700000L), "Open", 3, 37.808, true)),
        Arguments.of(",,,101004002,,,", row(101004002L, null, null, null, null, null)),
        Arguments.of(
            "0.000000000000,x,Closed,101004003,01/02/2019 12:30:00 AM,11,FALSE",
            row(101004003L, new Instant(1546417800000L), "Closed", 11, null, false)),
        Arguments.of("0,,,101004004,,,", row(101004004L, null, null, null, null, null)),
        Arguments.of("-0.0,,,101004005,,,", row(101004005L, null, null, null, null, null)),
        Arguments.of("0.5,,,101004006,,,", row(101004006L, null, null, null, 0.5, null)),
        Arguments.of(
            "\"37.7\",\"a,b\",\" Open \",\" 101004007 \",,\"4\",",
            row(101004007L, null, " Open ", 4, 37.7, null)),
        Arguments.of(
            ",,\"Needs \"\"review\"\"\nsecond line\",101004008,,,",
            row(101004008L, null, "Needs \"review\"\nsecond line", null, null, null)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("validCsv")
  void csvFieldsAreFoundByHeaderName(String text, Row expected) {
    RecordParser.Outcome outcome = new RecordParser(FIELDS, CSV).parse(csv(text));

    assertTrue(outcome.ok(), () -> String.valueOf(outcome.reasons));
    assertEquals(expected, outcome.row);
  }

  @Test
  void fieldWithoutAColumnIsNull() {
    SourceRecord record = SourceRecord.of("old.csv", 2, 20, "101004001,Open", "CaseID,Status");

    RecordParser.Outcome outcome = new RecordParser(FIELDS, CSV).parse(record);

    assertEquals(row(101004001L, null, "Open", null, null, null), outcome.row);
  }

  @Test
  void headerNamesAreTrimmed() {
    SourceRecord record =
        SourceRecord.of("spaced.csv", 2, 20, "101004001, Open", " CaseID , Status ");

    RecordParser.Outcome outcome = new RecordParser(FIELDS, CSV).parse(record);

    assertEquals(row(101004001L, null, " Open", null, null, null), outcome.row);
  }

  @Test
  void eachRecordIsReadWithItsOwnFilesHeader() {
    RecordParser parser = new RecordParser(FIELDS, CSV);

    Row first = parser.parse(SourceRecord.of("a.csv", 2, 13, "1,Open", "CaseID,Status")).row;
    Row second = parser.parse(SourceRecord.of("b.csv", 2, 13, "Closed,2", "Status,CaseID")).row;
    Row third = parser.parse(SourceRecord.of("a.csv", 3, 20, "3,Open", "CaseID,Status")).row;

    assertEquals(row(1L, null, "Open", null, null, null), first);
    assertEquals(row(2L, null, "Closed", null, null, null), second);
    assertEquals(row(3L, null, "Open", null, null, null), third);
  }

  @Test
  void typeErrorsListEveryBadFieldInFieldOrder() {
    RecordParser.Outcome outcome =
        new RecordParser(FIELDS, CSV).parse(csv("north,x,Open,abc,02/30/2019 10:00:00 AM,3.5,yes"));

    assertFalse(outcome.ok());
    assertNull(outcome.row);
    assertEquals(
        List.of("type:id", "type:opened", "type:district", "type:lat", "type:public"),
        outcome.codes);
    assertEquals(
        List.of(
            "id: 'abc' is not a whole number",
            "opened: '02/30/2019 10:00:00 AM' is not a timestamp (expected MM/dd/yyyy hh:mm:ss a)",
            "district: '3.5' is not a whole number",
            "lat: 'north' is not a number",
            "public: 'yes' is not true or false"),
        outcome.reasons);
  }

  static Stream<Arguments> singleTypeErrors() {
    return Stream.of(
        Arguments.of("NaN,,,1,,,", "type:lat", "lat: 'NaN' is not a number"),
        Arguments.of("Infinity,,,1,,,", "type:lat", "lat: 'Infinity' is not a number"),
        Arguments.of(
            ",,,99999999999999999999,,,",
            "type:id",
            "id: '99999999999999999999' is not a whole number"),
        Arguments.of(
            ",,,1,,3000000000,", "type:district", "district: '3000000000' is not a whole number"),
        Arguments.of(
            ",,,1,2019-03-15T22:05:00.000,,",
            "type:opened",
            "opened: '2019-03-15T22:05:00.000' is not a timestamp (expected MM/dd/yyyy hh:mm:ss"
                + " a)"),
        Arguments.of(
            ",,,1234567890123456789012345678901234567890123456789012345678901234567890,,,",
            "type:id",
            "id: '123456789012345678901234567890123456789012345678901234567890…' is not a whole"
                + " number"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("singleTypeErrors")
  void badValueIsATypeError(String text, String code, String reason) {
    RecordParser.Outcome outcome = new RecordParser(FIELDS, CSV).parse(csv(text));

    assertEquals(List.of(code), outcome.codes);
    assertEquals(List.of(reason), outcome.reasons);
  }

  static Stream<Arguments> malformedCsv() {
    return Stream.of(
        Arguments.of(
            csv("37.8,x,\"Open,1,,,"),
            "malformed CSV: unterminated quoted field starting at character 8"),
        Arguments.of(
            csv("37.8,x,\"Open\"!,1,,,"),
            "malformed CSV: unexpected character '!' after a closing quote at character 14"),
        Arguments.of(csv("37.8,x,Open"), "malformed CSV: 3 fields where the header has 7"),
        Arguments.of(csv("37.8,x,Open,1,,,,"), "malformed CSV: 8 fields where the header has 7"),
        Arguments.of(
            SourceRecord.of("cases.csv", 2, 9, "1,Open", null), "CSV record without a header"),
        Arguments.of(
            SourceRecord.of("cases.csv", 2, 9, "1,Open", "\"CaseID,Status"),
            "the header is not valid CSV: unterminated quoted field starting at character 1"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("malformedCsv")
  void malformedCsvIsOneProblem(SourceRecord record, String reason) {
    RecordParser.Outcome outcome = new RecordParser(FIELDS, CSV).parse(record);

    assertFalse(outcome.ok());
    assertEquals(List.of("malformed:csv"), outcome.codes);
    assertEquals(List.of(reason), outcome.reasons);
  }

  static Stream<Arguments> validJson() {
    return Stream.of(
        Arguments.of(
            "{\"id\":\"101004001\",\"opened\":\"2019-07-04T12:00:00.250\",\"status\":\"Open\","
                + "\"district\":\"3\",\"lat\":\"37.808\",\"public\":\"true\"}",
            row(101004001L, new Instant(1562266800250L), "Open", 3, 37.808, true)),
        Arguments.of("{\"id\":\"101004002\"}", row(101004002L, null, null, null, null, null)),
        Arguments.of(
            "{\"id\":\"101004003\",\"status\":null,\"lat\":\"0.000000000000\",\"extra\":\"x\"}",
            row(101004003L, null, null, null, null, null)),
        Arguments.of(
            "{\"id\":101004004,\"district\":5,\"lat\":37.75,\"public\":false}",
            row(101004004L, null, null, 5, 37.75, false)),
        Arguments.of(
            "{\"id\":\"101004005\",\"status\":{\"code\":\"Open\"}}",
            row(101004005L, null, "{\"code\":\"Open\"}", null, null, null)),
        Arguments.of("{}", row(null, null, null, null, null, null)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("validJson")
  void jsonValuesAreFoundByKey(String text, Row expected) {
    RecordParser.Outcome outcome = new RecordParser(FIELDS, JSON).parse(json(text));

    assertTrue(outcome.ok(), () -> String.valueOf(outcome.reasons));
    assertEquals(expected, outcome.row);
  }

  @Test
  void jsonKeysFollowTheFormatsColumnMapping() {
    RecordFormat mapped =
        RecordFormat.of(
            "api",
            RecordFormat.Kind.JSON,
            Map.of("service_request_id", "id"),
            List.of("yyyy-MM-dd'T'HH:mm:ss.SSS"),
            "America/Los_Angeles");

    RecordParser.Outcome outcome =
        new RecordParser(FIELDS, mapped)
            .parse(json("{\"service_request_id\":\"7\",\"id\":\"8\",\"status\":\"Open\"}"));

    assertEquals(row(7L, null, "Open", null, null, null), outcome.row);
  }

  @Test
  void jsonTypeErrorsListEveryBadField() {
    RecordParser.Outcome outcome =
        new RecordParser(FIELDS, JSON)
            .parse(json("{\"id\":\"x1\",\"opened\":\"07/04/2019\",\"lat\":\"\"}"));

    assertEquals(List.of("type:id", "type:opened"), outcome.codes);
    assertEquals(
        List.of(
            "id: 'x1' is not a whole number",
            "opened: '07/04/2019' is not a timestamp (expected yyyy-MM-dd'T'HH:mm:ss.SSS)"),
        outcome.reasons);
  }

  static Stream<Arguments> notAnObject() {
    return Stream.of(
        Arguments.of("[1,2]"), Arguments.of("\"text\""), Arguments.of("42"), Arguments.of(""));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("notAnObject")
  void jsonThatIsNotAnObjectIsMalformed(String text) {
    RecordParser.Outcome outcome = new RecordParser(FIELDS, JSON).parse(json(text));

    assertEquals(List.of("malformed:json"), outcome.codes);
    assertEquals(List.of("malformed JSON: expected an object"), outcome.reasons);
  }

  @Test
  void invalidJsonIsMalformed() {
    RecordParser.Outcome outcome = new RecordParser(FIELDS, JSON).parse(json("{\"id\":\"1\","));

    assertEquals(List.of("malformed:json"), outcome.codes);
    assertEquals(1, outcome.reasons.size());
    assertThat(outcome.reasons.get(0), startsWith("malformed JSON: Unexpected end-of-input"));
  }
}
