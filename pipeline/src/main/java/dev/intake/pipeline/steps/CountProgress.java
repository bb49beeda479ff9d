package dev.intake.pipeline.steps;

import dev.intake.transforms.model.RunProgress;
import dev.intake.transforms.model.SourceRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Passes the records through unchanged, counting each (and its text's length) in the run's {@link
 * RunProgress} under {@code key}, so that the process that started the job can show how far the
 * read has come. The count is seen only where the step runs in that process (DirectRunner,
 * embedded Flink).
 */
public final class CountProgress
    extends PTransform<PCollection<SourceRecord>, PCollection<SourceRecord>> {
  private final String key;

  private CountProgress(String key) {
    this.key = key;
  }

  public static CountProgress under(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty, but was " + key);
    }
    return new CountProgress(key);
  }

  @Override
  public PCollection<SourceRecord> expand(PCollection<SourceRecord> input) {
    return input.apply("CountRecords", ParDo.of(new CountFn(key))).setCoder(input.getCoder());
  }

  static final class CountFn extends DoFn<SourceRecord, SourceRecord> {
    private final String key;
    private transient RunProgress progress;

    CountFn(String key) {
      this.key = key;
    }

    @Setup
    public void setup() {
      progress = RunProgress.of(key);
    }

    @ProcessElement
    public void process(@Element SourceRecord r, OutputReceiver<SourceRecord> out) {
      progress.recordRead(r.getText().length());
      out.output(r);
    }
  }
}
