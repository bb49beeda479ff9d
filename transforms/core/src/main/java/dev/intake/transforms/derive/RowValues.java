package dev.intake.transforms.derive;

import java.util.Map;
import org.apache.beam.sdk.values.Row;

/**
 * The values a derivation reads: the input row's fields, and the derived columns computed before
 * it (by their position in {@code derivedIndex}).
 */
final class RowValues {
  private final Row row;
  private final Map<String, Integer> derivedIndex;
  private final Object[] derived;

  RowValues(Row row, Map<String, Integer> derivedIndex, Object[] derived) {
    this.row = row;
    this.derivedIndex = derivedIndex;
    this.derived = derived;
  }

  /** A row's own values, without derived columns. */
  static RowValues of(Row row) {
    return new RowValues(row, Map.of(), new Object[0]);
  }

  Object get(String name) {
    Integer i = derivedIndex.get(name);
    return i != null ? derived[i] : row.getValue(name);
  }
}
