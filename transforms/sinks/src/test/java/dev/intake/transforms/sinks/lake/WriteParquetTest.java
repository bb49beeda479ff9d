package dev.intake.transforms.sinks.lake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.testing.TestPipelineExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
class WriteParquetTest {
  private static final String LA = "America/Los_Angeles";

  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("requested", Schema.FieldType.DATETIME)
          .addNullableField("status", Schema.FieldType.STRING)
          .addNullableField("lat", Schema.FieldType.DOUBLE)
          .build();

  private static final Partitioner BY_MONTH =
      Partitioner.of("requested_month", "requested", Partitioner.Granularity.MONTH, LA);

  // Sorted by requested, March is 102, 101, 103; sorted by id it would be 101, 102, 103.
  /** 2019-03-20 11:00 PDT. */
  private static final Row MARCH_20 = row(101L, 1553104800000L, "Open", 37.78);

  /** 2019-03-05 09:00 PST. */
  private static final Row MARCH_05 = row(102L, 1551805200000L, "Closed", null);

  /** 2019-03-31 23:30 PDT, already April in UTC. */
  private static final Row MARCH_31 = row(103L, 1554100200000L, "Open", 37.75);

  /** 2019-04-02 10:00 PDT. */
  private static final Row APRIL_02 = row(201L, 1554224400000L, "Closed", 37.71);

  private static final Row UNDATED = row(301L, null, "Open", null);

  private static final List<Row> ROWS = List.of(MARCH_20, APRIL_02, MARCH_31, UNDATED, MARCH_05);

  @TempDir Path dir;

  private static Row row(long id, Long requestedMillis, String status, Double lat) {
    return Row.withSchema(SCHEMA)
        .addValues(id, requestedMillis == null ? null : new Instant(requestedMillis), status, lat)
        .build();
  }

  private WriteParquet lakeWrite(Path to) {
    return WriteParquet.to(to.toString()).partitionedBy(BY_MONTH).sortedBy(List.of("requested"));
  }

  @Test
  void writesSortedRowsIntoPartitionFolders(TestPipeline p) throws IOException {
    Path lake = dir.resolve("lake");

    PCollection<WrittenFile> written =
        p.apply(Create.of(ROWS).withRowSchema(SCHEMA)).apply(lakeWrite(lake));

    PAssert.that(written)
        .containsInAnyOrder(
            WrittenFile.of(
                "requested_month=2019-03", lake + "/requested_month=2019-03/part-00000.parquet", 3),
            WrittenFile.of(
                "requested_month=2019-04", lake + "/requested_month=2019-04/part-00000.parquet", 1),
            WrittenFile.of(
                "requested_month=__none__",
                lake + "/requested_month=__none__/part-00000.parquet",
                1));
    p.run();

    assertEquals(
        List.of(
            "requested_month=2019-03/part-00000.parquet",
            "requested_month=2019-04/part-00000.parquet",
            "requested_month=__none__/part-00000.parquet"),
        filesUnder(lake));
    // id | requested as epoch millis (Parquet timestamp-millis) | status | lat
    assertEquals(
        List.of(
            "102|1551805200000|Closed|null",
            "101|1553104800000|Open|37.78",
            "103|1554100200000|Open|37.75"),
        readRows(lake.resolve("requested_month=2019-03/part-00000.parquet")));
    assertEquals(
        List.of("201|1554224400000|Closed|37.71"),
        readRows(lake.resolve("requested_month=2019-04/part-00000.parquet")));
    assertEquals(
        List.of("301|null|Open|null"),
        readRows(lake.resolve("requested_month=__none__/part-00000.parquet")));
  }

  @Test
  void sameRowsGiveByteIdenticalFiles(TestPipeline p) throws IOException {
    List<Row> reversed = new ArrayList<>(ROWS);
    Collections.reverse(reversed);

    p.apply("Rows", Create.of(ROWS).withRowSchema(SCHEMA))
        .apply("WriteFirst", lakeWrite(dir.resolve("first")));
    p.apply("RowsReversed", Create.of(reversed).withRowSchema(SCHEMA))
        .apply("WriteSecond", lakeWrite(dir.resolve("second")));
    p.run();

    List<String> files = filesUnder(dir.resolve("first"));
    assertEquals(3, files.size());
    assertEquals(files, filesUnder(dir.resolve("second")));
    for (String file : files) {
      assertArrayEquals(
          Files.readAllBytes(dir.resolve("first").resolve(file)),
          Files.readAllBytes(dir.resolve("second").resolve(file)),
          file);
    }
  }

