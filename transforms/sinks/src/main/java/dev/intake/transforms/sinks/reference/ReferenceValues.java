package dev.intake.transforms.sinks.reference;

import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Turns the values of a reference's CSV lines or Parquet records into rows of its declared columns;
 * what cannot be converted is an {@link IllegalArgumentException} naming the reference and where.
 */
final class ReferenceValues implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String CLASSPATH = "classpath:";
  static final List<FieldType> SUPPORTED = List.of(FieldType.STRING, FieldType.LONG,
      FieldType.INT, FieldType.DOUBLE, FieldType.BOOLEAN, FieldType.DATE);

  private final String reference;
  private final List<FieldDef> columns;
  private final Schema schema;

  ReferenceValues(String reference, List<FieldDef> columns, Schema schema) {
    this.reference = reference;
    this.columns = columns;
    this.schema = schema;
  }

  static String supportedNames() {
    List<String> names = new ArrayList<>();
    SUPPORTED.forEach(t -> names.add(t.specName()));
    return String.join(", ", names);
  }

  String reference() {
    return reference;
  }

  /** Where each column is in a CSV header; fails naming a column the header lacks. */
  int[] positions(List<String> header, String file) {
    List<String> names = new ArrayList<>();
    header.forEach(h -> names.add(h.trim()));
    int[] at = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      at[i] = names.indexOf(columns.get(i).name());
      if (at[i] < 0) {
        throw new IllegalArgumentException("reference " + reference + ": " + file
            + " has no column '" + columns.get(i).name() + "' (its header: "
            + String.join(",", header) + ")");
      }
    }
    return at;
  }

  /** The row of one CSV line's values. */
  Row fromCsv(List<String> values, int[] positions, String where) {
    Row.Builder b = Row.withSchema(schema);
    for (int i = 0; i < columns.size(); i++) {
      String text = positions[i] < values.size() ? values.get(positions[i]) : "";
      b.addValue(text.isEmpty() ? null : convert(columns.get(i), text.trim(), where));
    }
    return b.build();
  }

  private Object convert(FieldDef column, String text, String where) {
    try {
      switch (column.type()) {
        case LONG:
          return Long.parseLong(text);
        case INT:
          return Integer.parseInt(text);
        case DOUBLE:
          return Double.parseDouble(text);
        case BOOLEAN:
          String b = text.toLowerCase(Locale.ROOT);
          if (!b.equals("true") && !b.equals("false")) {
            throw new IllegalArgumentException("not true or false");
          }
          return Boolean.parseBoolean(b);
        case DATE:
          return LocalDate.parse(text);
        default:
          return text;
      }
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException("reference " + reference + ": " + where + ": column "
          + column.name() + ": '" + text + "' is not a " + column.type().specName() + " value");
    }
  }

  /** The row of one Parquet record. */
  Row fromParquet(GenericRecord record) {
    Row.Builder b = Row.withSchema(schema);
    for (FieldDef c : columns) {
      if (record.getSchema().getField(c.name()) == null) {
        throw new IllegalArgumentException("reference " + reference + " has no column '"
            + c.name() + "' (its columns: " + fieldNames(record) + ")");
      }
      b.addValue(parquetValue(c, record.get(c.name())));
    }
    return b.build();
  }

  private Object parquetValue(FieldDef c, Object v) {
    if (v == null) {
      return null;
    }
    Object out = null;
    switch (c.type()) {
      case STRING:
        out = v instanceof CharSequence ? v.toString() : null;
        break;
      case LONG:
        out = v instanceof Long || v instanceof Integer ? ((Number) v).longValue() : null;
        break;
      case INT:
        out = v instanceof Integer ? v : null;
        break;
      case DOUBLE:
        out = v instanceof Number ? ((Number) v).doubleValue() : null;
        break;
      case BOOLEAN:
        out = v instanceof Boolean ? v : null;
        break;
      case DATE:
        out = v instanceof LocalDate ? v
            : v instanceof Integer ? LocalDate.ofEpochDay((Integer) v) : null;
        break;
      default:
        break;
    }
    if (out == null) {
      throw new IllegalArgumentException("reference " + reference + ": column " + c.name()
          + " holds " + v.getClass().getSimpleName() + " values, not " + c.type().specName());
    }
    return out;
  }

  private static String fieldNames(GenericRecord record) {
    List<String> names = new ArrayList<>();
    record.getSchema().getFields().forEach(f -> names.add(f.name()));
    return String.join(", ", names);
  }
}
