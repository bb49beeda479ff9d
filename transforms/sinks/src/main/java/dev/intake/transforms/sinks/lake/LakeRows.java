package dev.intake.transforms.sinks.lake;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * Turns a record read from the lake's Parquet back into a row of the current schema. A record of an
 * older schema version has its missing columns null, its int (or long) values widened to the
 * field's long (or double), and a renamed field's value under its former name. Text, numbers,
 * booleans and millisecond timestamps are converted here; a date is read as the {@link LocalDate}
 * of its epoch day (Beam's Avro conversion reads dates only into DATETIME fields); anything else
 * goes through Beam's Avro conversion.
 */
final class LakeRows implements SerializableFunction<GenericRecord, Row>, Serializable {
  private static final long serialVersionUID = 1L;
  private final Schema schema;
  private final Map<String, String> renamedFrom;
  private transient org.apache.avro.Schema columnsOf;
  private transient Columns columns;

  LakeRows(Schema schema, Map<String, String> renamedFrom) {
    this.schema = schema;
    this.renamedFrom = renamedFrom;
  }

  @Override
  public Row apply(GenericRecord record) {
    org.apache.avro.Schema avro = record.getSchema();
    if (avro != columnsOf) {
      columns = Columns.of(avro, schema, renamedFrom);
      columnsOf = avro;
    }
    List<Object> values = new ArrayList<>(schema.getFieldCount());
    for (int i = 0; i < schema.getFieldCount(); i++) {
      values.add(valueOf(record, i, schema.getField(i).getType()));
    }
    // The values are of the schema's Java types: attaching them skips Row.Builder's per-value type
    // matching, which cost more than the Parquet decoding when reading partitions back.
    return Row.withSchema(schema).attachValues(values);
  }

  private Object valueOf(GenericRecord record, int field, Schema.FieldType type) {
    int at = columns.position[field];
    Object v = at < 0 ? null : record.get(at);
    if (v == null && columns.renamed[field] >= 0) {
      at = columns.renamed[field];
      v = record.get(at);
    }
    if (v == null) {
      return null;
    }
    switch (type.getTypeName()) {
      case STRING:
        if (v instanceof CharSequence) {
          return v.toString();
        }
        break;
      case INT64:
        if (v instanceof Integer i) {
          return i.longValue();
        }
        if (v instanceof Long) {
          return v;
        }
        break;
      case DOUBLE:
        if (v instanceof Integer || v instanceof Long) {
          return ((Number) v).doubleValue();
        }
        if (v instanceof Double) {
          return v;
        }
        break;
      case INT32:
        if (v instanceof Integer) {
          return v;
        }
        break;
      case BOOLEAN:
        if (v instanceof Boolean) {
          return v;
        }
        break;
      case DATETIME:
        if (v instanceof Long millis && columns.millis[at]) {
          return new Instant(millis.longValue());
        }
        break;
      default:
        if (isDate(type)) {
          return v instanceof LocalDate d ? d : LocalDate.ofEpochDay(((Number) v).intValue());
        }
        break;
    }
    return AvroUtils.convertAvroFieldStrict(v, columns.avro[at], type);
  }

  /**
   * Where each field of the schema is in one file's Avro schema (-1: not there), under its name and
   * under its former name, and which of the file's columns hold timestamps in milliseconds. Computed
   * once per file schema, not per value.
   */
  private static final class Columns {
    final int[] position;
    final int[] renamed;
    final org.apache.avro.Schema[] avro;
    final boolean[] millis;

    private Columns(int fields, int columns) {
      position = new int[fields];
      renamed = new int[fields];
      avro = new org.apache.avro.Schema[columns];
      millis = new boolean[columns];
    }

    static Columns of(org.apache.avro.Schema file, Schema schema, Map<String, String> renamedFrom) {
      List<org.apache.avro.Schema.Field> fileFields = file.getFields();
      Columns c = new Columns(schema.getFieldCount(), fileFields.size());
      for (org.apache.avro.Schema.Field f : fileFields) {
        c.avro[f.pos()] = f.schema();
        c.millis[f.pos()] = isTimestampMillis(f.schema());
      }
      for (int i = 0; i < schema.getFieldCount(); i++) {
        String name = schema.getField(i).getName();
        c.position[i] = positionOf(file, name);
        String former = renamedFrom.get(name);
        c.renamed[i] = former == null ? -1 : positionOf(file, former);
      }
      return c;
    }

    private static int positionOf(org.apache.avro.Schema file, String column) {
      org.apache.avro.Schema.Field f = file.getField(column);
      return f == null ? -1 : f.pos();
    }

    private static boolean isTimestampMillis(org.apache.avro.Schema s) {
      org.apache.avro.Schema column = RowWriteSupport.nonNull(s);
      return column.getType() == org.apache.avro.Schema.Type.LONG
          && column.getLogicalType() instanceof LogicalTypes.TimestampMillis;
    }
  }

  /** Whether {@code type} is Beam's DATE logical type (read and written as epoch days). */
  static boolean isDate(Schema.FieldType type) {
    return type.getTypeName().isLogicalType()
        && type.getLogicalType().getIdentifier().equals(SqlTypes.DATE.getIdentifier());
  }
}