  @Test
  void rewritingOverwritesTheSameFiles(TestPipeline p) throws IOException {
    Path lake = dir.resolve("lake");
    p.apply(Create.of(ROWS).withRowSchema(SCHEMA)).apply(lakeWrite(lake));
    p.run();
    byte[] march = Files.readAllBytes(lake.resolve("requested_month=2019-03/part-00000.parquet"));

    Pipeline retry = Pipeline.create();
    retry.apply(Create.of(ROWS).withRowSchema(SCHEMA)).apply(lakeWrite(lake));
    retry.run().waitUntilFinish();

    assertEquals(3, filesUnder(lake).size());
    assertArrayEquals(
        march, Files.readAllBytes(lake.resolve("requested_month=2019-03/part-00000.parquet")));
  }

  @Test
  void maxRowsPerFileSplitsAPartitionIntoNumberedParts(TestPipeline p) throws IOException {
    Path lake = dir.resolve("lake");

    PCollection<WrittenFile> written =
        p.apply(Create.of(ROWS).withRowSchema(SCHEMA)).apply(lakeWrite(lake).withMaxRowsPerFile(2));

    PAssert.that(written)
        .containsInAnyOrder(
            WrittenFile.of(
                "requested_month=2019-03", lake + "/requested_month=2019-03/part-00000.parquet", 2),
            WrittenFile.of(
                "requested_month=2019-03", lake + "/requested_month=2019-03/part-00001.parquet", 1),
            WrittenFile.of(
                "requested_month=2019-04", lake + "/requested_month=2019-04/part-00000.parquet", 1),
            WrittenFile.of(
                "requested_month=__none__",
                lake + "/requested_month=__none__/part-00000.parquet",
                1));
    p.run();

    assertEquals(
        List.of("102|1551805200000|Closed|null", "101|1553104800000|Open|37.78"),
        readRows(lake.resolve("requested_month=2019-03/part-00000.parquet")));
    assertEquals(
        List.of("103|1554100200000|Open|37.75"),
        readRows(lake.resolve("requested_month=2019-03/part-00001.parquet")));
  }

  @Test
  void unpartitionedRowsAreSortedByAllValues(TestPipeline p) throws IOException {
    Path lake = dir.resolve("flat");

    PCollection<WrittenFile> written =
        p.apply(Create.of(ROWS).withRowSchema(SCHEMA))
            .apply(WriteParquet.to(lake.toString()).withMaxRowsPerFile(3));

    PAssert.that(written)
        .containsInAnyOrder(
            WrittenFile.of("", lake + "/part-00000.parquet", 3),
            WrittenFile.of("", lake + "/part-00001.parquet", 2));
    p.run();

    assertEquals(List.of("part-00000.parquet", "part-00001.parquet"), filesUnder(lake));
    assertEquals(
        List.of(
            "101|1553104800000|Open|37.78",
            "102|1551805200000|Closed|null",
            "103|1554100200000|Open|37.75"),
        readRows(lake.resolve("part-00000.parquet")));
    assertEquals(
        List.of("201|1554224400000|Closed|37.71", "301|null|Open|null"),
        readRows(lake.resolve("part-00001.parquet")));
  }

  @Test
  void maxRowsPerFileMustBePositive() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> WriteParquet.to("x").withMaxRowsPerFile(0));
    assertEquals("maxRowsPerFile must be > 0, but was 0", e.getMessage());
  }

  /** Regular files below {@code root}, as sorted relative paths. */
  private static List<String> filesUnder(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(Files::isRegularFile)
          .map(f -> root.relativize(f).toString())
          .sorted()
          .collect(Collectors.toList());
    }
  }

  /** The records of a Parquet file in file order, as "id|requested|status|lat". */
  private static List<String> readRows(Path file) throws IOException {
    List<String> rows = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(inMemory(Files.readAllBytes(file))).build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        rows.add(
            r.get("id") + "|" + r.get("requested") + "|" + r.get("status") + "|" + r.get("lat"));
      }
    }
    return rows;
  }

  /** Reads Parquet from memory, without Hadoop's file systems. */
  static InputFile inMemory(byte[] bytes) {
    return new InputFile() {
      @Override
      public long getLength() {
        return bytes.length;
      }

      @Override
      public SeekableInputStream newStream() {
        SeekableBytes in = new SeekableBytes(bytes);
        return new DelegatingSeekableInputStream(in) {
          @Override
          public long getPos() {
            return in.position();
          }

          @Override
          public void seek(long newPos) {
            in.seek(newPos);
          }
        };
      }
    };
  }

  private static final class SeekableBytes extends ByteArrayInputStream {
    SeekableBytes(byte[] bytes) {
      super(bytes);
    }

    long position() {
      return pos;
    }

    void seek(long position) {
      pos = (int) position;
    }
  }
}
