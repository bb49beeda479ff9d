package dev.intake.transforms.sinks.lake;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;

/**
 * Turns a record read from the lake's Parquet back into a row of the current schema. A record of an
 * older schema version has its missing columns null, its int (or long) values widened to the
 * field's long (or double), and a renamed field's value under its former name. Beam's Avro
 * conversion does the work except for DATE columns, which it reads only into DATETIME
 * fields: a date is read as the {@link LocalDate} of its epoch day.
 */
final class LakeRows implements SerializableFunction<GenericRecord, Row>, Serializable {
  private static final long serialVersionUID = 1L;
  private final Schema schema;
  private final Map<String, String> renamedFrom;

  LakeRows(Schema schema, Map<String, String> renamedFrom) {
    this.schema = schema;
    this.renamedFrom = renamedFrom;
  }

  @Override
  public Row apply(GenericRecord record) {
    org.apache.avro.Schema avro = record.getSchema();
    Row.Builder b = Row.withSchema(schema);
    for (Schema.Field f : schema.getFields()) {
      String column = f.getName();
      Object v = valueOf(record, column);
      if (v == null && renamedFrom.containsKey(column)) {
        column = renamedFrom.get(column);
        v = valueOf(record, column);
      }
      if (v == null) {
        b.addValue(null);
      } else if (v instanceof Integer i && f.getType().getTypeName() == Schema.TypeName.INT64) {
        b.addValue(i.longValue());
      } else if ((v instanceof Integer || v instanceof Long)
          && f.getType().getTypeName() == Schema.TypeName.DOUBLE) {
        b.addValue(((Number) v).doubleValue());
      } else if (isDate(f.getType())) {
        b.addValue(v instanceof LocalDate d ? d : LocalDate.ofEpochDay(((Number) v).intValue()));
      } else {
        b.addValue(
            AvroUtils.convertAvroFieldStrict(v, avro.getField(column).schema(), f.getType()));
      }
    }
    return b.build();
  }

  /** The record's value of {@code column}; null when its file has no such column. */
  private static Object valueOf(GenericRecord record, String column) {
    return record.getSchema().getField(column) == null ? null : record.get(column);
  }

  private static boolean isDate(Schema.FieldType type) {
    return type.getTypeName().isLogicalType()
        && type.getLogicalType().getIdentifier().equals(SqlTypes.DATE.getIdentifier());
  }
}
