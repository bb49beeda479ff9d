package dev.intake.transforms.aggregate;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/**
 * Accumulates the measures over the rows of one group, in any order, reading each row once (a
 * group's rows can be iterated only once on some runners, e.g. Flink); two accumulations of parts
 * of a group merge ({@link #merge}), as a combine of partial results does. Results do not depend on
 * the order rows arrive in or parts merge in: counts are counts, a quantile is taken over the
 * sorted values, and a sum is exact until its final rounding (a double sum in arrival order would
 * differ in its last bits between a full load and a run that recomputes the same partition).
 */
final class MeasureValues {
  private final List<Measure> measures;
  private final long[] counts;
  private final double[][] values;
  private final int[] sizes;
  /** The exact sum of the finite values of a sum measure (null until one). */
  private final BigDecimal[] sums;
  /** The sum of the infinite and NaN values of a sum measure (0 when none). */
  private final double[] specials;

  MeasureValues(List<Measure> measures) {
    this.measures = measures;
    this.counts = new long[measures.size()];
    this.values = new double[measures.size()][];
    this.sizes = new int[measures.size()];
    this.sums = new BigDecimal[measures.size()];
    this.specials = new double[measures.size()];
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
        addToSum(i, ((Number) v).doubleValue());
      } else if (m.kind() == Measure.Kind.QUANTILE) {
        addValue(i, ((Number) v).doubleValue());
      }
    }
  }

  private void addToSum(int i, double v) {
    if (Double.isFinite(v)) {
      BigDecimal exact = new BigDecimal(v);
      sums[i] = sums[i] == null ? exact : sums[i].add(exact);
    } else {
      specials[i] += v;
    }
  }

  private void addValue(int i, double v) {
    if (values[i] == null) {
      values[i] = new double[16];
    } else if (sizes[i] == values[i].length) {
      values[i] = Arrays.copyOf(values[i], sizes[i] * 2);
    }
    values[i][sizes[i]++] = v;
  }

  /** Adds the rows {@code other} accumulated (of the same measures) to these. */
  void merge(MeasureValues other) {
    for (int i = 0; i < measures.size(); i++) {
      counts[i] += other.counts[i];
      if (other.sums[i] != null) {
        sums[i] = sums[i] == null ? other.sums[i] : sums[i].add(other.sums[i]);
      }
      specials[i] += other.specials[i];
      for (int j = 0; j < other.sizes[i]; j++) {
        addValue(i, other.values[i][j]);
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
        out.add(counts[i] == 0 ? null : sum(i));
      } else {
        double[] sorted = values[i] == null ? new double[0] : Arrays.copyOf(values[i], sizes[i]);
        Arrays.sort(sorted);
        out.add(Measure.quantileOf(sorted, measures.get(i).q()));
      }
    }
    return out;
  }

  private double sum(int i) {
    double finite = sums[i] == null ? 0.0 : sums[i].doubleValue();
    // An infinity or NaN among the values decides the sum, whatever the finite ones add up to.
    return specials[i] == 0.0 ? finite : specials[i] + finite;
  }

  /** Writes the accumulation, for {@link #decode} with the same measures. */
  void encode(DataOutputStream out) throws IOException {
    for (int i = 0; i < measures.size(); i++) {
      out.writeLong(counts[i]);
      switch (measures.get(i).kind()) {
        case SUM -> {
          out.writeDouble(specials[i]);
          byte[] unscaled = sums[i] == null ? new byte[0] : sums[i].unscaledValue().toByteArray();
          out.writeInt(unscaled.length);
          out.write(unscaled);
          out.writeInt(sums[i] == null ? 0 : sums[i].scale());
        }
        case QUANTILE -> {
          out.writeInt(sizes[i]);
          for (int j = 0; j < sizes[i]; j++) {
            out.writeDouble(values[i][j]);
          }
        }
        default -> { }
      }
    }
  }

  /** Reads an accumulation of {@code measures} that {@link #encode} wrote. */
  static MeasureValues decode(List<Measure> measures, DataInputStream in) throws IOException {
    MeasureValues m = new MeasureValues(measures);
    for (int i = 0; i < measures.size(); i++) {
      m.counts[i] = in.readLong();
      switch (measures.get(i).kind()) {
        case SUM -> {
          m.specials[i] = in.readDouble();
          byte[] unscaled = new byte[in.readInt()];
          in.readFully(unscaled);
          int scale = in.readInt();
          m.sums[i] = unscaled.length == 0 ? null
              : new BigDecimal(new BigInteger(unscaled), scale);
        }
        case QUANTILE -> {
          int size = in.readInt();
          m.values[i] = size == 0 ? null : new double[size];
          for (int j = 0; j < size; j++) {
            m.values[i][j] = in.readDouble();
          }
          m.sizes[i] = size;
        }
        default -> { }
      }
    }
    return m;
  }
}
