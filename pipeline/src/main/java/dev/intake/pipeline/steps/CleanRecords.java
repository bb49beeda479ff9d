package dev.intake.pipeline.steps;

import dev.intake.transforms.model.InputBounds;
import dev.intake.transforms.derive.DeriveColumns;
import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.model.WithDeadLetters;
import dev.intake.transforms.parse.ParseRecords;
import dev.intake.transforms.validate.Rule;
import dev.intake.transforms.validate.ValidateRecords;
import java.util.List;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Source records to clean rows: parse (text to a typed row), validate (the spec's rules), derive
 * (calculated columns, PII). Outputs the rows ({@link #ROWS}), the dead letters of both parse and
 * validation ({@link #DEAD_LETTERS}), and the counts of records read and parsed ({@link #TALLIES}).
 */
public final class CleanRecords extends PTransform<PCollection<SourceRecord>, PCollectionTuple> {
  public static final TupleTag<Row> ROWS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  public static final TupleTag<KV<TallyKey, Long>> TALLIES = new TupleTag<>() {};

  private final List<FieldDef> fields;
  private final RecordFormat format;
  private final List<Rule> rules;
  private final DeriveColumns derive;
  private final Lineage lineage;
  private final InputBounds bounds;

  private CleanRecords(
      List<FieldDef> fields,
      RecordFormat format,
      List<Rule> rules,
      DeriveColumns derive,
      Lineage lineage,
      InputBounds bounds) {
    this.bounds = bounds;
    this.fields = fields;
    this.format = format;
    this.rules = rules;
    this.derive = derive;
    this.lineage = lineage;
  }

  /** Parses records of {@code format} into {@code fields}, checks {@code rules}, then derives. */
  public static CleanRecords of(
      List<FieldDef> fields,
      RecordFormat format,
      List<Rule> rules,
      DeriveColumns derive,
      Lineage lineage) {
    return new CleanRecords(
        List.copyOf(fields), format, List.copyOf(rules), derive, lineage, InputBounds.defaults());
  }

  /** The bounds parsing applies ({@link ParseRecords#withBounds}). */
  public CleanRecords withBounds(InputBounds bounds) {
    return new CleanRecords(fields, format, rules, derive, lineage,
        java.util.Objects.requireNonNull(bounds, "bounds must not be null"));
  }

  @Override
  public PCollectionTuple expand(PCollection<SourceRecord> records) {
    WithDeadLetters<KV<SourceRecord, Row>> parsed =
        records.apply("ParseRecords", ParseRecords.of(fields, format, lineage).withBounds(bounds));
    WithDeadLetters<Row> valid =
        parsed.output().apply("ValidateRecords", ValidateRecords.of(rules, lineage));
    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(parsed.deadLetters())
            .and(valid.deadLetters())
            .apply("AllDeadLetters", Flatten.pCollections());
    PCollection<KV<TallyKey, Long>> tallies =
        PCollectionList.of(
                records.apply(
                    "TallyRead",
                    Tallies.count((SourceRecord r) -> TallyKey.of(TallyKey.Kind.READ))))
            .and(
                parsed
                    .output()
                    .apply(
                        "TallyParsed",
                        Tallies.count(
                            (KV<SourceRecord, Row> kv) -> TallyKey.of(TallyKey.Kind.PARSED))))
            .apply("AllTallies", Flatten.pCollections());
    return PCollectionTuple.of(ROWS, valid.output().apply("DeriveColumns", derive))
        .and(DEAD_LETTERS, deadLetters)
        .and(TALLIES, tallies);
  }
}
