package dev.intake.transforms.sinks.lake;

import java.io.Serializable;
import java.time.LocalDate;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;

/**
 * Turns a record read from the lake's Parquet back into a row of the schema it was written with.
 * Beam's Avro conversion does the work except for DATE columns, which it reads only into DATETIME
 * fields: a date is read as the {@link LocalDate} of its epoch day.
 */
final class LakeRows implements SerializableFunction<GenericRecord, Row>, Serializable {
  private static final long serialVersionUID = 1L;
  private final Schema schema;

  LakeRows(Schema schema) {
    this.schema = schema;
  }

  @Override
  public Row apply(GenericRecord record) {
    org.apache.avro.Schema avro = record.getSchema();
    Row.Builder b = Row.withSchema(schema);
    for (Schema.Field f : schema.getFields()) {
      Object v = record.get(f.getName());
      if (v == null) {
        b.addValue(null);
      } else if (isDate(f.getType())) {
        b.addValue(v instanceof LocalDate d ? d : LocalDate.ofEpochDay(((Number) v).intValue()));
      } else {
        b.addValue(
            AvroUtils.convertAvroFieldStrict(v, avro.getField(f.getName()).schema(), f.getType()));
      }
    }
    return b.build();
  }

  private static boolean isDate(Schema.FieldType type) {
    return type.getTypeName().isLogicalType()
        && type.getLogicalType().getIdentifier().equals(SqlTypes.DATE.getIdentifier());
  }
}
