package dev.intake.pipeline.steps;

import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.spec.Reference;
import dev.intake.pipeline.spec.SpecLoader;
import dev.intake.transforms.derive.DeriveColumns;
import dev.intake.transforms.join.JoinReference;
import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.Schemas;
import dev.intake.transforms.model.SourceRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CleanRecords with a spec's references: the joins come after validation and derivation, a
 * rejected miss keeps the record's original text, a kept miss is counted per reference.
 */
class CleanRecordsJoinTest {
  private static final String SPEC = String.join("\n",
      "name: t",
      "zone: UTC",
      "key: [id]",
      "version: updated",
      "fields:",
      "  - {name: id, type: long}",
      "  - {name: opened, type: timestamp}",
      "  - {name: updated, type: timestamp}",
      "  - {name: country, type: string}",
      "  - {name: hood, type: long, min: 1}",
      "derived:",
      "  - {name: hours, function: hours_between, args: [opened, updated]}",
      "formats:",
      "  j: {kind: json, timestampPatterns: [\"yyyy-MM-dd'T'HH:mm:ssX\"]}",
      "partition: {field: updated, granularity: month, name: m}",
      "references:",
      "  - name: countries",
      "    file: countries.csv",
      "    key: {column: name, type: string}",
      "    joinOn: country",
      "    columns: [{name: alpha2, type: string, as: country_code}]",
      "  - name: hoods",
      "    file: hoods.csv",
      "    key: {column: id, type: long}",
      "    joinOn: hood",
      "    columns: [{name: name, type: string, as: hood_name}]",
      "    onMiss: reject",
      "");

  private static String json(long id, String country, Long hood) {
    return "{\"id\": " + id + ", \"opened\": \"2024-05-01T00:00:00Z\","
        + " \"updated\": \"2024-05-01T06:00:00Z\", \"country\": "
        + (country == null ? "null" : "\"" + country + "\"") + ", \"hood\": " + hood + "}";
  }

  private static String row(Row r) {
    return r.getInt64("id") + "|" + r.getString("country") + "|" + r.getString("country_code")
        + "|" + r.getInt64("hood") + "|" + r.getString("hood_name") + "|" + r.getDouble("hours");
  }

  private static String deadLetter(DeadLetter d) {
    return d.getStage() + "|" + d.getReasonCode() + "|" + d.getOffset() + "|" + d.getRawText();
  }

  private static String tally(KV<TallyKey, Long> kv) {
    return kv.getKey().getKind() + "/" + kv.getKey().getOutput() + "=" + kv.getValue();
  }

  @Test
  void joinsFollowDerivationAndRejectedMissesKeepTheirOriginalText(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("countries.csv"), "alpha2,name\nDE,Germany\nJP,Japan\n");
    Files.writeString(dir.resolve("hoods.csv"), "id,name\n7,Mission\n8,Bayview\n");
    DatasetSpec spec = SpecLoader.parse(dir.resolve("t.yaml").toString(), SPEC);
    Lineage lineage = Lineage.of("t", "run-1", new Instant(0));
    List<String> texts = List.of(
        json(1, "Germany", 7L),
        json(2, "Atlantis", 8L),
        json(3, "Japan", 99L),
        json(4, "Japan", 0L),
        json(5, null, null));
    List<SourceRecord> records = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      records.add(SourceRecord.of("page-1", 0, i, texts.get(i), null));
    }

    Pipeline p = Pipeline.create();
    List<JoinReference> joins = new ArrayList<>();
    for (Reference r : spec.references()) {
      joins.add(JoinReference.of(r.name(), p.apply("Read_" + r.name(), r.read(dir.toString())),
              r.key().name(), r.joinOn(), lineage)
          .withColumns(r.outputNames()).withOnMiss(r.onMiss()));
    }
    PCollectionTuple out = p.apply(Create.of(records)
            .withCoder(Schemas.coder(p, SourceRecord.class)))
        .apply(CleanRecords.of(spec.fields(), spec.formats().get("j"), spec.rules(),
            DeriveColumns.of(spec.derived()), lineage).withJoins(joins));

    PCollection<Row> rows = out.get(CleanRecords.ROWS);
    PAssert.that(rows.apply("RowText", MapElements.into(TypeDescriptors.strings())
            .via(CleanRecordsJoinTest::row)))
        .containsInAnyOrder(
            "1|Germany|DE|7|Mission|6.0",
            "2|Atlantis|null|8|Bayview|6.0",
            "5|null|null|null|null|6.0");
    PAssert.that(out.get(CleanRecords.DEAD_LETTERS).apply("DeadLetterText",
            MapElements.into(TypeDescriptors.strings()).via(CleanRecordsJoinTest::deadLetter)))
        .containsInAnyOrder(
            "reference|reference:hoods|2|" + texts.get(2),
            "validate|range:hood|3|" + texts.get(3));
    PAssert.that(out.get(CleanRecords.TALLIES).apply("TallyText",
            MapElements.into(TypeDescriptors.strings()).via(CleanRecordsJoinTest::tally)))
        .containsInAnyOrder("READ/=5", "PARSED/=5", "REFERENCE_MISS/countries=1");
    PAssert.that(rows.apply("SchemaNames", MapElements.into(TypeDescriptors.strings())
            .via((Row r) -> String.join(",", r.getSchema().getFieldNames()))))
        .satisfies(names -> {
          for (String n : names) {
            if (!n.equals(String.join(",", SpecLoader.cleanSchema(spec).getFieldNames()))) {
              throw new AssertionError("not the clean schema: " + n);
            }
          }
          return null;
        });
    p.run().waitUntilFinish();
  }
}
