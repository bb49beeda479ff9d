package dev.intake.pipeline.steps;

import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.FailPoints;
import dev.intake.transforms.model.RecordStep;
import dev.intake.transforms.model.SourceRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Parses, validates and derives each record in one step: the clean row to the main output, a dead
 * letter of the stage that refused it to {@code deadLetters}, and per bundle the count of records
 * read and parsed to {@code tallies}. The same stages as {@code ParseRecords}, {@code
 * ValidateRecords} and {@code DeriveColumns} applied one after the other, in one step instead of
 * three: on Flink's batch translation each step with several outputs ends a chain, and every
 * record crossed a serialization boundary (twice, with its source text) between them.
 */
final class CleanEachRecord extends DoFn<SourceRecord, Row> {
  private final RecordStep<SourceRecord, Row> parse;
  private final RecordStep<Row, Row> validate;
  private final RecordStep<Row, Row> derive;
  private final TupleTag<DeadLetter> deadLetters;
  private final TupleTag<KV<TallyKey, Long>> tallies;
  private transient long read;
  private transient long parsed;

  CleanEachRecord(RecordStep<SourceRecord, Row> parse, RecordStep<Row, Row> validate,
      RecordStep<Row, Row> derive, TupleTag<DeadLetter> deadLetters,
      TupleTag<KV<TallyKey, Long>> tallies) {
    this.parse = parse;
    this.validate = validate;
    this.derive = derive;
    this.deadLetters = deadLetters;
    this.tallies = tallies;
  }

  @Setup
  public void setup() throws Exception {
    parse.setup();
    validate.setup();
    derive.setup();
  }

  @StartBundle
  public void startBundle() {
    FailPoints.check("parse");
    read = 0;
    parsed = 0;
  }

  @ProcessElement
  public void process(@Element SourceRecord record, MultiOutputReceiver out) {
    read++;
    DoFn.OutputReceiver<DeadLetter> rejects = out.get(deadLetters);
    Row row = parse.apply(record, record, rejects::output);
    if (row == null) {
      return;
    }
    parsed++;
    row = validate.apply(row, record, rejects::output);
    row = row == null ? null : derive.apply(row, record, rejects::output);
    if (row != null) {
      out.get(CleanRecords.ROWS).output(row);
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    if (read > 0) {
      c.output(tallies, KV.of(TallyKey.of(TallyKey.Kind.READ), read),
          BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
    }
    if (parsed > 0) {
      c.output(tallies, KV.of(TallyKey.of(TallyKey.Kind.PARSED), parsed),
          BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
    }
  }
}
