package dev.intake.transforms.aggregate;

import java.io.Serializable;
import java.util.Objects;

/**
 * One aggregate column: {@code count} counts rows, {@code count} with a field counts rows where
 * the field has a value, {@code quantile} is the q-quantile of a numeric field interpolated
 * linearly between closest ranks (the definition of SQL's {@code percentile_cont}; the median is q
 * = 0.5), {@code sum} adds a numeric field's values; quantile and sum are null when no row has a
 * value.
 */
public final class Measure implements Serializable {
  /** What a measure computes. */
  public enum Kind {
    COUNT,
    QUANTILE,
    SUM
  }

  private final String name;
  private final Kind kind;
  private final String field;
  private final double q;

  private Measure(String name, Kind kind, String field, double q) {
    this.name = Objects.requireNonNull(name, "name");
    this.kind = kind;
    this.field = field;
    this.q = q;
  }

  /** Counts rows. */
  public static Measure count(String name) {
    return new Measure(name, Kind.COUNT, null, 0);
  }

  /** Counts rows where {@code field} has a value. */
  public static Measure countOf(String name, String field) {
    return new Measure(name, Kind.COUNT, Objects.requireNonNull(field), 0);
  }

  /** The q-quantile of {@code field}, 0 &lt;= q &lt;= 1. */
  public static Measure quantile(String name, String field, double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("quantile must be within [0, 1], but was " + q);
    }
    return new Measure(name, Kind.QUANTILE, Objects.requireNonNull(field), q);
  }

  /** The sum of {@code field} over the rows where it has a value. */
  public static Measure sum(String name, String field) {
    return new Measure(name, Kind.SUM, Objects.requireNonNull(field), 0);
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public String field() {
    return field;
  }

  public double q() {
    return q;
  }

  /** The linearly interpolated q-quantile of sorted values; null for none. */
  static Double quantileOf(double[] sorted, double q) {
    if (sorted.length == 0) {
      return null;
    }
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
}
