package dev.intake.transforms.join;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.testing.Causes;
import dev.intake.transforms.testing.DeadLetterText;
import dev.intake.transforms.testing.TestPipelineExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class JoinReferenceTest {
  private static final Lineage LINEAGE =
      Lineage.of("orgs", "run-1", new Instant(1714521600000L));

  private static final Schema ORGS =
      Schema.builder()
          .addNullableField("uuid", Schema.FieldType.STRING)
          .addNullableField("country", Schema.FieldType.STRING)
          .build();

  private static final Schema COUNTRIES =
      Schema.builder()
          .addNullableField("name", Schema.FieldType.STRING)
          .addNullableField("alpha2", Schema.FieldType.STRING)
          .addNullableField("region", Schema.FieldType.STRING)
          .build();

  private static final Schema JOINED =
      Schema.builder()
          .addNullableField("uuid", Schema.FieldType.STRING)
          .addNullableField("country", Schema.FieldType.STRING)
          .addNullableField("country_code", Schema.FieldType.STRING)
          .addNullableField("country_region", Schema.FieldType.STRING)
          .build();

  private static final Map<String, String> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put("alpha2", "country_code");
    COLUMNS.put("region", "country_region");
  }

  private static Row org(String uuid, String country) {
    return Row.withSchema(ORGS).addValues(uuid, country).build();
  }

  private static Row joined(String uuid, String country, String code, String region) {
    return Row.withSchema(JOINED).addValues(uuid, country, code, region).build();
  }

  private static Row country(String name, String alpha2, String region) {
    return Row.withSchema(COUNTRIES).addValues(name, alpha2, region).build();
  }

  private static KV<SourceRecord, Row> record(long line, Row row) {
    String text = "{\"uuid\":\"" + row.getString("uuid") + "\"}";
    return KV.of(SourceRecord.of("page-1", line, 0, text, null), row);
  }

  private static PCollection<KV<SourceRecord, Row>> orgs(Pipeline p, List<Row> rows) {
    List<KV<SourceRecord, Row>> records = new java.util.ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      records.add(record(i + 1, rows.get(i)));
    }
    try {
      return p.apply("Orgs", Create.of(records).withCoder(KvCoder.of(
          p.getSchemaRegistry().getSchemaCoder(SourceRecord.class), RowCoder.of(ORGS))));
    } catch (NoSuchSchemaException e) {
      throw new AssertionError(e);
    }
  }

  private static PCollection<Row> countries(Pipeline p, List<Row> rows) {
    return p.apply("Countries", Create.of(rows).withRowSchema(COUNTRIES));
  }

  private static final List<Row> WORLD = List.of(
      country("Germany", "DE", "Europe"),
      country("Japan", "JP", "Asia"),
      country(null, "XX", "nowhere"));

  @Test
  void hitsGetTheReferenceColumnsAndKeptMissesGetNulls(TestPipeline p) {
    JoinReference.Result result = orgs(p, List.of(
            org("a", "Germany"), org("b", "Japan"), org("c", "Atlantis"), org("d", "Germany")))
        .apply(JoinReference.of("countries", countries(p, WORLD), "name", "country", LINEAGE)
            .withColumns(COLUMNS));

    PAssert.that(result.output().apply(Values.create())).containsInAnyOrder(
        joined("a", "Germany", "DE", "Europe"),
        joined("b", "Japan", "JP", "Asia"),
        joined("c", "Atlantis", null, null),
        joined("d", "Germany", "DE", "Europe"));
    PAssert.that(result.misses()).containsInAnyOrder("Atlantis");
    PAssert.that(result.deadLetters()).empty();
    p.run();
  }

  @Test
  void rejectedMissIsADeadLetterWithTheOriginalText(TestPipeline p) {
    JoinReference.Result result = orgs(p, List.of(org("a", "Germany"), org("c", "Atlantis")))
        .apply(JoinReference.of("countries", countries(p, WORLD), "name", "country", LINEAGE)
            .withColumns(COLUMNS)
            .withOnMiss(JoinReference.OnMiss.REJECT));

    PAssert.that(result.output().apply(Values.create()))
        .containsInAnyOrder(joined("a", "Germany", "DE", "Europe"));
    PAssert.that(result.deadLetters().apply(DeadLetterText.of())).containsInAnyOrder(
        "reference | reference:countries | country 'Atlantis' is not in reference countries"
            + " | page-1:2@0 | {\"uuid\":\"c\"} | orgs/run-1@2024-05-01T00:00:00.000Z");
    PAssert.that(result.misses()).empty();
    p.run();
  }

  @Test
  void nullJoinValueIsNotLookedUpNorRejected(TestPipeline p) {
    JoinReference.Result result = orgs(p, List.of(org("n", null)))
        .apply(JoinReference.of("countries", countries(p, WORLD), "name", "country", LINEAGE)
            .withColumns(COLUMNS)
            .withOnMiss(JoinReference.OnMiss.REJECT));

    PAssert.that(result.output().apply(Values.create()))
        .containsInAnyOrder(joined("n", null, null, null));
    PAssert.that(result.deadLetters()).empty();
    PAssert.that(result.misses()).empty();
    p.run();
  }

  @Test
  void withoutChosenColumnsEveryNonKeyColumnIsBroughtUnderItsName(TestPipeline p) {
    Schema all = Schema.builder()
        .addNullableField("uuid", Schema.FieldType.STRING)
        .addNullableField("country", Schema.FieldType.STRING)
        .addNullableField("alpha2", Schema.FieldType.STRING)
        .addNullableField("region", Schema.FieldType.STRING)
        .build();
    JoinReference.Result result = orgs(p, List.of(org("b", "Japan")))
        .apply(JoinReference.of("countries", countries(p, WORLD), "name", "country", LINEAGE));

    PAssert.that(result.output().apply(Values.create()))
        .containsInAnyOrder(Row.withSchema(all).addValues("b", "Japan", "JP", "Asia").build());
    p.run();
  }

  @Test
  void referenceWithTwoRowsForOneKeyFailsTheRunNamingTheKey() {
    Pipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    orgs(p, List.of(org("a", "Germany")))
        .apply(JoinReference.of("countries",
            countries(p, List.of(country("Germany", "DE", "Europe"),
                country("Japan", "JP", "Asia"), country("Germany", "DD", "Europe"))),
            "name", "country", LINEAGE));

    RuntimeException e = assertThrows(RuntimeException.class, () -> p.run());
    DuplicateReferenceKeyException cause = Causes.find(e, DuplicateReferenceKeyException.class);
    assertThat(cause.getMessage(), equalTo("reference countries has more than one row with name"
        + " 'Germany'; a reference needs one row per key"));
  }

  @Test
  void joinFieldOfAnotherTypeThanTheKeyIsRefusedWhenBuilt() {
    Pipeline p = Pipeline.create();
    Schema numbered = Schema.builder().addNullableField("name", Schema.FieldType.INT64).build();
    PCollection<Row> ref = p.apply(Create.empty(RowCoder.of(numbered)));
    PCollection<KV<SourceRecord, Row>> input = orgs(p, List.of());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> input.apply(JoinReference.of("countries", ref, "name", "country", LINEAGE)));
    assertThat(e.getMessage(), containsString(
        "field country (STRING) cannot be compared with key column name (INT64)"));
  }
}
