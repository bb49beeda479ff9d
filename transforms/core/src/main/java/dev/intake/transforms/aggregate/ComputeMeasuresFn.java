package dev.intake.transforms.aggregate;

import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/** Computes every measure over the rows of one group, keyed by (day, group values). */
class ComputeMeasuresFn extends DoFn<KV<String, Iterable<Row>>, Row> {
  private final Schema outputSchema;
  private final List<String> groupFields;
  private final List<Measure> measures;

  ComputeMeasuresFn(Schema outputSchema, List<String> groupFields, List<Measure> measures) {
    this.outputSchema = outputSchema;
    this.groupFields = groupFields;
    this.measures = measures;
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<Row>> group, OutputReceiver<Row> out) {
    long[] counts = new long[measures.size()];
    double[][] values = new double[measures.size()][];
    int[] sizes = new int[measures.size()];
    Row first = null;
    for (Row row : group.getValue()) {
      if (first == null) {
        first = row;
      }
      for (int i = 0; i < measures.size(); i++) {
        Measure m = measures.get(i);
        Object v = m.field() == null ? Boolean.TRUE : row.getValue(m.field());
        if (v == null) {
          continue;
        }
        counts[i]++;
        if (m.kind() == Measure.Kind.QUANTILE) {
          if (values[i] == null) {
            values[i] = new double[16];
          } else if (sizes[i] == values[i].length) {
            values[i] = Arrays.copyOf(values[i], sizes[i] * 2);
          }
          values[i][sizes[i]++] = ((Number) v).doubleValue();
        }
      }
    }
    Row.Builder b = Row.withSchema(outputSchema);
    b.addValue(AggregateDaily.dayOf(group.getKey()));
    for (String f : groupFields) {
      b.addValue(first.getValue(f));
    }
    for (int i = 0; i < measures.size(); i++) {
      if (measures.get(i).kind() == Measure.Kind.COUNT) {
        b.addValue(counts[i]);
      } else {
        double[] sorted = values[i] == null ? new double[0] : Arrays.copyOf(values[i], sizes[i]);
        Arrays.sort(sorted);
        b.addValue(Measure.quantileOf(sorted, measures.get(i).q()));
      }
    }
    out.output(b.build());
  }
}
