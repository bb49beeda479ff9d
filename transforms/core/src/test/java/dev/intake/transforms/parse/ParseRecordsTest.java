package dev.intake.transforms.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.model.WithDeadLetters;
import dev.intake.transforms.testing.DeadLetterText;
import dev.intake.transforms.testing.TestPipelineExtension;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class ParseRecordsTest {
  private static final Lineage LINEAGE =
      Lineage.of("sf311", "run-20240501", new Instant(1714521600000L));

  private static final List<FieldDef> FIELDS =
      List.of(
          FieldDef.of("service_request_id", FieldType.LONG),
          FieldDef.of("requested_datetime", FieldType.TIMESTAMP),
          FieldDef.of("status_description", FieldType.STRING),
          FieldDef.of("lat", FieldType.DOUBLE).withNullValues(List.of("0")));

  private static final RecordFormat EXPORT =
      RecordFormat.of(
          "export_csv",
          RecordFormat.Kind.CSV,
          Map.of(
              "CaseID", "service_request_id",
              "Opened", "requested_datetime",
              "Status", "status_description",
              "Latitude", "lat"),
          List.of("MM/dd/yyyy hh:mm:ss a"),
          "America/Los_Angeles");

  private static final RecordFormat API =
      RecordFormat.of(
          "api_json",
          RecordFormat.Kind.JSON,
          Map.of(),
          List.of("yyyy-MM-dd'T'HH:mm:ss.SSS"),
          "America/Los_Angeles");

  private static final String HEADER = "Status,Latitude,CaseID,Opened,Extra";

  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("service_request_id", Schema.FieldType.INT64)
          .addNullableField("requested_datetime", Schema.FieldType.DATETIME)
          .addNullableField("status_description", Schema.FieldType.STRING)
          .addNullableField("lat", Schema.FieldType.DOUBLE)
          .build();

  private static Row row(Long id, Long requestedMillis, String status, Double lat) {
    return Row.withSchema(SCHEMA)
        .addValues(id, requestedMillis == null ? null : new Instant(requestedMillis), status, lat)
        .build();
  }

  private static PCollection<SourceRecord> create(Pipeline p, SourceRecord... records) {
    try {
      return p.apply(
          Create.of(List.of(records))
              .withCoder(p.getSchemaRegistry().getSchemaCoder(SourceRecord.class)));
    } catch (NoSuchSchemaException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void everyRecordIsEitherARowOrADeadLetter(TestPipeline p) {
    SourceRecord good =
        SourceRecord.of(
            "cases.csv", 2, 36, "Open,37.808,101004001,03/15/2019 10:05:00 PM,x", HEADER);
    SourceRecord noLocation =
        SourceRecord.of("cases.csv", 3, 83, "Closed,0.000000000000,101004002,,", HEADER);
    SourceRecord badTypes =
        SourceRecord.of(
            "cases.csv", 4, 118, "Open,north,10100400x,02/30/2019 10:00:00 AM,", HEADER);
    SourceRecord unterminated =
        SourceRecord.of("cases.csv", 5, 170, "Open,37.7,\"101004004,,", HEADER);
    SourceRecord tooShort = SourceRecord.of("cases.csv", 7, 199, "Open,37.7", HEADER);

    WithDeadLetters<KV<SourceRecord, Row>> parsed =
        create(p, good, noLocation, badTypes, unterminated, tooShort)
            .apply(ParseRecords.of(FIELDS, EXPORT, LINEAGE));

    PAssert.that(parsed.output())
        .containsInAnyOrder(
            KV.of(SourceRecord.of("cases.csv", 2, 36,
                    "Open,37.808,101004001,03/15/2019 10:05:00 PM,x", null),
                row(101004001L, 1552712700000L, "Open", 37.808)),
            KV.of(SourceRecord.of("cases.csv", 3, 83, "Closed,0.000000000000,101004002,,", null),
                row(101004002L, null, "Closed", null)));
    PAssert.that(parsed.deadLetters().apply(DeadLetterText.of()))
        .containsInAnyOrder(
            "parse | type:service_request_id;type:requested_datetime;type:lat"
                + " | service_request_id: '10100400x' is not a whole number;"
                + " requested_datetime: '02/30/2019 10:00:00 AM' is not a timestamp"
                + " (expected MM/dd/yyyy hh:mm:ss a); lat: 'north' is not a number"
                + " | cases.csv:4@118"
                + " | Open,north,10100400x,02/30/2019 10:00:00 AM,"
                + " | sf311/run-20240501@2024-05-01T00:00:00.000Z",
            "parse | malformed:csv"
                + " | malformed CSV: unterminated quoted field starting at character 11"
                + " | cases.csv:5@170"
                + " | Open,37.7,\"101004004,,"
                + " | sf311/run-20240501@2024-05-01T00:00:00.000Z",
            "parse | malformed:csv"
                + " | malformed CSV: 2 fields where the header has 5"
                + " | cases.csv:7@199"
                + " | Open,37.7"
                + " | sf311/run-20240501@2024-05-01T00:00:00.000Z");
    p.run();
  }

  @Test
  void jsonRecordsParseByKeyAndBadOnesBecomeDeadLetters(TestPipeline p) {
    SourceRecord full =
        SourceRecord.of(
            "2019-07-04/page-0",
            0,
            0,
            "{\"service_request_id\":\"101004001\","
                + "\"requested_datetime\":\"2019-07-04T12:00:00.250\","
                + "\"status_description\":\"Open\",\"lat\":\"37.808\"}",
            null);
    SourceRecord sparse =
        SourceRecord.of("2019-07-04/page-0", 0, 1, "{\"service_request_id\":\"101004002\"}", null);
    SourceRecord broken =
        SourceRecord.of("2019-07-04/page-0", 0, 2, "[\"service_request_id\"]", null);
    SourceRecord badLat =
        SourceRecord.of(
            "2019-07-04/page-0", 0, 3, "{\"service_request_id\":\"7\",\"lat\":\"n/a\"}", null);

    WithDeadLetters<KV<SourceRecord, Row>> parsed =
        create(p, full, sparse, broken, badLat).apply(ParseRecords.of(FIELDS, API, LINEAGE));

    PAssert.that(parsed.output())
        .containsInAnyOrder(
            KV.of(full, row(101004001L, 1562266800250L, "Open", 37.808)),
            KV.of(sparse, row(101004002L, null, null, null)));
    PAssert.that(parsed.deadLetters().apply(DeadLetterText.of()))
        .containsInAnyOrder(
            "parse | malformed:json | malformed JSON: expected an object"
                + " | 2019-07-04/page-0:0@2 | [\"service_request_id\"]"
                + " | sf311/run-20240501@2024-05-01T00:00:00.000Z",
            "parse | type:lat | lat: 'n/a' is not a number"
                + " | 2019-07-04/page-0:0@3 | {\"service_request_id\":\"7\",\"lat\":\"n/a\"}"
                + " | sf311/run-20240501@2024-05-01T00:00:00.000Z");
    p.run();
  }

  @Test
  void schemaHasTheFieldsInOrder() {
    assertEquals(SCHEMA, ParseRecords.of(FIELDS, EXPORT, LINEAGE).schema());
  }

  @Test
  void fieldsMustNotBeEmpty() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ParseRecords.of(List.of(), EXPORT, LINEAGE));
    assertEquals("fields must not be empty", e.getMessage());
  }
}
