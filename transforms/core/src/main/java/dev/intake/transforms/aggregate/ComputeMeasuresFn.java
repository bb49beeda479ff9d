package dev.intake.transforms.aggregate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * Computes every measure over the rows of each group of one hash bucket, the groups keyed by
 * (bucket, group values); with a pivot, over the rows of each pivot column separately, and counts
 * the rows whose pivot value was not declared ({@code pivotOther}). Holds one accumulator per group
 * of the bucket.
 */
class ComputeMeasuresFn extends DoFn<KV<Integer, Iterable<KV<String, Row>>>, Row> {
  private final Schema outputSchema;
  private final TimeBucket bucket;
  private final List<String> groupFields;
  private final List<Measure> measures;
  private final Pivot pivot;
  private final Counter pivotOther = Metrics.counter(AggregateRows.class, "pivotOther");

  /** {@code pivot} may be null. */
  ComputeMeasuresFn(
      Schema outputSchema,
      TimeBucket bucket,
      List<String> groupFields,
      List<Measure> measures,
      Pivot pivot) {
    this.outputSchema = outputSchema;
    this.bucket = bucket;
    this.groupFields = groupFields;
    this.measures = measures;
    this.pivot = pivot;
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<KV<String, Row>>> rows, OutputReceiver<Row> out) {
    Map<String, Group> groups = new LinkedHashMap<>();
    long other = 0;
    for (KV<String, Row> keyed : rows.getValue()) {
      Row row = keyed.getValue();
      Group g = groups.computeIfAbsent(keyed.getKey(), k -> new Group(row));
      int slot = pivot == null ? 0 : pivot.slotOf(row);
      other += pivot != null && pivot.isOther(slot) ? 1 : 0;
      g.measured[slot].add(row);
    }
    if (other > 0) {
      pivotOther.inc(other);
    }
    for (Group g : groups.values()) {
      out.output(g.result());
    }
  }

  /** The measures of one group so far, and one of its rows, which holds its group values. */
  private final class Group {
    private final Row first;
    private final MeasureValues[] measured;

    Group(Row first) {
      this.first = first;
      this.measured = new MeasureValues[pivot == null ? 1 : pivot.suffixes().size()];
      for (int i = 0; i < measured.length; i++) {
        measured[i] = new MeasureValues(measures);
      }
    }

    Row result() {
      // Every row of the group has the same bucket and group values: take them from any one.
      Row.Builder b = Row.withSchema(outputSchema);
      if (bucket != null) {
        b.addValue(bucket.of(first));
      }
      for (String f : groupFields) {
        b.addValue(first.getValue(f));
      }
      List<?>[] values = new List<?>[measured.length];
      for (int s = 0; s < measured.length; s++) {
        values[s] = measured[s].values();
      }
      for (int m = 0; m < measures.size(); m++) {
        for (List<?> slot : values) {
          b.addValue(slot.get(m));
        }
      }
      return b.build();
    }
  }
}
