package dev.intake.pipeline.steps;

import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.model.WithDeadLetters;
import dev.intake.transforms.parse.ParseRecords;
import dev.intake.transforms.validate.Rule;
import dev.intake.transforms.validate.ValidateRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Turns a source's deletion records into tombstones: rows of the dataset's key fields, {@value
 * #DELETED_AT} and {@value #RUN_ID} ({@link #schema}). A record without its key or its deletion
 * time is a dead letter with the reason, like any record. Outputs the tombstones ({@link
 * #TOMBSTONES}), the dead letters ({@link #DEAD_LETTERS}) and the counts of deletion records read
 * and parsed ({@link #TALLIES}: READ and DELETIONS, so that every record read is accounted for).
 */
public final class ParseDeletions extends PTransform<PCollection<SourceRecord>, PCollectionTuple> {
  public static final String DELETED_AT = "deleted_at";
  public static final String RUN_ID = "run_id";
  public static final TupleTag<Row> TOMBSTONES = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  public static final TupleTag<KV<TallyKey, Long>> TALLIES = new TupleTag<>() {};

  private final List<FieldDef> keyFields;
  private final RecordFormat format;
  private final Lineage lineage;

  private ParseDeletions(List<FieldDef> keyFields, RecordFormat format, Lineage lineage) {
    this.keyFields = keyFields;
    this.format = format;
    this.lineage = lineage;
  }

  /**
   * Parses deletion records of {@code format} (which maps them to {@code keyFields}), whose
   * deletion time is at the JSON path {@code deletedAt}, for the run of {@code lineage}.
   */
  public static ParseDeletions of(
      List<FieldDef> keyFields, RecordFormat format, String deletedAt, Lineage lineage) {
    Map<String, String> columns = new LinkedHashMap<>(format.columns());
    columns.put(deletedAt, DELETED_AT);
    RecordFormat withTime = RecordFormat.of(format.name(), format.kind(), columns,
        format.timestampPatterns(), format.zone());
    return new ParseDeletions(List.copyOf(keyFields), withTime, lineage);
  }

  /** A tombstone's schema: the key fields, {@value #DELETED_AT}, {@value #RUN_ID}. */
  public static Schema schema(Schema clean, List<String> key) {
    Schema.Builder b = Schema.builder();
    for (String k : key) {
      b.addField(clean.getField(k));
    }
    return b.addNullableField(DELETED_AT, Schema.FieldType.DATETIME)
        .addNullableField(RUN_ID, Schema.FieldType.STRING)
        .build();
  }

  @Override
  public PCollectionTuple expand(PCollection<SourceRecord> records) {
    List<FieldDef> fields = new ArrayList<>(keyFields);
    fields.add(FieldDef.of(DELETED_AT, FieldType.TIMESTAMP));
    List<Rule> required = new ArrayList<>();
    fields.forEach(f -> required.add(Rule.required(f.name())));
    WithDeadLetters<KV<SourceRecord, Row>> parsed =
        records.apply("ParseDeletionRecords", ParseRecords.of(fields, format, lineage));
    WithDeadLetters<Row> valid =
        parsed.output().apply("KeyAndTimeRequired", ValidateRecords.of(required, lineage));
    Schema parsedSchema = valid.output().getSchema();
    Schema tombstone = Schema.builder().addFields(parsedSchema.getFields())
        .addNullableField(RUN_ID, Schema.FieldType.STRING).build();
    String runId = lineage.getRunId();
    PCollection<Row> tombstones =
        valid.output()
            .apply("WithRunId", MapElements.into(TypeDescriptors.rows())
                .via((Row r) -> Row.withSchema(tombstone).addValues(r.getValues())
                    .addValue(runId).build()))
            .setRowSchema(tombstone);
    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(parsed.deadLetters()).and(valid.deadLetters())
            .apply("AllDeletionDeadLetters", Flatten.pCollections());
    PCollection<KV<TallyKey, Long>> tallies =
        PCollectionList.of(records.apply("TallyDeletionsRead",
                Tallies.count((SourceRecord r) -> TallyKey.of(TallyKey.Kind.READ))))
            .and(tombstones.apply("TallyDeletions",
                Tallies.count((Row r) -> TallyKey.of(TallyKey.Kind.DELETIONS))))
            .apply("AllDeletionTallies", Flatten.pCollections());
    return PCollectionTuple.of(TOMBSTONES, tombstones)
        .and(DEAD_LETTERS, deadLetters)
        .and(TALLIES, tallies);
  }
}
