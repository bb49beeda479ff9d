package dev.intake.transforms.aggregate;

import java.util.ArrayList;
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
    // Every row of the group has the same bucket and group values: take them from any one. The
    // values are of the output schema's types already (a date, the input's group values, longs
    // and doubles), so they are attached, not checked again one by one.
    List<Object> values = new ArrayList<>(outputSchema.getFieldCount());
    if (bucket != null) {
      values.add(bucket.of(g.first));
    }
    for (String f : groupFields) {
      values.add(g.first.getValue(f));
    }
    List<?>[] slots = new List<?>[g.measured.length];
    for (int s = 0; s < g.measured.length; s++) {
      slots[s] = g.measured[s].values();
    }
    for (int m = 0; m < measures; m++) {
      for (List<?> slot : slots) {
        values.add(slot.get(m));
      }
    }
    return Row.withSchema(outputSchema).attachValues(values);
  }
}
