package dev.intake.transforms.sinks.lake;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.joda.time.ReadableInstant;

/**
 * Writes rows of one schema to Parquet as parquet-avro writes their Avro records ({@link
 * AvroUtils#toAvroSchema}): the same Parquet schema, the same values handed to the column writers
 * in the same order, the same footer metadata (the Avro schema, the object model "avro"), so the
 * files are byte for byte what {@code AvroParquetWriter} (and Beam's {@code ParquetIO.sink}) writes
 * and every reader of the lake reads them as before. What it saves is the record in between: each
 * value goes from the row straight to the record consumer (text as its UTF-8 bytes, timestamps as
 * epoch milliseconds, dates as epoch days, lists of those as three-level lists), decided once per
 * field from the two schemas. A schema with any other field type writes every row through Beam's
 * conversion and parquet-avro's own write support. A row may carry fields after the schema's; they
 * are not written.
 */
final class RowWriteSupport extends WriteSupport<Row> {
  /** The footer key parquet-avro stores the Avro schema under, and reads it back from. */
  static final String AVRO_SCHEMA_KEY = "parquet.avro.schema";

  /** The three-level list's repeated group and its element, as parquet-avro names them. */
  private static final String LIST = "list";

  private static final String ELEMENT = "element";

  private enum Kind { BOOLEAN, INT, LONG, DOUBLE, TEXT, MILLIS, EPOCH_DAY }

  private final Schema schema;
  private final org.apache.avro.Schema avro;
  private final MessageType parquet;
  /** Per field: how its value is written, null for a list; all null: Beam's conversion. */
  private final Kind[] kinds;
  /** Per list field: how its elements are written. */
  private final Kind[] elements;
  private final String[] names;
  /** Per field: whether it holds a value in every row (a null there is refused). */
  private final boolean[] required;
  private final AvroWriteSupport<GenericRecord> viaAvro;
  private RecordConsumer out;

  private RowWriteSupport(Schema schema, org.apache.avro.Schema avro, MessageType parquet) {
    this.schema = schema;
    this.avro = avro;
    this.parquet = parquet;
    int n = schema.getFieldCount();
    Kind[] kinds = new Kind[n];
    Kind[] elements = new Kind[n];
    boolean direct = true;
    for (int i = 0; i < n && direct; i++) {
      Schema.FieldType type = schema.getField(i).getType();
      org.apache.avro.Schema column = nonNull(avro.getFields().get(i).schema());
      if (type.getTypeName() == Schema.TypeName.ARRAY) {
        Schema.FieldType element = type.getCollectionElementType();
        direct = element != null && !element.getNullable()
            && column.getType() == org.apache.avro.Schema.Type.ARRAY
            && (elements[i] = kindOf(element, column.getElementType())) != null
            && elements[i] != Kind.MILLIS && elements[i] != Kind.EPOCH_DAY;
      } else {
        direct = (kinds[i] = kindOf(type, column)) != null;
      }
    }
    this.kinds = direct ? kinds : null;
    this.elements = elements;
    this.names = schema.getFieldNames().toArray(new String[0]);
    this.required = new boolean[n];
    for (int i = 0; i < n; i++) {
      required[i] = !schema.getField(i).getType().getNullable();
    }
    this.viaAvro = direct ? null : new AvroWriteSupport<>(parquet, avro, SpecificData.get());
  }

  /**
   * The write support for rows of {@code schema} into files of {@code avro} (its Avro schema),
   * whose Parquet schema parquet-avro derives with {@code settings}.
   */
  static RowWriteSupport of(Schema schema, org.apache.avro.Schema avro, Configuration settings) {
    return new RowWriteSupport(schema, avro, new AvroSchemaConverter(settings).convert(avro));
  }

  /** A Parquet writer of rows into {@code file} through {@code support}, to be set as usual. */
  static ParquetWriter.Builder<Row, ?> writer(OutputFile file, RowWriteSupport support) {
    return new Builder(file, support);
  }

  /** Whether rows go to the columns directly (false: through Beam's Avro conversion). */
  boolean direct() {
    return kinds != null;
  }

  /** "avro": the files are parquet-avro's, schema metadata included, and read as such. */
  @Override
  public String getName() {
    return "avro";
  }

  @Override
  public WriteContext init(Configuration configuration) {
    if (viaAvro != null) {
      return viaAvro.init(configuration);
    }
    return new WriteContext(parquet, Map.of(AVRO_SCHEMA_KEY, avro.toString()));
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    if (viaAvro != null) {
      viaAvro.prepareForWrite(recordConsumer);
    }
    out = recordConsumer;
  }

  @Override
  public void write(Row row) {
    if (viaAvro != null) {
      viaAvro.write(AvroUtils.toGenericRecord(written(row), avro));
      return;
    }
    List<Object> values = row.getValues();
    out.startMessage();
    for (int i = 0; i < names.length; i++) {
      Object v = values.get(i);
      if (v == null) {
        if (required[i]) {
          throw new IllegalArgumentException("null in the required column " + names[i]);
        }
        continue;
      }
      out.startField(names[i], i);
      if (kinds[i] == null) {
        list((List<?>) v, elements[i]);
      } else {
        value(kinds[i], v);
      }
      out.endField(names[i], i);
    }
    out.endMessage();
  }

  /** A list as parquet-avro's three-level LIST: {@code group { repeated group list { element }}}. */
  private void list(List<?> values, Kind kind) {
    out.startGroup();
    if (!values.isEmpty()) {
      out.startField(LIST, 0);
      for (Object v : values) {
        out.startGroup();
        out.startField(ELEMENT, 0);
        value(kind, v);
        out.endField(ELEMENT, 0);
        out.endGroup();
      }
      out.endField(LIST, 0);
    }
    out.endGroup();
  }

  private void value(Kind kind, Object v) {
    switch (kind) {
      case BOOLEAN -> out.addBoolean((Boolean) v);
      case INT -> out.addInteger(((Number) v).intValue());
      case LONG -> out.addLong(((Number) v).longValue());
      case DOUBLE -> out.addDouble(((Number) v).doubleValue());
      case TEXT -> out.addBinary(Binary.fromString((String) v));
      case MILLIS -> out.addLong(((ReadableInstant) v).getMillis());
      case EPOCH_DAY -> out.addInteger((int) ((LocalDate) v).toEpochDay());
      default -> throw new IllegalStateException("no writer for " + kind);
    }
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
    boolean plain = column.getLogicalType() == null;
    switch (type.getTypeName()) {
      case STRING:
        return column.getType() == org.apache.avro.Schema.Type.STRING ? Kind.TEXT : null;
      case INT32:
        return plain && column.getType() == org.apache.avro.Schema.Type.INT ? Kind.INT : null;
      case INT64:
        return plain && column.getType() == org.apache.avro.Schema.Type.LONG ? Kind.LONG : null;
      case DOUBLE:
        return plain && column.getType() == org.apache.avro.Schema.Type.DOUBLE ? Kind.DOUBLE : null;
      case BOOLEAN:
        return plain && column.getType() == org.apache.avro.Schema.Type.BOOLEAN
            ? Kind.BOOLEAN : null;
      case DATETIME:
        return column.getLogicalType() instanceof LogicalTypes.TimestampMillis ? Kind.MILLIS : null;
      case LOGICAL_TYPE:
        return LakeRows.isDate(type) && column.getLogicalType() instanceof LogicalTypes.Date
            ? Kind.EPOCH_DAY : null;
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

  private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
    private final RowWriteSupport support;

    Builder(OutputFile file, RowWriteSupport support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(Configuration conf) {
      return support;
    }
  }
}
