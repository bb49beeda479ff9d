package dev.intake.transforms.derive;

import java.util.HashMap;
import java.util.List;
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

  /** Each derivation's position in {@code derivations}, by its column name. */
  static Map<String, Integer> indexOf(List<Derivation> derivations) {
    Map<String, Integer> index = new HashMap<>();
    for (Derivation d : derivations) {
      index.put(d.name(), index.size());
    }
    return index;
  }

  /**
   * Computes {@code derivations} on {@code row} in order, each reading the row's values and the
   * ones computed before it ({@code index}: {@link #indexOf} of {@code derivations}).
   */
  static Object[] computeInOrder(
      List<Derivation> derivations, Map<String, Integer> index, Row row) {
    Object[] computed = new Object[derivations.size()];
    RowValues values = new RowValues(row, index, computed);
    for (int i = 0; i < computed.length; i++) {
      computed[i] = derivations.get(i).compute(values);
    }
    return computed;
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
