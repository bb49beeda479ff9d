package dev.intake.transforms.sinks.lake;

import dev.intake.transforms.model.FailPoints;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Writes the rows of one partition, sorted, into files of at most {@code maxRowsPerFile} rows named
 * {@code part-NNNNN.parquet} ({@link WriteParquet#partitionFiles}, for a step that holds a
 * partition's rows already and writes them where it has them; {@link WriteParquet} groups rows by
 * partition and writes each group with one). Names and contents depend only on the rows (the
 * footer too, through {@link StableFooterChannel}), so a retried bundle, another run or another JVM
 * writes the same bytes. Each {@link WrittenFile} counts the rows of the file's footer, what was
 * written, not what was handed over.
 *
 * <p>With a Bloom filter column ({@link WriteParquet#withBloomFilterOn}), each file's row group has
 * a split-block Bloom filter of that column sized for the file's rows at a false-positive rate of
 * {@value #BLOOM_FILTER_FPP} per probe: about 29.6 bits a row, rounded up to a power of two bytes
 * (a 6,000-row file gets 32 KiB, 5.5 bytes a row), at most parquet-mr's 1 MiB per column chunk,
 * which a file of more than about 280,000 rows fills at a higher rate. That column is written
 * without a dictionary (parquet-mr writes no filter for dictionary-encoded chunks; a key column
 * holds each key once, where a dictionary saves nothing). The filter depends only on the values,
 * so the bytes stay the same for the same rows.
 */
public final class PartitionFiles implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Counter ROWS = Metrics.counter(WriteParquet.class, "rowsWritten");
  private static final Counter FILES = Metrics.counter(WriteParquet.class, "filesWritten");

  /**
   * Lists as the standard three-level Parquet LIST ({@code repeated group list { element }}), the
   * layout other readers expect, rather than parquet-avro's older two-level default.
   */
  private static final Map<String, String> PARQUET_SETTINGS =
      Map.of("parquet.avro.write-old-list-structure", "false");

  /** Row groups as large as Beam's {@code ParquetIO.sink} makes them: one per file in practice. */
  private static final int ROW_GROUP_BYTES = 128 << 20;

  /**
   * A key probed against a file rarely hits by chance: a run's thousand keys give a false hit in
   * about one file of a hundred.
   */
  static final double BLOOM_FILTER_FPP = 1e-5;

  private final String directory;
  private final org.apache.beam.sdk.schemas.Schema schema;
  private final String avroSchemaJson;
  private final Comparator<Row> order;
  private final int maxRowsPerFile;
  private final String bloomFilterColumn;
  private transient RowWriteSupport rowWriter;
  private transient Configuration settings;

  /**
   * Writes rows of {@code schema} (rows may carry fields after it, not written) in {@code order}
   * under {@code directory}; {@code bloomFilterColumn} (null for none) is a top-level column that
   * gets a Bloom filter in every file.
   */
  PartitionFiles(
      String directory, org.apache.beam.sdk.schemas.Schema schema, Comparator<Row> order,
      int maxRowsPerFile, String bloomFilterColumn) {
    this.directory = directory;
    this.schema = schema;
    this.avroSchemaJson = AvroUtils.toAvroSchema(schema).toString();
    this.order = order;
    this.maxRowsPerFile = maxRowsPerFile;
    this.bloomFilterColumn = bloomFilterColumn;
  }

  /**
   * Sorts {@code rows} (in place) and writes them as the files of {@code partition} (its folder
   * under the directory, "" for the directory itself); returns the files, in order.
   */
  public List<WrittenFile> write(String partition, List<Row> rows) throws IOException {
    FailPoints.check("write.parquet");
    if (rowWriter == null) {
      settings = new Configuration();
      PARQUET_SETTINGS.forEach(settings::set);
      rowWriter = RowWriteSupport.of(schema, new Schema.Parser().parse(avroSchemaJson), settings);
    }
    rows.sort(order);
    List<WrittenFile> written = new ArrayList<>();
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    if (!partition.isEmpty()) {
      dir = dir.resolve(partition, StandardResolveOptions.RESOLVE_DIRECTORY);
    }
    for (int start = 0, part = 0; start < rows.size(); start += maxRowsPerFile, part++) {
      List<Row> chunk = rows.subList(start, Math.min(rows.size(), start + maxRowsPerFile));
      ResourceId file = dir.resolve(String.format(Locale.ROOT, "part-%05d.parquet", part),
          StandardResolveOptions.RESOLVE_FILE);
      ParquetWriter<Row> writer =
          writer(new StableFooterChannel(FileSystems.create(file, MimeTypes.BINARY)), chunk.size());
      try (writer) {
        for (Row row : chunk) {
          writer.write(row);
        }
      }
      long stored = 0;
      for (BlockMetaData block : writer.getFooter().getBlocks()) {
        stored += block.getRowCount();
      }
      ROWS.inc(stored);
      FILES.inc();
      written.add(WrittenFile.of(partition, file.toString(), stored));
    }
    return written;
  }

  /**
   * A writer of one file of {@code rows} rows into {@code channel}, set as Beam's {@code
   * ParquetIO.sink} sets it and writing what parquet-avro writes ({@link RowWriteSupport}), so a
   * file without a Bloom filter has the same bytes as one that sink wrote from the rows' Avro
   * records; plus the Bloom filter sized for the file. Closing the writer closes the channel.
   */
  private ParquetWriter<Row> writer(StableFooterChannel channel, int rows) throws IOException {
    ParquetWriter.Builder<Row, ?> b =
        RowWriteSupport.writer(new ChannelOutputFile(channel), rowWriter)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withConf(settings)
            .withRowGroupSize(ROW_GROUP_BYTES);
    if (bloomFilterColumn != null) {
      // parquet-mr leaves out the Bloom filter of a column chunk whose pages are all dictionary
      // encoded; a key column holds each key once, where a dictionary saves nothing anyway.
      b = b.withDictionaryEncoding(bloomFilterColumn, false)
          .withBloomFilterEnabled(bloomFilterColumn, true)
          .withBloomFilterNDV(bloomFilterColumn, rows)
          .withBloomFilterFPP(bloomFilterColumn, BLOOM_FILTER_FPP);
    }
    return b.build();
  }
}
