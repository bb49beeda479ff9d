package dev.intake.transforms.aggregate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/**
 * Accumulates the measures over the rows of one group, in any order, reading each row once (a
 * group's rows can be iterated only once on some runners, e.g. Flink).
 */
final class MeasureValues {
  private final List<Measure> measures;
  private final long[] counts;
  private final double[][] values;
  private final int[] sizes;
  private final double[] sums;

  MeasureValues(List<Measure> measures) {
    this.measures = measures;
    this.counts = new long[measures.size()];
    this.values = new double[measures.size()][];
    this.sizes = new int[measures.size()];
    this.sums = new double[measures.size()];
  }

  void add(Row row) {
    for (int i = 0; i < measures.size(); i++) {
      Measure m = measures.get(i);
      Object v = m.field() == null ? Boolean.TRUE : row.getValue(m.field());
      if (v == null) {
        continue;
      }
      counts[i]++;
      if (m.kind() == Measure.Kind.SUM) {
        sums[i] += ((Number) v).doubleValue();
      } else if (m.kind() == Measure.Kind.QUANTILE) {
        if (values[i] == null) {
          values[i] = new double[16];
        } else if (sizes[i] == values[i].length) {
          values[i] = Arrays.copyOf(values[i], sizes[i] * 2);
        }
        values[i][sizes[i]++] = ((Number) v).doubleValue();
      }
    }
  }

  /**
   * One value per measure, in the measures' order: a Long count, or a Double quantile or sum (null
   * when no row had a value).
   */
  List<Object> values() {
    List<Object> out = new ArrayList<>(measures.size());
    for (int i = 0; i < measures.size(); i++) {
      if (measures.get(i).kind() == Measure.Kind.COUNT) {
        out.add(counts[i]);
      } else if (measures.get(i).kind() == Measure.Kind.SUM) {
        out.add(counts[i] == 0 ? null : sums[i]);
      } else {
        double[] sorted = values[i] == null ? new double[0] : Arrays.copyOf(values[i], sizes[i]);
        Arrays.sort(sorted);
        out.add(Measure.quantileOf(sorted, measures.get(i).q()));
      }
    }
    return out;
  }
}
