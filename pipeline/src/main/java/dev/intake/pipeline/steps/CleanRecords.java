package dev.intake.pipeline.steps;

import dev.intake.transforms.derive.DeriveColumns;
import dev.intake.transforms.join.JoinReference;
import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.InputBounds;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.model.WithDeadLetters;
import dev.intake.transforms.parse.ParseRecords;
import dev.intake.transforms.validate.Rule;
import dev.intake.transforms.validate.ValidateRecords;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Source records to clean rows: parse (text to a typed row), validate (the spec's rules), derive
 * (calculated columns, PII), then join the reference tables, if any ({@link #withJoins}). Outputs
 * the rows ({@link #ROWS}), the dead letters of parse, validation and the joins ({@link
 * #DEAD_LETTERS}), and the counts of records read and parsed and of the joins' kept misses ({@link
 * #TALLIES}).
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
  private final List<JoinReference> joins;

  private CleanRecords(
      List<FieldDef> fields,
      RecordFormat format,
      List<Rule> rules,
      DeriveColumns derive,
      Lineage lineage,
      InputBounds bounds,
      List<JoinReference> joins) {
    this.bounds = bounds;
    this.joins = joins;
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
        List.copyOf(fields), format, List.copyOf(rules), derive, lineage, InputBounds.defaults(),
        List.of());
  }

  /** The bounds parsing applies ({@link ParseRecords#withBounds}). */
  public CleanRecords withBounds(InputBounds bounds) {
    return new CleanRecords(fields, format, rules, derive, lineage,
        Objects.requireNonNull(bounds, "bounds must not be null"), joins);
  }

  /** Also joins the derived rows with these references, in order. */
  public CleanRecords withJoins(List<JoinReference> joins) {
    return new CleanRecords(fields, format, rules, derive, lineage, bounds, List.copyOf(joins));
  }

  /**
   * Without joins, parse, validate and derive run as one step ({@link CleanEachRecord}): the same
   * rows, dead letters and counts as the three steps, with no serialization boundary between them.
   */
  private PCollectionTuple inOneStep(PCollection<SourceRecord> records) {
    ParseRecords parse = ParseRecords.of(fields, format, lineage).withBounds(bounds);
    Schema parsed = parse.schema();
    PCollectionTuple out = records.apply("CleanEach",
        ParDo.of(new CleanEachRecord(parse.step(), ValidateRecords.of(rules, lineage).step(parsed),
                derive.step(parsed), DEAD_LETTERS, TALLIES))
            .withOutputTags(ROWS, TupleTagList.of(List.of(DEAD_LETTERS, TALLIES))));
    out.get(ROWS).setRowSchema(derive.outputSchema(parsed));
    out.get(DEAD_LETTERS).setCoder(DeadLetter.coder(records.getPipeline()));
    KvCoder<TallyKey, Long> tally = Tallies.coder(records.getPipeline());
    PCollection<KV<TallyKey, Long>> tallies = out.get(TALLIES)
        .setCoder(tally)
        .apply("SumTallies", new Tallies.CombinePerKey(tally));
    return PCollectionTuple.of(ROWS, out.get(ROWS))
        .and(DEAD_LETTERS, out.get(DEAD_LETTERS))
        .and(TALLIES, tallies);
  }

  @Override
  public PCollectionTuple expand(PCollection<SourceRecord> records) {
    if (joins.isEmpty()) {
      return inOneStep(records);
    }
    WithDeadLetters<KV<SourceRecord, Row>> parsed =
        records.apply("ParseRecords", ParseRecords.of(fields, format, lineage).withBounds(bounds));
    PCollection<KV<SourceRecord, Row>> toValidate = joins.isEmpty() ? parsed.output()
        : parsed.output().apply("CarrySource", CarrySource.attach());
    WithDeadLetters<Row> valid =
        toValidate.apply("ValidateRecords", ValidateRecords.of(rules, lineage));
    PCollection<Row> derived = valid.output().apply("DeriveColumns", derive);
    PCollectionList<DeadLetter> deadLetterList =
        PCollectionList.of(parsed.deadLetters()).and(valid.deadLetters());
    PCollectionList<KV<TallyKey, Long>> missTallies = PCollectionList.empty(records.getPipeline());
    if (!joins.isEmpty()) {
      PCollection<KV<SourceRecord, Row>> joined =
          derived.apply("RecoverSource", CarrySource.detach());
      for (JoinReference join : joins) {
        String name = join.name();
        JoinReference.Result result = joined.apply("Join_" + name, join);
        joined = result.output();
        deadLetterList = deadLetterList.and(result.deadLetters());
        missTallies = missTallies.and(result.misses().apply("TallyMisses_" + name,
            Tallies.count((String v) -> TallyKey.of(TallyKey.Kind.REFERENCE_MISS, name))));
      }
      Schema schema = ((RowCoder) ((KvCoder<SourceRecord, Row>) joined.getCoder())
          .getValueCoder()).getSchema();
      derived = joined.apply("JoinedRows", Values.create()).setRowSchema(schema);
    }
    PCollection<DeadLetter> deadLetters =
        deadLetterList.apply("AllDeadLetters", Flatten.pCollections());
    // Every record read is either parsed or a parse dead letter, so "read" is counted from those
    // two rather than by a second consumer of the records: on Flink's batch translation each
    // extra consumer of a collection serializes every element once more.
    PCollection<KV<TallyKey, Long>> parsedTally =
        parsed
            .output()
            .apply(
                "TallyParsed",
                Tallies.count((KV<SourceRecord, Row> kv) -> TallyKey.of(TallyKey.Kind.PARSED)));
    PCollection<KV<TallyKey, Long>> tallies =
        PCollectionList.of(parsedTally)
            .and(
                parsedTally.apply(
                    "ParsedWereRead",
                    Tallies.sum(
                        (KV<TallyKey, Long> kv) ->
                            KV.of(TallyKey.of(TallyKey.Kind.READ), kv.getValue()))))
            .and(
                parsed
                    .deadLetters()
                    .apply(
                        "TallyUnparsed",
                        Tallies.count((DeadLetter d) -> TallyKey.of(TallyKey.Kind.READ))))
            .and(missTallies.getAll())
            .apply("AllTallies", Flatten.pCollections());
    return PCollectionTuple.of(ROWS, derived)
        .and(DEAD_LETTERS, deadLetters)
        .and(TALLIES, tallies);
  }
}
