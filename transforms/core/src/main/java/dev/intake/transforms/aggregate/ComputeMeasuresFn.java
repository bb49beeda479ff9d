package dev.intake.transforms.aggregate;

import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * Outputs one row per group of a hash bucket's combined groups ({@link MeasureGroupsFn}): its
 * bucket and group values, then every measure (in each pivot column); counts the rows whose pivot
 * value was not declared ({@code pivotOther}).
 */
class ComputeMeasuresFn extends DoFn<KV<Integer, MeasureGroupsFn.Groups>, Row> {
  private final Schema outputSchema;
  private final TimeBucket bucket;
  private final List<String> groupFields;
  private final int measures;
  private final Counter pivotOther = Metrics.counter(AggregateRows.class, "pivotOther");

  ComputeMeasuresFn(
      Schema outputSchema, TimeBucket bucket, List<String> groupFields, int measures) {
    this.outputSchema = outputSchema;
    this.bucket = bucket;
    this.groupFields = groupFields;
    this.measures = measures;
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, MeasureGroupsFn.Groups> groups, OutputReceiver<Row> out) {
    emit(groups.getValue(), out::output);
  }

  /** Hands one row per group of {@code groups} to {@code out}; counts their pivot's others. */
  void emit(MeasureGroupsFn.Groups groups, Consumer<Row> out) {
    if (groups.pivotOther > 0) {
      pivotOther.inc(groups.pivotOther);
    }
    for (MeasureGroupsFn.Group g : groups.byKey.values()) {
      out.accept(result(g));
    }
  }

  private Row result(MeasureGroupsFn.Group g) {
    // Every row of the group has the same bucket and group values: take them from any one.
    Row.Builder b = Row.withSchema(outputSchema);
    if (bucket != null) {
      b.addValue(bucket.of(g.first));
    }
    for (String f : groupFields) {
      b.addValue(g.first.getValue(f));
    }
    List<?>[] values = new List<?>[g.measured.length];
    for (int s = 0; s < g.measured.length; s++) {
      values[s] = g.measured[s].values();
    }
    for (int m = 0; m < measures; m++) {
      for (List<?> slot : values) {
        b.addValue(slot.get(m));
      }
    }
    return b.build();
  }
}
