package dev.intake.transforms.validate;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.RecordStep;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.model.WithDeadLetters;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Checks parsed rows against the dataset's {@link Rule}s. Rows that pass are output without their
 * source records; a row that breaks one or more rules becomes one {@link DeadLetter} at stage
 * {@code validate} that lists every broken rule, with the record's original text and position.
 */
public final class ValidateRecords
    extends PTransform<PCollection<KV<SourceRecord, Row>>, WithDeadLetters<Row>> {
  private static final TupleTag<Row> VALID = new TupleTag<>() {};
  private static final TupleTag<DeadLetter> INVALID = new TupleTag<>() {};

  private final List<Rule> rules;
  private final Lineage lineage;

  private ValidateRecords(List<Rule> rules, Lineage lineage) {
    this.rules = rules;
    this.lineage = lineage;
  }

  public static ValidateRecords of(List<Rule> rules, Lineage lineage) {
    checkArgumentNotNull(rules, "rules must not be null");
    checkArgumentNotNull(lineage, "lineage must not be null");
    return new ValidateRecords(List.copyOf(rules), lineage);
  }

  /**
   * Validation of rows of {@code schema} as a {@link RecordStep}: the row when it breaks no rule,
   * else null after one dead letter at stage {@code validate} listing every broken rule.
   *
   * @throws IllegalArgumentException if a rule names a field {@code schema} lacks
   */
  public RecordStep<Row, Row> step(Schema schema) {
    for (Rule rule : rules) {
      if (!schema.hasField(rule.field())) {
        throw new IllegalArgumentException("rule " + rule.code() + " names no field of " + schema);
      }
    }
    List<Rule> r = rules;
    Lineage l = lineage;
    return (row, source, rejects) -> {
      List<String> codes = null;
      List<String> reasons = null;
      for (Rule rule : r) {
        String broken = rule.check(row);
        if (broken != null) {
          if (codes == null) {
            codes = new ArrayList<>();
            reasons = new ArrayList<>();
          }
          codes.add(rule.code());
          reasons.add(broken);
        }
      }
      if (codes == null) {
        return row;
      }
      rejects.accept(DeadLetter.of(
          l, "validate", String.join(";", codes), String.join("; ", reasons), source));
      return null;
    };
  }

  @Override
  public WithDeadLetters<Row> expand(PCollection<KV<SourceRecord, Row>> input) {
    @SuppressWarnings("unchecked")
    KvCoder<SourceRecord, Row> coder = (KvCoder<SourceRecord, Row>) input.getCoder();
    Schema schema = ((org.apache.beam.sdk.coders.RowCoder) coder.getValueCoder()).getSchema();
    RecordStep<Row, Row> validate = step(schema);
    PCollectionTuple out =
        input.apply(
            "CheckRules",
            ParDo.of(new ValidateRecordsFn(validate, VALID, INVALID))
                .withOutputTags(VALID, TupleTagList.of(INVALID)));
    return WithDeadLetters.of(
        VALID,
        out.get(VALID).setRowSchema(schema),
        INVALID,
        out.get(INVALID).setCoder(DeadLetter.coder(input.getPipeline())));
  }
}
