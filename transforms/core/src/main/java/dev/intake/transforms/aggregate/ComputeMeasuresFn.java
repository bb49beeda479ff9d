package dev.intake.transforms.aggregate;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/** Computes every measure over the rows of one group, keyed by (bucket, group values). */
class ComputeMeasuresFn extends DoFn<KV<String, Iterable<Row>>, Row> {
  private final Schema outputSchema;
  private final TimeBucket bucket;
  private final List<String> groupFields;
  private final List<Measure> measures;

  ComputeMeasuresFn(
      Schema outputSchema, TimeBucket bucket, List<String> groupFields, List<Measure> measures) {
    this.outputSchema = outputSchema;
    this.bucket = bucket;
    this.groupFields = groupFields;
    this.measures = measures;
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<Row>> group, OutputReceiver<Row> out) {
    MeasureValues measured = new MeasureValues(measures);
    Row first = null;
    for (Row row : group.getValue()) {
      first = first == null ? row : first;
      measured.add(row);
    }
    // Every row of the group has the same bucket and group values: take them from any one.
    Row.Builder b = Row.withSchema(outputSchema);
    if (bucket != null) {
      b.addValue(bucket.of(first));
    }
    for (String f : groupFields) {
      b.addValue(first.getValue(f));
    }
    b.addValues(measured.values());
    out.output(b.build());
  }
}
