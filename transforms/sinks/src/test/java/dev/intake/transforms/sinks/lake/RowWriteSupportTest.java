package dev.intake.transforms.sinks.lake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The lake's own Parquet writing of rows ({@link RowWriteSupport}) writes exactly the bytes that
 * Beam's {@code ParquetIO.sink} writes from Beam's Avro conversion of the same rows, and its
 * reading ({@link LakeRows}) gives the rows back, for every field type a spec can declare, nulls,
 * non-ASCII text, empty lists and dates before 1970 included.
 */
class RowWriteSupportTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .addStringField("key")
          .addNullableField("text", Schema.FieldType.STRING)
          .addNullableField("count", Schema.FieldType.INT64)
          .addNullableField("small", Schema.FieldType.INT32)
          .addNullableField("amount", Schema.FieldType.DOUBLE)
          .addNullableField("flag", Schema.FieldType.BOOLEAN)
          .addNullableField("at", Schema.FieldType.DATETIME)
          .addNullableField("day", Schema.FieldType.logicalType(SqlTypes.DATE))
          .addNullableField("tags", Schema.FieldType.array(Schema.FieldType.STRING))
          .addNullableField("ranks", Schema.FieldType.array(Schema.FieldType.INT64))
          .addNullableField("scores", Schema.FieldType.array(Schema.FieldType.DOUBLE))
          .build();
  private static List<Row> rows() {
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      boolean nulls = i % 5 == 0;
      rows.add(Row.withSchema(SCHEMA).addValues(
          "k" + i,
          nulls ? null : (i % 3 == 0 ? "Straße ☃ " : "text ") + random.nextInt(),
          nulls ? null : random.nextLong(),
          nulls ? null : random.nextInt(),
          nulls ? null : random.nextDouble() * 1e6 - 5e5,
          nulls ? null : random.nextBoolean(),
          nulls ? null : new Instant(random.nextLong() % 4_000_000_000_000L),
          nulls ? null : LocalDate.ofEpochDay(random.nextInt(60_000) - 20_000),
          nulls ? null : List.of("a" + i, "", "ß"),
          nulls ? null : List.of((long) i, -1L),
          nulls ? null : (i % 2 == 0 ? List.<Double>of() : List.of(0.5, -2.25)))
          .build());
    }
    return rows;
  }

  private static final Map<String, String> SETTINGS =
      Map.of("parquet.avro.write-old-list-structure", "false");

  @Test
  void writesTheBytesParquetIoWritesFromBeamsAvroRecords() throws IOException {
    RowWriteSupport support = support(SCHEMA);
    assertThat(support.direct(), is(true));
    assertThat(written(support, rows()), equalTo(bySink(SCHEMA, rows())));
  }

  @Test
  void fieldsAfterTheSchemasAreNotWritten() throws IOException {
    Schema wider = Schema.builder().addFields(SCHEMA.getFields())
        .addNullableField("extra", Schema.FieldType.STRING).build();
    List<Row> carrying = rows().stream().map(r -> Row.withSchema(wider)
        .addValues(r.getValues()).addValue("not written").build()).toList();
    assertThat(written(support(SCHEMA), carrying), equalTo(bySink(SCHEMA, rows())));
  }

  @Test
  void readsBackTheRowsThatWereWritten() throws IOException {
    Path file = Files.createTempFile("row-write-support", ".parquet");
    try {
      Files.write(file, written(support(SCHEMA), rows()));
      List<Row> read = new ArrayList<>();
      ParquetRows.read(file.toString(), SCHEMA, read::add);
      assertThat(read, equalTo(rows()));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void aTypeItDoesNotHandleGoesThroughBeamsConversion() throws IOException {
    Schema withBytes = Schema.builder().addStringField("key")
        .addNullableField("blob", Schema.FieldType.BYTES).build();
    List<Row> rows = List.of(
        Row.withSchema(withBytes).addValues("k", new byte[] {1, 2, 3}).build(),
        Row.withSchema(withBytes).addValues("l", null).build());
    RowWriteSupport support = support(withBytes);
    assertThat(support.direct(), is(false));
    assertThat(written(support, rows), equalTo(bySink(withBytes, rows)));
  }

  @Test
  void aNullInARequiredColumnIsRefusedWithItsName() {
    Row row = Row.withSchema(SCHEMA)
        .attachValues(new ArrayList<>(Collections.nCopies(SCHEMA.getFieldCount(), null)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> written(support(SCHEMA), List.of(row)));
    assertThat(e.getMessage(), equalTo("null in the required column key"));
  }

  private static RowWriteSupport support(Schema schema) {
    Configuration settings = new Configuration(false);
    SETTINGS.forEach(settings::set);
    return RowWriteSupport.of(schema, AvroUtils.toAvroSchema(schema), settings);
  }

  private static byte[] written(RowWriteSupport support, List<Row> rows) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Configuration settings = new Configuration(false);
    SETTINGS.forEach(settings::set);
    try (ParquetWriter<Row> writer = RowWriteSupport.writer(
            new ChannelOutputFile(new StableFooterChannel(Channels.newChannel(bytes))), support)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withConf(settings)
        .withRowGroupSize(128 << 20)
        .build()) {
      for (Row row : rows) {
        writer.write(row);
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] bySink(Schema schema, List<Row> rows) throws IOException {
    org.apache.avro.Schema avro = AvroUtils.toAvroSchema(schema);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ParquetIO.Sink sink = ParquetIO.sink(avro).withCompressionCodec(CompressionCodecName.SNAPPY)
        .withConfiguration(SETTINGS);
    sink.open(new StableFooterChannel(Channels.newChannel(bytes)));
    for (Row row : rows) {
      sink.write(AvroUtils.toGenericRecord(row, avro));
    }
    sink.flush();
    return bytes.toByteArray();
  }
}
