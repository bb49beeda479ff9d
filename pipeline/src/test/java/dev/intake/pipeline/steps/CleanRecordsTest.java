package dev.intake.pipeline.steps;

import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.spec.SpecLoader;
import dev.intake.transforms.derive.DeriveColumns;
import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.Schemas;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.model.WithDeadLetters;
import dev.intake.transforms.parse.ParseRecords;
import dev.intake.transforms.validate.ValidateRecords;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * CleanRecords without references runs parse, validate and derive as one step: the same rows and
 * dead letters as ParseRecords, ValidateRecords and DeriveColumns applied one after the other, and
 * the counts of records read and parsed.
 */
class CleanRecordsTest {
  private static final String SPEC = String.join("\n",
      "name: t",
      "zone: UTC",
      "key: [id]",
      "version: updated",
      "fields:",
      "  - {name: id, type: long, required: true}",
      "  - {name: opened, type: timestamp}",
      "  - {name: updated, type: timestamp}",
      "  - {name: hood, type: long, min: 1}",
      "  - {name: note, type: string}",
      "derived:",
      "  - {name: hours, function: hours_between, args: [opened, updated]}",
      "formats:",
      "  j: {kind: json, timestampPatterns: [\"yyyy-MM-dd'T'HH:mm:ssX\"]}",
      "partition: {field: updated, granularity: month, name: m}",
      "");

  private static String json(String id, String updated, Long hood, String note) {
    return "{\"id\": " + id + ", \"opened\": \"2024-05-01T00:00:00Z\", \"updated\": \"" + updated
        + "\", \"hood\": " + hood + ", \"note\": " + (note == null ? "null" : "\"" + note + "\"")
        + "}";
  }

  private static final List<String> TEXTS = List.of(
      json("1", "2024-05-01T06:00:00Z", 7L, "ok"),
      json("2", "2024-05-02 08:00", 7L, "unparseable time"),
      json("3", "2024-05-01T03:00:00Z", 0L, "hood out of range"),
      json("null", "2024-05-01T03:00:00Z", 0L, "no id and hood out of range"),
      "{\"id\": 5, \"opened\": ",
      json("6", "2024-05-03T00:30:00Z", 8L, "ok, with a comma"));

  private static String row(Row r) {
    return r.getInt64("id") + "|" + r.getDateTime("updated") + "|" + r.getInt64("hood") + "|"
        + r.getString("note") + "|" + r.getDouble("hours");
  }

  private static String deadLetter(DeadLetter d) {
    return d.getStage() + "|" + d.getReasonCode() + "|" + d.getOffset() + "|" + d.getRawText();
  }

  @Test
  void oneStepGivesWhatTheThreeStepsGiveAndCountsReadAndParsed() {
    DatasetSpec spec = SpecLoader.parse("t.yaml", SPEC);
    Lineage lineage = Lineage.of("t", "run-1", new Instant(0));
    List<SourceRecord> records = new ArrayList<>();
    for (int i = 0; i < TEXTS.size(); i++) {
      records.add(SourceRecord.of("page-1", 0, i, TEXTS.get(i), null));
    }
    Pipeline p = Pipeline.create();
    PCollection<SourceRecord> input =
        p.apply(Create.of(records).withCoder(Schemas.coder(p, SourceRecord.class)));
    DeriveColumns derive = DeriveColumns.of(spec.derived());
    PCollectionTuple oneStep = input.apply("OneStep", CleanRecords.of(spec.fields(),
        spec.formats().get("j"), spec.rules(), derive, lineage));

    WithDeadLetters<KV<SourceRecord, Row>> parsed =
        input.apply("Parse", ParseRecords.of(spec.fields(), spec.formats().get("j"), lineage));
    WithDeadLetters<Row> valid =
        parsed.output().apply("Validate", ValidateRecords.of(spec.rules(), lineage));
    PCollection<Row> derived = valid.output().apply("Derive", derive);
    PCollection<DeadLetter> stepDeadLetters = PCollectionList.of(parsed.deadLetters())
        .and(valid.deadLetters()).apply("StepDeadLetters", Flatten.pCollections());

    List<String> expectedRows = List.of(
        "1|2024-05-01T06:00:00.000Z|7|ok|6.0",
        "6|2024-05-03T00:30:00.000Z|8|ok, with a comma|48.5");
    PAssert.that(oneStep.get(CleanRecords.ROWS).apply("RowText",
            MapElements.into(TypeDescriptors.strings()).via(CleanRecordsTest::row)))
        .containsInAnyOrder(expectedRows);
    PAssert.that(derived.apply("StepRowText",
            MapElements.into(TypeDescriptors.strings()).via(CleanRecordsTest::row)))
        .containsInAnyOrder(expectedRows);
    List<String> expectedDeadLetters = List.of(
        "parse|type:updated|1|" + TEXTS.get(1),
        "validate|range:hood|2|" + TEXTS.get(2),
        "validate|required:id;range:hood|3|" + TEXTS.get(3),
        "parse|malformed:json|4|" + TEXTS.get(4));
    PAssert.that(oneStep.get(CleanRecords.DEAD_LETTERS).apply("DeadLetterText",
            MapElements.into(TypeDescriptors.strings()).via(CleanRecordsTest::deadLetter)))
        .containsInAnyOrder(expectedDeadLetters);
    PAssert.that(stepDeadLetters.apply("StepDeadLetterText",
            MapElements.into(TypeDescriptors.strings()).via(CleanRecordsTest::deadLetter)))
        .containsInAnyOrder(expectedDeadLetters);
    PAssert.that(oneStep.get(CleanRecords.TALLIES).apply("TallyText",
            MapElements.into(TypeDescriptors.strings()).via((KV<TallyKey, Long> kv) ->
                kv.getKey().getKind() + "=" + kv.getValue())))
        .containsInAnyOrder("READ=6", "PARSED=4");
    p.run().waitUntilFinish();
  }
}
