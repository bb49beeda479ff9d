package dev.intake.transforms.sinks.lake;

import dev.intake.transforms.model.FailPoints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Writes the rows of one partition, sorted, into files of at most {@code maxRowsPerFile} rows named
 * {@code part-NNNNN.parquet}. Names and contents depend only on the rows (the footer too, through
 * {@link StableFooterChannel}), so a retried bundle, another run or another JVM writes the same
 * bytes.
 */
class WritePartitionFn extends DoFn<KV<String, Iterable<Row>>, WrittenFile> {
  private static final Counter ROWS = Metrics.counter(WriteParquet.class, "rowsWritten");
  private static final Counter FILES = Metrics.counter(WriteParquet.class, "filesWritten");

  /**
   * Lists as the standard three-level Parquet LIST ({@code repeated group list { element }}), the
   * layout other readers expect, rather than parquet-avro's older two-level default.
   */
  private static final Map<String, String> PARQUET_SETTINGS =
      Map.of("parquet.avro.write-old-list-structure", "false");

  private final String directory;
  private final org.apache.beam.sdk.schemas.Schema schema;
  private final String avroSchemaJson;
  private final Comparator<Row> order;
  private final int maxRowsPerFile;
  private transient Schema avroSchema;
  private transient RowRecords records;

  WritePartitionFn(
      String directory, org.apache.beam.sdk.schemas.Schema schema, Comparator<Row> order,
      int maxRowsPerFile) {
    this.directory = directory;
    this.schema = schema;
    this.avroSchemaJson = AvroUtils.toAvroSchema(schema).toString();
    this.order = order;
    this.maxRowsPerFile = maxRowsPerFile;
  }

  @Setup
  public void setup() {
    avroSchema = new Schema.Parser().parse(avroSchemaJson);
    records = RowRecords.of(schema, avroSchema);
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<Row>> partition, OutputReceiver<WrittenFile> out)
      throws IOException {
    FailPoints.check("write.parquet");
    List<Row> rows = new ArrayList<>();
    partition.getValue().forEach(rows::add);
    rows.sort(order);
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    if (!partition.getKey().isEmpty()) {
      dir = dir.resolve(partition.getKey(), org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_DIRECTORY);
    }
    for (int start = 0, part = 0; start < rows.size(); start += maxRowsPerFile, part++) {
      List<Row> chunk = rows.subList(start, Math.min(rows.size(), start + maxRowsPerFile));
      ResourceId file =
          dir.resolve(
              String.format(Locale.ROOT, "part-%05d.parquet", part),
              org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
      ParquetIO.Sink sink =
          ParquetIO.sink(avroSchema)
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .withConfiguration(PARQUET_SETTINGS);
      sink.open(new StableFooterChannel(FileSystems.create(file, MimeTypes.BINARY)));
      for (Row row : chunk) {
        sink.write(records.toRecord(row));
      }
      sink.flush();
      ROWS.inc(chunk.size());
      FILES.inc();
      out.output(WrittenFile.of(partition.getKey(), file.toString(), chunk.size()));
    }
  }
}
