package dev.intake.transforms.sinks.warehouse;

import dev.intake.transforms.sinks.lake.LakeInputFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads a lake Parquet file straight into binary COPY rows of a table's schema: each value goes
 * from Parquet's decoders to the COPY encoding, without an Avro record or a Beam row in between
 * (a string's UTF-8 bytes are copied as stored). The rows are those {@link
 * dev.intake.transforms.sinks.lake.ParquetRows} reads: a column the file lacks is null, int values
 * of a long or double field are widened; only the file's columns of the schema are decoded. Flat
 * columns of the types the lake writes (long, int, double, boolean, string, millisecond
 * timestamps, dates); {@link #open} returns null for a schema or file it cannot read this way, which
 * the caller then reads through rows.
 */
final class ParquetCopyReader implements AutoCloseable {
  /** Called after each row is encoded; may fail with {@code E}. */
  interface AfterRow<E extends Exception> {
    void done() throws E;
  }

  private enum Kind {
    INT8,
    INT4,
    FLOAT8,
    BOOL,
    TEXT,
    TIMESTAMP_MILLIS,
    DATE
  }

  private final ParquetFileReader file;
  private final MessageColumnIO columns;
  private final Materializer materializer;

  private ParquetCopyReader(ParquetFileReader file, MessageType requested, Materializer m) {
    this.file = file;
    this.columns = new ColumnIOFactory().getColumnIO(requested, file.getFileMetaData()
        .getSchema());
    this.materializer = m;
  }

  /**
   * A reader of the file at {@code path} into {@code encoder} (of {@code schema}), or null when the
   * schema or the file has a column this reader does not decode.
   *
   * @throws java.io.FileNotFoundException when there is no such file
   */
  static ParquetCopyReader open(String path, Schema schema, BinaryCopyEncoder encoder)
      throws IOException {
    Kind[] kinds = new Kind[schema.getFieldCount()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = kindOf(schema.getField(i).getType());
      if (kinds[i] == null) {
        return null;
      }
    }
    ParquetFileReader file = ParquetFileReader.open(LakeInputFile.of(path));
    try {
      MessageType fileSchema = file.getFileMetaData().getSchema();
      List<Type> requested = new ArrayList<>();
      List<Integer> targets = new ArrayList<>();
      for (Type column : fileSchema.getFields()) {
        if (!schema.hasField(column.getName())) {
          continue;
        }
        int target = schema.indexOf(column.getName());
        if (!column.isPrimitive() || column.isRepetition(Type.Repetition.REPEATED)
            || !readable(column.asPrimitiveType(), kinds[target])) {
          file.close();
          return null;
        }
        requested.add(column);
        targets.add(target);
      }
      if (requested.isEmpty()) {
        file.close();
        return null;
      }
      MessageType projection = new MessageType(fileSchema.getName(), requested);
      file.setRequestedSchema(projection);
      int[] targetOf = targets.stream().mapToInt(Integer::intValue).toArray();
      return new ParquetCopyReader(file, projection,
          new Materializer(new Root(kinds, targetOf, encoder)));
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** Encodes every row of the file, calling {@code afterRow} after each; returns how many. */
  <E extends Exception> long read(AfterRow<E> afterRow) throws IOException, E {
    long rows = 0;
    for (PageReadStore group = file.readNextRowGroup(); group != null;
        group = file.readNextRowGroup()) {
      RecordReader<Boolean> records = columns.getRecordReader(group, materializer);
      for (long i = 0, n = group.getRowCount(); i < n; i++) {
        records.read();
        rows++;
        afterRow.done();
      }
    }
    return rows;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  private static Kind kindOf(Schema.FieldType type) {
    switch (type.getTypeName()) {
      case INT64:
        return Kind.INT8;
      case INT32:
        return Kind.INT4;
      case DOUBLE:
        return Kind.FLOAT8;
      case BOOLEAN:
        return Kind.BOOL;
      case STRING:
        return Kind.TEXT;
      case DATETIME:
        return Kind.TIMESTAMP_MILLIS;
      case LOGICAL_TYPE:
        return type.getLogicalType().getIdentifier().contains("date") ? Kind.DATE : null;
      default:
        return null;
    }
  }

  /** Whether a file column of type {@code c} holds values of {@code kind} as the lake writes them. */
  private static boolean readable(PrimitiveType c, Kind kind) {
    PrimitiveTypeName t = c.getPrimitiveTypeName();
    LogicalTypeAnnotation a = c.getLogicalTypeAnnotation();
    switch (kind) {
      case INT8:
        return (t == PrimitiveTypeName.INT64 || t == PrimitiveTypeName.INT32) && a == null;
      case INT4:
        return t == PrimitiveTypeName.INT32 && a == null;
      case FLOAT8:
        return (t == PrimitiveTypeName.DOUBLE || t == PrimitiveTypeName.INT64
            || t == PrimitiveTypeName.INT32) && a == null;
      case BOOL:
        return t == PrimitiveTypeName.BOOLEAN;
      case TEXT:
        return t == PrimitiveTypeName.BINARY
            && a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation;
      case TIMESTAMP_MILLIS:
        return t == PrimitiveTypeName.INT64
            && a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
            && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.MILLIS;
      case DATE:
        return t == PrimitiveTypeName.INT32
            && a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation;
      default:
        return false;
    }
  }

  private static final class Materializer extends RecordMaterializer<Boolean> {
    private final Root root;

    Materializer(Root root) {
      this.root = root;
    }

    @Override
    public Boolean getCurrentRecord() {
      return Boolean.TRUE;
    }

    @Override
    public GroupConverter getRootConverter() {
      return root;
    }
  }

  /**
   * Holds one record's values by table column as Parquet hands them over, and encodes the row,
   * in table column order, when the record ends.
   */
  private static final class Root extends GroupConverter {
    private final Kind[] kinds;
    private final BinaryCopyEncoder encoder;
    private final Converter[] converters;
    private final boolean[] present;
    private final long[] longs;
    private final double[] doubles;
    private final Binary[] binaries;

    Root(Kind[] kinds, int[] targetOf, BinaryCopyEncoder encoder) {
      this.kinds = kinds;
      this.encoder = encoder;
      this.present = new boolean[kinds.length];
      this.longs = new long[kinds.length];
      this.doubles = new double[kinds.length];
      this.binaries = new Binary[kinds.length];
      this.converters = new Converter[targetOf.length];
      for (int j = 0; j < targetOf.length; j++) {
        converters[j] = kinds[targetOf[j]] == Kind.FLOAT8
            ? new ToDouble(targetOf[j]) : new Value(targetOf[j]);
      }
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return converters[fieldIndex];
    }

    @Override
    public void start() {
      Arrays.fill(present, false);
    }

    @Override
    public void end() {
      encoder.startRow();
      for (int i = 0; i < kinds.length; i++) {
        if (!present[i]) {
          encoder.putNull();
          continue;
        }
        switch (kinds[i]) {
          case INT8:
            encoder.putInt8(longs[i]);
            break;
          case INT4:
            encoder.putInt4((int) longs[i]);
            break;
          case FLOAT8:
            encoder.putFloat8(doubles[i]);
            break;
          case BOOL:
            encoder.putBool(longs[i] != 0);
            break;
          case TEXT:
            encoder.putUtf8(i, binaries[i].toByteBuffer());
            break;
          case TIMESTAMP_MILLIS:
            encoder.putTimestampMillis(longs[i]);
            break;
          case DATE:
            encoder.putDateDays((int) longs[i]);
            break;
          default:
            throw new IllegalStateException("no encoding for " + kinds[i]);
        }
      }
    }

    /** A column's value as it comes (integers widened to long, booleans as 0 or 1). */
    private final class Value extends PrimitiveConverter {
      private final int i;

      Value(int i) {
        this.i = i;
      }

      @Override
      public void addLong(long v) {
        longs[i] = v;
        present[i] = true;
      }

      @Override
      public void addInt(int v) {
        longs[i] = v;
        present[i] = true;
      }

      @Override
      public void addBoolean(boolean v) {
        longs[i] = v ? 1 : 0;
        present[i] = true;
      }

      @Override
      public void addBinary(Binary v) {
        binaries[i] = v;
        present[i] = true;
      }
    }

    /** A double column's value, integers widened to double. */
    private final class ToDouble extends PrimitiveConverter {
      private final int i;

      ToDouble(int i) {
        this.i = i;
      }

      @Override
      public void addDouble(double v) {
        doubles[i] = v;
        present[i] = true;
      }

      @Override
      public void addLong(long v) {
        doubles[i] = v;
        present[i] = true;
      }

      @Override
      public void addInt(int v) {
        doubles[i] = v;
        present[i] = true;
      }
    }
  }
}
