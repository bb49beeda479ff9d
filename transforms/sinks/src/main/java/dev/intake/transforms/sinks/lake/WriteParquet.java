package dev.intake.transforms.sinks.lake;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import dev.intake.transforms.model.Schemas;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes rows as Snappy-compressed Parquet under a directory (local or any Beam filesystem such as
 * {@code s3://}), in hive-style partition folders when given a {@link Partitioner}. Each partition's
 * rows are sorted by the sort fields and written as {@code part-00000.parquet}, {@code
 * part-00001.parquet}, … of at most {@link #withMaxRowsPerFile} rows each, so the same rows always
 * give the same files, and a retry overwrites rather than adds. Outputs one {@link WrittenFile} per
 * file. Files are written in place: write to a run's staging directory and publish them at commit.
 */
public final class WriteParquet extends PTransform<PCollection<Row>, PCollection<WrittenFile>> {
  private static final int DEFAULT_MAX_ROWS_PER_FILE = 1_000_000;

  private final String directory;
  private final Partitioner partitioner;
  private final List<String> sortFields;
  private final int maxRowsPerFile;
  private final Schema fields;
  private final List<String> bloomFilterKey;

  private WriteParquet(
      String directory, Partitioner partitioner, List<String> sortFields, int maxRowsPerFile,
      Schema fields, List<String> bloomFilterKey) {
    this.directory = directory;
    this.partitioner = partitioner;
    this.sortFields = sortFields;
    this.maxRowsPerFile = maxRowsPerFile;
    this.fields = fields;
    this.bloomFilterKey = bloomFilterKey;
  }

  /** Writes under {@code directory}, unpartitioned and sorted by every field, until told otherwise. */
  public static WriteParquet to(String directory) {
    checkArgumentNotNull(directory, "directory must not be null");
    return new WriteParquet(directory, null, List.of(), DEFAULT_MAX_ROWS_PER_FILE, null,
        List.of());
  }

  public WriteParquet partitionedBy(Partitioner partitioner) {
    checkArgumentNotNull(partitioner, "partitioner must not be null");
    return new WriteParquet(directory, partitioner, sortFields, maxRowsPerFile, fields,
        bloomFilterKey);
  }

  /** Sorts rows within a file by these fields (then by all values). */
  public WriteParquet sortedBy(List<String> fields) {
    return new WriteParquet(directory, partitioner, List.copyOf(fields), maxRowsPerFile,
        this.fields, bloomFilterKey);
  }

  public WriteParquet withMaxRowsPerFile(int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("maxRowsPerFile must be > 0, but was " + rows);
    }
    return new WriteParquet(directory, partitioner, sortFields, rows, fields, bloomFilterKey);
  }

  /**
   * Writes only {@code schema}'s fields, which must be the first fields of the rows' schema: rows
   * may carry fields of their own after them (such as a run's origin mark) that are not written,
   * so no step is needed to drop them.
   */
  public WriteParquet writingFields(Schema schema) {
    checkArgumentNotNull(schema, "schema must not be null");
    return new WriteParquet(directory, partitioner, sortFields, maxRowsPerFile, schema,
        bloomFilterKey);
  }

  /**
   * Writes a Parquet Bloom filter of the key column in every file, when {@code keyFields} is one
   * field stored as text or an integer ({@link #bloomFilterColumn}): a reader looking for a few
   * keys skips the files whose filter says none of them is there, without reading their data. A
   * composite key, or one of another type, gets none. See {@link PartitionFiles} for its size.
   */
  public WriteParquet withBloomFilterOn(List<String> keyFields) {
    return new WriteParquet(directory, partitioner, sortFields, maxRowsPerFile, fields,
        List.copyOf(keyFields));
  }

  /**
   * The column that gets a Bloom filter for {@code keyFields} in files of {@code schema}: the key's
   * field when it is a single STRING, INT64 or INT32 field (a Parquet BINARY, INT64 or INT32
   * column), otherwise null.
   */
  static String bloomFilterColumn(Schema schema, List<String> keyFields) {
    if (keyFields.size() != 1) {
      return null;
    }
    String field = keyFields.get(0);
    if (!schema.hasField(field)) {
      throw new IllegalArgumentException("key field " + field + " is not in " + schema);
    }
    switch (schema.getField(field).getType().getTypeName()) {
      case STRING:
      case INT64:
      case INT32:
        return field;
      default:
        return null;
    }
  }

  /** The partitioner of the folders rows are written in, or null when there is none. */
  public Partitioner partitioner() {
    return partitioner;
  }

  /**
   * The writer of one partition's files, as this write writes them, for rows of schema {@code
   * rows}: for a step that holds each partition's rows already and writes them where it has them,
   * instead of shuffling them to this write.
   *
   * @throws IllegalArgumentException if the fields to write are not the first fields of {@code
   *     rows} or a sort field is not among them
   */
  public PartitionFiles partitionFiles(Schema rows) {
    Schema schema = fields == null ? rows : fields;
    if (schema.getFieldCount() > rows.getFieldCount()
        || !schema.getFields().equals(rows.getFields().subList(0, schema.getFieldCount()))) {
      throw new IllegalArgumentException(
          "the fields to write " + schema + " are not the first fields of the rows' " + rows);
    }
    for (String f : sortFields) {
      if (!schema.hasField(f)) {
        throw new IllegalArgumentException("sort field " + f + " is not in " + schema);
      }
    }
    return new PartitionFiles(directory, schema, new RowOrder(sortFields, schema.getFieldCount()),
        maxRowsPerFile, bloomFilterColumn(schema, bloomFilterKey));
  }

  @Override
  public PCollection<WrittenFile> expand(PCollection<Row> input) {
    Schema rows = input.getSchema();
    PartitionFiles files = partitionFiles(rows);
    Partitioner p = partitioner;
    PCollection<WrittenFile> written =
        input
            .apply(
                "KeyByPartition",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.rows()))
                    .via((Row r) -> KV.of(p == null ? "" : p.folderOf(r), r)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(rows)))
            .apply("GroupByPartition", GroupByKey.create())
            .apply("WritePartitions", ParDo.of(new WritePartitionFn(files)));
    return written.setCoder(Schemas.coder(input.getPipeline(), WrittenFile.class));
  }

  /** Sort fields first, then every value as text, so ties are ordered too. */
  static final class RowOrder implements Comparator<Row>, Serializable {
    private final List<String> fields;
    private final int written;

    /** By {@code fields}, then by the text of the first {@code written} values. */
    RowOrder(List<String> fields, int written) {
      this.fields = fields;
      this.written = written;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public int compare(Row a, Row b) {
      for (String f : fields) {
        Comparable va = (Comparable) a.getValue(f);
        Comparable vb = (Comparable) b.getValue(f);
        if (va == null || vb == null) {
          if (va != vb) {
            return va == null ? -1 : 1;
          }
          continue;
        }
        int c = va.compareTo(vb);
        if (c != 0) {
          return c;
        }
      }
      return String.valueOf(a.getValues().subList(0, written))
          .compareTo(String.valueOf(b.getValues().subList(0, written)));
    }
  }
}
