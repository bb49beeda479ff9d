package dev.intake.transforms.validate;

import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.SourceRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/** Checks every rule on a row; a row that breaks any becomes one dead letter listing them all. */
class ValidateRecordsFn extends DoFn<KV<SourceRecord, Row>, Row> {
  private static final Counter VALID = Metrics.counter(ValidateRecords.class, "valid");
  private static final Counter INVALID = Metrics.counter(ValidateRecords.class, "invalid");

  private final List<Rule> rules;
  private final Lineage lineage;
  private final TupleTag<Row> valid;
  private final TupleTag<DeadLetter> invalid;

  ValidateRecordsFn(
      List<Rule> rules, Lineage lineage, TupleTag<Row> valid, TupleTag<DeadLetter> invalid) {
    this.rules = rules;
    this.lineage = lineage;
    this.valid = valid;
    this.invalid = invalid;
  }

  @ProcessElement
  public void process(@Element KV<SourceRecord, Row> element, MultiOutputReceiver out) {
    List<String> codes = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (Rule rule : rules) {
      String broken = rule.check(element.getValue());
      if (broken != null) {
        codes.add(rule.code());
        reasons.add(broken);
      }
    }
    if (codes.isEmpty()) {
      out.get(valid).output(element.getValue());
      VALID.inc();
    } else {
      out.get(invalid)
          .output(
              DeadLetter.of(
                  lineage,
                  "validate",
                  String.join(";", codes),
                  String.join("; ", reasons),
                  element.getKey()));
      INVALID.inc();
    }
  }
}
