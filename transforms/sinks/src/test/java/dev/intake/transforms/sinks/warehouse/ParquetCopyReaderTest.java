package dev.intake.transforms.sinks.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.intake.transforms.sinks.lake.ParquetRows;
import dev.intake.transforms.sinks.lake.WriteParquet;
import dev.intake.transforms.testing.TestPipelineExtension;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct Parquet reader encodes exactly the bytes the row path encodes ({@link ParquetRows},
 * then {@link BinaryCopyEncoder#add}), also for a file of an older schema (a column it lacks, an
 * int widened to long and to double); a schema with a list column is left to the row path.
 */
@ExtendWith(TestPipelineExtension.class)
class ParquetCopyReaderTest {
  private static final Schema OLD =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("count", Schema.FieldType.INT32)
          .addNullableField("ratio", Schema.FieldType.INT32)
          .addNullableField("at", Schema.FieldType.DATETIME)
          .addNullableField("note", Schema.FieldType.STRING)
          .addNullableField("gone", Schema.FieldType.STRING)
          .build();
  private static final Schema NOW =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("note", Schema.FieldType.STRING)
          .addNullableField("count", Schema.FieldType.INT64)
          .addNullableField("ratio", Schema.FieldType.DOUBLE)
          .addNullableField("at", Schema.FieldType.DATETIME)
          .addNullableField("open", Schema.FieldType.BOOLEAN)
          .addNullableField("day", Schema.FieldType.logicalType(SqlTypes.DATE))
          .build();

  @TempDir Path dir;

  private static byte[] direct(String file, Schema schema) throws Exception {
    BinaryCopyEncoder e = new BinaryCopyEncoder(schema);
    try (ParquetCopyReader r = ParquetCopyReader.open(file, schema, e)) {
      assertThat(r, notNullValue());
      r.read(() -> {});
    }
    return Arrays.copyOf(e.bytes(), e.length());
  }

  private static byte[] throughRows(String file, Schema schema) throws Exception {
    BinaryCopyEncoder e = new BinaryCopyEncoder(schema);
    ParquetRows.read(file, schema, e::add);
    return Arrays.copyOf(e.bytes(), e.length());
  }

  @Test
  void encodesWhatTheRowPathEncodesAlsoForAnOlderSchema(TestPipeline p) throws Exception {
    p.apply("Old", Create.of(
            Row.withSchema(OLD).addValues(1L, 7, 3, Instant.parse("2021-03-01T10:00:00.123Z"),
                "São Paulo ☃ \"q\"", "x").build(),
            Row.withSchema(OLD).addValues(2L, null, null, null, null, null).build(),
            Row.withSchema(OLD).addValues(3L, -1, -2, Instant.parse("1970-01-01T00:00:00Z"), "",
                "y").build())
            .withRowSchema(OLD))
        .apply("WriteOld", WriteParquet.to(dir.resolve("old").toString()).sortedBy(List.of("id")));
    p.apply("Now", Create.of(
            Row.withSchema(NOW).addValues(4L, "now", 5L, 0.25,
                Instant.parse("2026-12-05T10:00:00Z"), true, LocalDate.of(1999, 12, 31)).build(),
            Row.withSchema(NOW).addValues(5L, null, null, null, null, false, null).build())
            .withRowSchema(NOW))
        .apply("WriteNow", WriteParquet.to(dir.resolve("now").toString()).sortedBy(List.of("id")));
    p.run().waitUntilFinish();

    for (String f : List.of("old/part-00000.parquet", "now/part-00000.parquet")) {
      String file = dir.resolve(f).toString();
      byte[] rows = throughRows(file, NOW);
      assertThat(rows.length > 0, is(true));
      assertArrayEquals(rows, direct(file, NOW), f);
    }
  }

  @Test
  void aListColumnIsLeftToTheRowPath(TestPipeline p) throws Exception {
    Schema lists = Schema.builder()
        .addNullableField("id", Schema.FieldType.INT64)
        .addNullableField("tags", Schema.FieldType.array(Schema.FieldType.STRING))
        .build();
    p.apply(Create.of(Row.withSchema(lists).addValues(1L, List.of("a")).build())
            .withRowSchema(lists))
        .apply(WriteParquet.to(dir.toString()).sortedBy(List.of("id")));
    p.run().waitUntilFinish();

    String file = dir.resolve("part-00000.parquet").toString();
    assertThat(ParquetCopyReader.open(file, lists, new BinaryCopyEncoder(lists)), nullValue());
  }
}
