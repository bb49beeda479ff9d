package dev.intake.transforms.validate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.model.WithDeadLetters;
import dev.intake.transforms.testing.DeadLetterText;
import dev.intake.transforms.testing.TestPipelineExtension;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
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
class ValidateRecordsTest {
  private static final Lineage LINEAGE =
      Lineage.of("sf311", "run-20240501", new Instant(1714521600000L));

  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("status", Schema.FieldType.STRING)
          .addNullableField("lat", Schema.FieldType.DOUBLE)
          .addNullableField("opened", Schema.FieldType.DATETIME)
          .addNullableField("closed", Schema.FieldType.DATETIME)
          .build();

  private static final List<Rule> RULES =
      List.of(
          Rule.required("id"),
          Rule.oneOf("status", List.of("Open", "Closed")),
          Rule.range("lat", 37.6, 37.9),
          Rule.notBefore("closed", "opened"));

  /** 2019-03-15 22:05 PDT. */
  private static final Instant OPENED = new Instant(1552712700000L);

  /** One hour before {@link #OPENED}. */
  private static final Instant HOUR_BEFORE = new Instant(1552709100000L);

  private static Row row(Long id, String status, Double lat, Instant opened, Instant closed) {
    return Row.withSchema(SCHEMA).addValues(id, status, lat, opened, closed).build();
  }

  private static PCollection<KV<SourceRecord, Row>> create(
      Pipeline p, List<KV<SourceRecord, Row>> parsed) {
    try {
      return p.apply(
          Create.of(parsed)
              .withCoder(
                  KvCoder.of(
                      p.getSchemaRegistry().getSchemaCoder(SourceRecord.class),
                      RowCoder.of(SCHEMA))));
    } catch (NoSuchSchemaException e) {
      throw new AssertionError(e);
    }
  }

  private static SourceRecord record(long line, long offset, String text) {
    return SourceRecord.of("cases.csv", line, offset, text, "CaseID,Status,Latitude,Opened,Closed");
  }

  @Test
  void recordBreakingSeveralRulesYieldsOneDeadLetterListingAll(TestPipeline p) {
    Row valid = row(101L, "Open", 37.7, OPENED, null);
    Row alsoValid = row(102L, null, null, null, HOUR_BEFORE);
    Row twoBroken = row(null, "Open", 99.0, OPENED, null);
    Row allBroken = row(null, "open", 0.0, OPENED, HOUR_BEFORE);

    WithDeadLetters<Row> result =
        create(
                p,
                List.of(
                    KV.of(record(2, 37, "101,Open,37.7,03/15/2019 10:05:00 PM,"), valid),
                    KV.of(record(3, 75, "102,,,,03/15/2019 09:05:00 PM"), alsoValid),
                    KV.of(record(4, 106, ",Open,99,03/15/2019 10:05:00 PM,"), twoBroken),
                    KV.of(
                        record(5, 138, ",open,0.0,03/15/2019 10:05:00 PM,03/15/2019 09:05:00 PM"),
                        allBroken)))
            .apply(ValidateRecords.of(RULES, LINEAGE));

    PAssert.that(result.output()).containsInAnyOrder(valid, alsoValid);
    PAssert.that(result.deadLetters().apply(DeadLetterText.of()))
        .containsInAnyOrder(
            "validate | required:id;range:lat | id is missing; lat 99.0 is outside [37.6, 37.9]"
                + " | cases.csv:4@106 | ,Open,99,03/15/2019 10:05:00 PM,"
                + " | sf311/run-20240501@2024-05-01T00:00:00.000Z",
            "validate | required:id;enum:status;range:lat;order:closed"
                + " | id is missing; status 'open' is not one of [Open, Closed];"
                + " lat 0.0 is outside [37.6, 37.9];"
                + " closed 2019-03-16T04:05:00.000Z is before opened 2019-03-16T05:05:00.000Z"
                + " | cases.csv:5@138"
                + " | ,open,0.0,03/15/2019 10:05:00 PM,03/15/2019 09:05:00 PM"
                + " | sf311/run-20240501@2024-05-01T00:00:00.000Z");
    p.run();
  }

  @Test
  void withoutRulesEveryRowPasses(TestPipeline p) {
    Row empty = row(null, null, null, null, null);

    WithDeadLetters<Row> result =
        create(p, List.of(KV.of(record(2, 37, ",,,,"), empty)))
            .apply(ValidateRecords.of(List.of(), LINEAGE));

    PAssert.that(result.output()).containsInAnyOrder(empty);
    PAssert.that(result.deadLetters()).empty();
    p.run();
  }

  @Test
  void ruleOnAnUnknownFieldIsRejectedWhenBuilt() {
    // A pipeline that is only built, never run: a failed expand() leaves it unrunnable.
    PCollection<KV<SourceRecord, Row>> input = create(Pipeline.create(), List.of());

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> input.apply(ValidateRecords.of(List.of(Rule.required("nope")), LINEAGE)));
    assertThat(e.getMessage(), startsWith("rule required:nope names no field of "));
  }
}
