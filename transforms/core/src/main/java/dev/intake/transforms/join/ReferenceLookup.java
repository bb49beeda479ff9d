package dev.intake.transforms.join;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * The join of one row with a reference's index: the row's join value, the reference row it finds,
 * and the output row with the reference's columns appended.
 */
final class ReferenceLookup implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String reference;
  private final String joinField;
  private final List<String> referenceColumns;
  private final Schema output;

  ReferenceLookup(String reference, String joinField, Map<String, String> columns,
      Schema output) {
    this.reference = reference;
    this.joinField = joinField;
    this.referenceColumns = new ArrayList<>(columns.keySet());
    this.output = output;
  }

  /** Keys and join values are compared as text: the types were checked to be equal. */
  static String keyText(Object value) {
    return value.toString();
  }

  String reference() {
    return reference;
  }

  String joinField() {
    return joinField;
  }

  /** The row's join value as key text, or null when it has none. */
  String joinValue(Row row) {
    Object v = row.getValue(joinField);
    return v == null ? null : keyText(v);
  }

  /** {@code row} with the columns of {@code match} appended (null columns when null). */
  Row joined(Row row, Row match) {
    List<Object> values = new ArrayList<>(row.getValues());
    for (String c : referenceColumns) {
      values.add(match == null ? null : match.getValue(c));
    }
    return Row.withSchema(output).addValues(values).build();
  }
}
