package dev.intake.transforms.sinks.lake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The lake's own row ↔ Avro record conversions (the write's {@link RowRecords}, the read's {@link
 * LakeRows}) give exactly what Beam's generic conversion gives, for every field type a spec can
 * declare, nulls, non-ASCII text and dates before 1970 included.
 */
class RowRecordsTest {
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
  private static final org.apache.avro.Schema AVRO = AvroUtils.toAvroSchema(SCHEMA);

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

  @Test
  void writesTheValuesBeamsConversionWrites() {
    RowRecords records = RowRecords.of(SCHEMA, AVRO);
    for (Row row : rows()) {
      GenericRecord expected = AvroUtils.toGenericRecord(row, AVRO);
      GenericRecord actual = records.toRecord(row);
      for (Schema.Field f : SCHEMA.getFields()) {
        assertThat(row.getString("key") + "." + f.getName(),
            plain(actual.get(f.getName())), equalTo(plain(expected.get(f.getName()))));
      }
    }
  }

  @Test
  void writesTheSameParquetBytesAsBeamsConversion() throws IOException {
    RowRecords records = RowRecords.of(SCHEMA, AVRO);
    assertThat(parquet(rows().stream().map(records::toRecord).toList()),
        equalTo(parquet(rows().stream().map(r -> AvroUtils.toGenericRecord(r, AVRO)).toList())));
  }

  /** A value with the Java types that only say how it is held set aside: text, whole numbers. */
  private static Object plain(Object v) {
    if (v instanceof CharSequence) {
      return v.toString();
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof List<?> list) {
      return list.stream().map(RowRecordsTest::plain).toList();
    }
    return v;
  }

  private static List<Byte> parquet(List<GenericRecord> records) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ParquetIO.Sink sink = ParquetIO.sink(AVRO).withCompressionCodec(CompressionCodecName.SNAPPY);
    sink.open(new StableFooterChannel(Channels.newChannel(bytes)));
    for (GenericRecord r : records) {
      sink.write(r);
    }
    sink.flush();
    List<Byte> out = new ArrayList<>();
    for (byte b : bytes.toByteArray()) {
      out.add(b);
    }
    return out;
  }

  @Test
  void readsBackTheRowsThatWereWritten() {
    RowRecords records = RowRecords.of(SCHEMA, AVRO);
    LakeRows lakeRows = new LakeRows(SCHEMA, Map.of());
    for (Row row : rows()) {
      assertThat(lakeRows.apply(records.toRecord(row)), equalTo(row));
    }
  }

  @Test
  void aTypeItDoesNotHandleGoesThroughBeamsConversion() {
    Schema withBytes = Schema.builder().addStringField("key")
        .addNullableField("blob", Schema.FieldType.BYTES).build();
    org.apache.avro.Schema avro = AvroUtils.toAvroSchema(withBytes);
    Row row = Row.withSchema(withBytes).addValues("k", new byte[] {1, 2, 3}).build();
    GenericRecord actual = RowRecords.of(withBytes, avro).toRecord(row);
    assertThat(actual, equalTo(AvroUtils.toGenericRecord(row, avro)));
    assertThat(Arrays.equals(
        ((java.nio.ByteBuffer) actual.get("blob")).array(), new byte[] {1, 2, 3}), is(true));
  }
}
