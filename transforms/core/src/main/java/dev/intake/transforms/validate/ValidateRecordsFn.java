package dev.intake.transforms.validate;

import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.RecordStep;
import dev.intake.transforms.model.SourceRecord;
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

  private final RecordStep<Row, Row> validate;
  private final TupleTag<Row> valid;
  private final TupleTag<DeadLetter> invalid;

  ValidateRecordsFn(RecordStep<Row, Row> validate, TupleTag<Row> valid,
      TupleTag<DeadLetter> invalid) {
    this.validate = validate;
    this.valid = valid;
    this.invalid = invalid;
  }

  @ProcessElement
  public void process(@Element KV<SourceRecord, Row> element, MultiOutputReceiver out) {
    Row row = validate.apply(element.getValue(), element.getKey(), out.get(invalid)::output);
    if (row != null) {
      out.get(valid).output(row);
      VALID.inc();
    } else {
      INVALID.inc();
    }
  }
}
