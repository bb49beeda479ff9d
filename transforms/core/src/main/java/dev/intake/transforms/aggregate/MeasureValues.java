package dev.intake.transforms.aggregate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/** The values of measures over the rows of one group, whatever the rows' order. */
final class MeasureValues {
  private MeasureValues() {}

  /** One value per measure, in the measures' order: a Long count or a nullable Double quantile. */
  static List<Object> over(List<Measure> measures, Iterable<Row> rows) {
    long[] counts = new long[measures.size()];
    double[][] values = new double[measures.size()][];
    int[] sizes = new int[measures.size()];
    for (Row row : rows) {
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
    List<Object> out = new ArrayList<>(measures.size());
    for (int i = 0; i < measures.size(); i++) {
      if (measures.get(i).kind() == Measure.Kind.COUNT) {
        out.add(counts[i]);
      } else {
        double[] sorted = values[i] == null ? new double[0] : Arrays.copyOf(values[i], sizes[i]);
        Arrays.sort(sorted);
        out.add(Measure.quantileOf(sorted, measures.get(i).q()));
      }
    }
    return out;
  }
}
