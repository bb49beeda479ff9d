package dev.intake.transforms.sinks.lake;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * Turns rows of one schema into Avro records of its Avro schema ({@link AvroUtils#toAvroSchema}),
 * for the Parquet writer. How each field converts is decided once, from the two schemas, instead of
 * per value as {@link AvroUtils#toGenericRecord} does (a tenth of the write's time): text as Avro's
 * UTF-8, numbers and booleans as they are, timestamps as epoch milliseconds, dates as epoch days,
 * lists of those as lists. A schema with any other type converts every row through Beam's conversion, so the
 * records are the same either way. A row may carry fields after the schema's; they are not
 * written.
 */
final class RowRecords {
  private enum Kind { AS_IS, TEXT, TEXT_LIST, MILLIS, EPOCH_DAY }

  private final Schema schema;
  private final org.apache.avro.Schema avro;
  private final Kind[] kinds;

  private RowRecords(Schema schema, org.apache.avro.Schema avro, Kind[] kinds) {
    this.schema = schema;
    this.avro = avro;
    this.kinds = kinds;
  }

  /** The converter for rows of {@code schema} into records of {@code avro}. */
  static RowRecords of(Schema schema, org.apache.avro.Schema avro) {
    Kind[] kinds = new Kind[schema.getFieldCount()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = kindOf(schema.getField(i).getType(), nonNull(avro.getFields().get(i).schema()));
      if (kinds[i] == null) {
        return new RowRecords(schema, avro, null);
      }
    }
    return new RowRecords(schema, avro, kinds);
  }

  GenericRecord toRecord(Row row) {
    if (kinds == null) {
      return AvroUtils.toGenericRecord(written(row), avro);
    }
    GenericData.Record record = new GenericData.Record(avro);
    List<Object> values = row.getValues();
    for (int i = 0; i < kinds.length; i++) {
      Object v = values.get(i);
      if (v != null) {
        switch (kinds[i]) {
          // Avro's Utf8 is written as its bytes; a String would go through a charset encoder.
          case TEXT -> v = new Utf8((String) v);
          case TEXT_LIST -> v = texts((List<?>) v);
          case MILLIS -> v = ((ReadableInstant) v).getMillis();
          case EPOCH_DAY -> v = (int) ((LocalDate) v).toEpochDay();
          default -> { }
        }
      }
      record.put(i, v);
    }
    return record;
  }

  private static List<Utf8> texts(List<?> values) {
    List<Utf8> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(new Utf8((String) v));
    }
    return out;
  }

  /** {@code row} without the fields after the schema's (see {@link WriteParquet#writingFields}). */
  private Row written(Row row) {
    if (row.getFieldCount() == schema.getFieldCount()) {
      return row;
    }
    return Row.withSchema(schema)
        .attachValues(new ArrayList<>(row.getValues().subList(0, schema.getFieldCount())));
  }

  /** How a value of {@code type} goes into a column of {@code column}; null: not handled here. */
  private static Kind kindOf(Schema.FieldType type, org.apache.avro.Schema column) {
    switch (type.getTypeName()) {
      case STRING:
        return column.getType() == org.apache.avro.Schema.Type.STRING ? Kind.TEXT : null;
      case INT32:
      case INT64:
      case DOUBLE:
      case BOOLEAN:
        return column.getLogicalType() == null ? Kind.AS_IS : null;
      case DATETIME:
        return column.getLogicalType() instanceof LogicalTypes.TimestampMillis ? Kind.MILLIS : null;
      case ARRAY:
        Schema.FieldType element = type.getCollectionElementType();
        if (element == null || element.getNullable()
            || column.getType() != org.apache.avro.Schema.Type.ARRAY) {
          return null;
        }
        Kind elements = kindOf(element, column.getElementType());
        return elements == Kind.AS_IS ? Kind.AS_IS : elements == Kind.TEXT ? Kind.TEXT_LIST : null;
      case LOGICAL_TYPE:
        boolean date = type.getLogicalType().getIdentifier().equals(SqlTypes.DATE.getIdentifier())
            && column.getLogicalType() instanceof LogicalTypes.Date;
        return date ? Kind.EPOCH_DAY : null;
      default:
        return null;
    }
  }

  /** The branch of a nullable union that is not null; any other schema as it is. */
  static org.apache.avro.Schema nonNull(org.apache.avro.Schema s) {
    if (s.getType() != org.apache.avro.Schema.Type.UNION) {
      return s;
    }
    for (org.apache.avro.Schema branch : s.getTypes()) {
      if (branch.getType() != org.apache.avro.Schema.Type.NULL) {
        return branch;
      }
    }
    return s;
  }
}
