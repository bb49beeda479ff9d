package dev.intake.transforms.sinks.lake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.intake.transforms.testing.TestPipelineExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WriteParquet#withBloomFilterOn}: the key column of every file gets a Parquet Bloom filter
 * sized for the file's rows, that holds every written key and (nearly) no other, and nothing else
 * changes: no other column gets one, the bytes stay the same for the same rows, and a file written
 * without filters is byte for byte what Beam's {@code ParquetIO.sink} writes.
 */
@ExtendWith(TestPipelineExtension.class)
class WriteParquetBloomFilterTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("code", Schema.FieldType.STRING)
          .addNullableField("rank", Schema.FieldType.INT32)
          .addNullableField("score", Schema.FieldType.DOUBLE)
          .addNullableField("requested", Schema.FieldType.DATETIME)
          .build();

  @TempDir Path dir;

  /** {@code n} rows with ids 0, 2, 4, … (odd ids are never written) and few distinct codes. */
  private static List<Row> rows(int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Row.withSchema(SCHEMA)
          .addValues(2L * i, "c" + (i % 7), i, i / 4.0, new Instant(1_600_000_000_000L + i * 1000L))
          .build());
    }
    return rows;
  }

  /** Adds the write of {@code rows}, sorted by id, to {@code p}; the file it will write. */
  private Path write(
      TestPipeline p, String folder, List<Row> rows, UnaryOperator<WriteParquet> settings) {
    Path out = dir.resolve(folder);
    WriteParquet w = WriteParquet.to(out + "/").sortedBy(List.of("id"));
    p.apply("Rows_" + folder, Create.of(rows).withRowSchema(SCHEMA))
        .apply("Write_" + folder, settings.apply(w));
    return out.resolve("part-00000.parquet");
  }

  /** The Bloom filter of each column of the file's only row group (null: none), by column. */
  private static Map<String, BloomFilter> filters(Path file) throws IOException {
    Map<String, BloomFilter> filters = new LinkedHashMap<>();
    try (ParquetFileReader reader = ParquetFileReader.open(LakeInputFile.of(file.toString()))) {
      assertThat(reader.getRowGroups().size(), is(1));
      BlockMetaData group = reader.getRowGroups().get(0);
      for (ColumnChunkMetaData chunk : group.getColumns()) {
        filters.put(chunk.getPath().toDotString(),
            reader.getBloomFilterDataReader(group).readBloomFilter(chunk));
      }
    }
    return filters;
  }

  @Test
  void anIntegerKeyColumnGetsAFilterSizedForTheFileHoldingEveryKey(TestPipeline p)
      throws IOException {
    Path file = write(p, "ids", rows(6000), w -> w.withBloomFilterOn(List.of("id")));
    p.run().waitUntilFinish();
    Map<String, BloomFilter> filters = filters(file);
    BloomFilter ids = filters.get("id");
    assertThat(ids, notNullValue());
    // 6,000 keys at 1e-5: about 22,160 bytes, rounded up to a power of two.
    assertThat(ids.getBitsetSize(), is(32 * 1024));
    int absentHits = 0;
    for (long i = 0; i < 6000; i++) {
      assertThat("key " + 2 * i, ids.findHash(ids.hash(2 * i)), is(true));
      absentHits += ids.findHash(ids.hash(2 * i + 1)) ? 1 : 0;
    }
    assertThat("false positives among 6,000 absent keys", absentHits, is(0));
    filters.remove("id");
    assertThat(filters.values().stream().filter(f -> f != null).toList(), empty());
  }

  @Test
  void aTextKeyGetsAFilterEvenWhenItsFewValuesWouldBeDictionaryEncoded(TestPipeline p)
      throws IOException {
    // Seven distinct codes: parquet-mr would dictionary-encode them and leave the filter out.
    Path file = write(p, "codes", rows(50), w -> w.withBloomFilterOn(List.of("code")));
    p.run().waitUntilFinish();
    BloomFilter codes = filters(file).get("code");
    assertThat(codes, notNullValue());
    for (int i = 0; i < 7; i++) {
      assertThat(codes.findHash(codes.hash(Binary.fromString("c" + i))), is(true));
    }
    assertThat(codes.findHash(codes.hash(Binary.fromString("c7"))), is(false));
  }

  @Test
  void anIntKeyGetsAFilterOfInts(TestPipeline p) throws IOException {
    Path file = write(p, "ranks", rows(100), w -> w.withBloomFilterOn(List.of("rank")));
    p.run().waitUntilFinish();
    BloomFilter ranks = filters(file).get("rank");
    assertThat(ranks.findHash(ranks.hash(42)), is(true));
    assertThat(ranks.findHash(ranks.hash(100)), is(false));
  }

  @Test
  void aCompositeKeyOrAKeyOfAnotherTypeGetsNone(TestPipeline p) throws IOException {
    assertThat(WriteParquet.bloomFilterColumn(SCHEMA, List.of("id", "code")), nullValue());
    assertThat(WriteParquet.bloomFilterColumn(SCHEMA, List.of("score")), nullValue());
    assertThat(WriteParquet.bloomFilterColumn(SCHEMA, List.of("requested")), nullValue());
    Path file = write(p, "pair", rows(10), w -> w.withBloomFilterOn(List.of("id", "code")));
    p.run().waitUntilFinish();
    assertThat(filters(file).values().stream().filter(f -> f != null).toList(), empty());
  }

  @Test
  void theSameRowsGiveTheSameBytesWithAFilter(TestPipeline p) throws IOException {
    List<Row> rows = rows(3000);
    Path first = write(p, "first", rows, w -> w.withBloomFilterOn(List.of("id")));
    Path second = write(p, "second", rows, w -> w.withBloomFilterOn(List.of("id")));
    p.run().waitUntilFinish();
    assertThat(Files.readAllBytes(second), equalTo(Files.readAllBytes(first)));
  }

  @Test
  void withoutAFilterTheFileIsWhatParquetIoSinkWrites(TestPipeline p) throws IOException {
    List<Row> rows = rows(3000);
    Path written = write(p, "plain", rows, w -> w);
    p.run().waitUntilFinish();
    Path bySink = dir.resolve("sink.parquet");
    org.apache.avro.Schema avro = AvroUtils.toAvroSchema(SCHEMA);
    ParquetIO.Sink sink = ParquetIO.sink(avro)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withConfiguration(Map.of("parquet.avro.write-old-list-structure", "false"));
    sink.open(new StableFooterChannel(
        FileSystems.create(FileSystems.matchNewResource(bySink.toString(), false),
            MimeTypes.BINARY)));
    for (Row row : rows) {
      sink.write(AvroUtils.toGenericRecord(row, avro));
    }
    sink.flush();
    assertThat(Files.readAllBytes(written), equalTo(Files.readAllBytes(bySink)));
    try (Stream<Path> files = Files.list(dir.resolve("plain"))) {
      assertThat(files.map(f -> f.getFileName().toString()).toList(),
          contains("part-00000.parquet"));
    }
  }
}
