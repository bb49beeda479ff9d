package dev.intake.transforms.parse;

import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.FailPoints;
import dev.intake.transforms.model.RecordStep;
import dev.intake.transforms.model.SourceRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/** Parses each record; a record that fails goes to the dead letters with every reason. */
class ParseRecordsFn extends DoFn<SourceRecord, KV<SourceRecord, Row>> {
  private static final Counter PARSED = Metrics.counter(ParseRecords.class, "parsed");
  private static final Counter FAILED = Metrics.counter(ParseRecords.class, "failed");

  private final RecordStep<SourceRecord, Row> parse;
  private final TupleTag<DeadLetter> failures;

  ParseRecordsFn(RecordStep<SourceRecord, Row> parse, TupleTag<DeadLetter> failures) {
    this.parse = parse;
    this.failures = failures;
  }

  @StartBundle
  public void startBundle() {
    FailPoints.check("parse");
  }

  @ProcessElement
  public void process(@Element SourceRecord record, MultiOutputReceiver out) {
    Row row = parse.apply(record, record, out.get(failures)::output);
    if (row != null) {
      out.get(ParseRecords.PARSED).output(KV.of(record.withoutHeader(), row));
      PARSED.inc();
    } else {
      FAILED.inc();
    }
  }
}
