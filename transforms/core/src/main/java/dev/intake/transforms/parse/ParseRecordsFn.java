package dev.intake.transforms.parse;

import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.FailPoints;
import dev.intake.transforms.model.Lineage;
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

  private final RecordParser parser;
  private final Lineage lineage;
  private final TupleTag<DeadLetter> failures;

  ParseRecordsFn(RecordParser parser, Lineage lineage, TupleTag<DeadLetter> failures) {
    this.parser = parser;
    this.lineage = lineage;
    this.failures = failures;
  }

  @StartBundle
  public void startBundle() {
    FailPoints.check("parse");
  }

  @ProcessElement
  public void process(@Element SourceRecord record, MultiOutputReceiver out) {
    RecordParser.Outcome outcome = parser.parse(record);
    if (outcome.ok()) {
      out.get(ParseRecords.PARSED).output(KV.of(record.withoutHeader(), outcome.row));
      PARSED.inc();
    } else {
      out.get(failures)
          .output(
              DeadLetter.of(
                  lineage,
                  "parse",
                  String.join(";", outcome.codes),
                  String.join("; ", outcome.reasons),
                  record));
      FAILED.inc();
    }
  }
}
