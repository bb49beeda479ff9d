package dev.intake.transforms.sinks.lake;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;

/**
 * One published lake file, opened once: its footer is read when it is opened, then it can be asked
 * whether it may hold some key values (by the Bloom filters {@link WriteParquet#withBloomFilterOn}
 * writes, without reading a data page) and read for a few columns, as {@link ReadLake#columns}
 * reads them, through the same reader. A reader that looks for a few keys in many files so reads
 * each footer once and the data of the files that may hold them only.
 */
public final class LakeFile implements Closeable {
  private final ParquetFileReader reader;
  private boolean read;

  private LakeFile(ParquetFileReader reader) {
    this.reader = reader;
  }

  /** Opens {@code file} (local or any Beam file system) and reads its footer. */
  public static LakeFile open(MatchResult.Metadata file) throws IOException {
    return open(new LakeInputFile(file));
  }

  static LakeFile open(LakeInputFile file) throws IOException {
    return new LakeFile(ParquetFileReader.open(file));
  }

  /**
   * Whether the file may hold a row whose top-level {@code column} equals one of {@code values}:
   * Strings for a text column, Longs or Integers for an integer one, null for no value. False only
   * when the file can tell that none is there: every row group has a Bloom filter of the column
   * that holds none of the values (and statistics that count no null, for a null value). True when
   * a filter says one may be there (a false positive among them), and whenever the file cannot
   * tell: a file written without Bloom filters, a column the file lacks or holds with another
   * type.
   */
  public boolean mayHoldAny(String column, Collection<?> values) throws IOException {
    ColumnPath path = ColumnPath.get(column);
    for (BlockMetaData group : reader.getRowGroups()) {
      ColumnChunkMetaData chunk = chunkOf(group, path);
      if (chunk == null) {
        return true;
      }
      BloomFilter filter = reader.getBloomFilterDataReader(group).readBloomFilter(chunk);
      if (filter == null) {
        return true;
      }
      PrimitiveType type = reader.getFooter().getFileMetaData().getSchema().getType(column)
          .asPrimitiveType();
      for (Object value : values) {
        if (value == null ? mayHoldNull(chunk) : mayHold(filter, type, value)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The rows the file holds, by its footer. */
  public long rows() {
    long rows = 0;
    for (BlockMetaData group : reader.getRowGroups()) {
      rows += group.getRowCount();
    }
    return rows;
  }

  /**
   * The rows held by the Parquet files matching {@code glob} (local or any Beam file system), by
   * their footers: what a write left on disk, not what it was handed. No match counts 0.
   */
  public static long rowsIn(String glob) throws IOException {
    long rows = 0;
    for (MatchResult.Metadata file
        : FileSystems.match(glob, EmptyMatchTreatment.ALLOW).metadata()) {
      try (LakeFile f = open(file)) {
        rows += f.rows();
      }
    }
    return rows;
  }

  private static ColumnChunkMetaData chunkOf(BlockMetaData group, ColumnPath path) {
    for (ColumnChunkMetaData chunk : group.getColumns()) {
      if (chunk.getPath().equals(path)) {
        return chunk;
      }
    }
    return null;
  }

  private static boolean mayHoldNull(ColumnChunkMetaData chunk) {
    Statistics<?> stats = chunk.getStatistics();
    return stats == null || !stats.isNumNullsSet() || stats.getNumNulls() > 0;
  }

  /** Whether {@code filter} may hold {@code value} in a column of {@code type}. */
  private static boolean mayHold(BloomFilter filter, PrimitiveType type, Object value) {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case BINARY:
        if (value instanceof String text
            && logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
          return filter.findHash(filter.hash(Binary.fromString(text)));
        }
        break;
      case INT64:
        if ((value instanceof Long || value instanceof Integer) && logical == null) {
          return filter.findHash(filter.hash(((Number) value).longValue()));
        }
        break;
      case INT32:
        if ((value instanceof Long || value instanceof Integer) && logical == null) {
          long v = ((Number) value).longValue();
          // An int column (an older schema's, read widened) holds no value out of its range.
          return v == (int) v && filter.findHash(filter.hash((int) v));
        }
        break;
      default:
        break;
    }
    return true;
  }

  /**
   * Reads the file's {@code schema} columns as rows of {@code schema}, with parquet-avro's
   * projection and the conversion of {@link ReadLake#columns} (so the same values as there),
   * without reading its other columns or its footer again. Only once per opened file.
   */
  public void readColumns(Schema schema, Consumer<Row> each) throws IOException {
    Configuration conf = new Configuration(false);
    ReadLake.projection(schema).forEach(conf::set);
    read(conf, new AvroReadSupport<>(), new LakeRows(schema, Map.of()), each::accept);
  }

  /**
   * Reads every column of the file as rows through {@code toRow} (the records of parquet-avro's
   * generic model, as {@code AvroParquetReader} gives them, without the Hadoop configuration it
   * loads for every file); returns how many. Only once per opened file.
   */
  <E extends Exception> long readAll(LakeRows toRow, ParquetRows.Consumer<E> each)
      throws IOException, E {
    return read(new Configuration(false), new AvroReadSupport<>(GenericData.get()), toRow, each);
  }

  private <E extends Exception> long read(Configuration conf,
      AvroReadSupport<GenericRecord> support, LakeRows toRow, ParquetRows.Consumer<E> each)
      throws IOException, E {
    if (read) {
      throw new IllegalStateException("the file's rows were read already");
    }
    read = true;
    FileMetaData meta = reader.getFooter().getFileMetaData();
    Map<String, String> keyValues = meta.getKeyValueMetaData();
    ReadSupport.ReadContext context = support.init(conf, keyValues, meta.getSchema());
    RecordMaterializer<GenericRecord> records =
        support.prepareForRead(conf, keyValues, meta.getSchema(), context);
    MessageType requested = context.getRequestedSchema();
    reader.setRequestedSchema(requested);
    MessageColumnIO io =
        new ColumnIOFactory(meta.getCreatedBy()).getColumnIO(requested, meta.getSchema(), true);
    long n = 0;
    for (PageReadStore pages = reader.readNextRowGroup(); pages != null;
        pages = reader.readNextRowGroup()) {
      RecordReader<GenericRecord> group = io.getRecordReader(pages, records, FilterCompat.NOOP);
      for (long i = 0; i < pages.getRowCount(); i++) {
        each.accept(toRow.apply(group.read()));
        n++;
      }
    }
    return n;
  }


  @Override
  public void close() throws IOException {
    reader.close();
  }
}
