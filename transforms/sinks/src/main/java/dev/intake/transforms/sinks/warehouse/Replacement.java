package dev.intake.transforms.sinks.warehouse;

import java.time.LocalDate;
import java.util.List;

/**
 * Which stored rows of an aggregate table a run's rows replace: those whose date column falls in
 * one of the touched ranges {@code [start, end)} (an aggregate aligned with the lake's partitions),
 * or all of them (an aggregate recomputed whole).
 */
public final class Replacement {
  private final String column;
  private final List<LocalDate[]> ranges;

  private Replacement(String column, List<LocalDate[]> ranges) {
    this.column = column;
    this.ranges = ranges;
  }

  /** Rows whose {@code column} is in one of {@code ranges}, each {@code [start, end)}. */
  public static Replacement ranges(String column, List<LocalDate[]> ranges) {
    if (column == null) {
      throw new IllegalArgumentException("column must not be null");
    }
    return new Replacement(column, List.copyOf(ranges));
  }

  /** Every stored row. */
  public static Replacement all() {
    return new Replacement(null, List.of());
  }

  /** Null when every row is replaced. */
  String column() {
    return column;
  }

  List<LocalDate[]> rangesList() {
    return ranges;
  }
}
