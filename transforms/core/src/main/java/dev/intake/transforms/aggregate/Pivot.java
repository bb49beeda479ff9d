package dev.intake.transforms.aggregate;

import java.io.Serializable;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Spreads one low-cardinality field of an aggregate into columns: every measure of {@link
 * AggregateRows} is computed once per declared value of the field, once over the rows whose value
 * is not declared (the <em>other</em> column) and once over the rows where the field is null (the
 * <em>null</em> column), so no row is ever left out. A value's column is named {@code
 * <measure>_<suffix>}, where the suffix is given or derived from the value by {@link #suffixOf}.
 *
 * <p>Values are compared by their text: a string as it is (case and spaces matter), a whole number
 * or a boolean as Java writes it ({@code 42}, {@code true}). Immutable.
 */
public final class Pivot implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final Map<String, String> suffixes;
  private final String otherSuffix;
  private final String nullSuffix;
  private transient Map<String, Integer> slots;

  private Pivot(
      String field, Map<String, String> suffixes, String otherSuffix, String nullSuffix) {
    this.field = field;
    this.suffixes = suffixes;
    this.otherSuffix = otherSuffix;
    this.nullSuffix = nullSuffix;
  }

  /**
   * Pivots {@code field} on {@code values} (value text to column suffix, in column order), with
   * the columns of other values and of null named by {@code otherSuffix} and {@code nullSuffix}.
   *
   * @throws IllegalArgumentException if there are no values, a suffix is not a valid column name
   *     part, or two columns would have the same suffix
   */
  public static Pivot of(
      String field, Map<String, String> values, String otherSuffix, String nullSuffix) {
    if (field == null || field.isEmpty()) {
      throw new IllegalArgumentException("field must not be empty, but was " + field);
    }
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("pivot of " + field + " needs at least one value");
    }
    Set<String> taken = new HashSet<>();
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> v : values.entrySet()) {
      copy.put(Objects.requireNonNull(v.getKey(), "value"), checkSuffix(taken, v.getValue()));
    }
    return new Pivot(
        field, copy, checkSuffix(taken, otherSuffix), checkSuffix(taken, nullSuffix));
  }

  /**
   * The column suffix made from a value: its letters and digits in lower case, accents removed,
   * with every run of other characters turned into one {@code _} and none at either end ({@code
   * Mobile/Open311} gives {@code mobile_open311}, {@code Integrated Agency} gives {@code
   * integrated_agency}); empty when the value has no letter or digit.
   */
  public static String suffixOf(String value) {
    String plain =
        Normalizer.normalize(value, Normalizer.Form.NFKD)
            .replaceAll("\\p{M}+", "")
            .toLowerCase(Locale.ROOT);
    return plain.replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
  }

  /** Whether {@code suffix} may end a column name: lower-case letters, digits and inner '_'. */
  public static boolean isSuffix(String suffix) {
    return suffix != null && suffix.matches("[a-z0-9]+(_[a-z0-9]+)*");
  }

  private static String checkSuffix(Set<String> taken, String suffix) {
    if (!isSuffix(suffix)) {
      throw new IllegalArgumentException("pivot column suffix must be lower-case letters, digits"
          + " and inner '_', but was " + suffix);
    }
    if (!taken.add(suffix)) {
      throw new IllegalArgumentException("pivot column suffix " + suffix + " is used twice");
    }
    return suffix;
  }

  /** Whether a field of {@code type} can be pivoted: a string, a whole number or a boolean. */
  public static boolean accepts(Schema.FieldType type) {
    switch (type.getTypeName()) {
      case STRING:
      case INT16:
      case INT32:
      case INT64:
      case BOOLEAN:
        return true;
      default:
        return false;
    }
  }

  public String field() {
    return field;
  }

  /** The column suffixes in column order: the values', then other's, then null's. */
  public List<String> suffixes() {
    List<String> all = new ArrayList<>(suffixes.values());
    all.add(otherSuffix);
    all.add(nullSuffix);
    return all;
  }

  /** The index in {@link #suffixes} of the column that the row's value counts in. */
  int slotOf(Row row) {
    Object v = row.getValue(field);
    if (v == null) {
      return suffixes.size() + 1;
    }
    Integer slot = slots().get(v.toString());
    return slot == null ? suffixes.size() : slot;
  }

  /** Whether the slot is the column of values that were not declared. */
  boolean isOther(int slot) {
    return slot == suffixes.size();
  }

  private Map<String, Integer> slots() {
    if (slots == null) {
      Map<String, Integer> m = new HashMap<>();
      for (String value : suffixes.keySet()) {
        m.put(value, m.size());
      }
      slots = m;
    }
    return slots;
  }

  @Override
  public String toString() {
    return field + " into " + String.join(", ", suffixes());
  }
}
