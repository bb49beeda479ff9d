package dev.intake.transforms.sinks.lake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.testing.TestPipelineExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LakeFile}: a file with a Bloom filter of its key says which key values it cannot hold,
 * one without (or a value it cannot compare) always may hold them, and its columns read as {@link
 * ReadLake#columns} reads them.
 */
@ExtendWith(TestPipelineExtension.class)
class LakeFileTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("code", Schema.FieldType.STRING)
          .addNullableField("rank", Schema.FieldType.INT32)
          .addNullableField("requested", Schema.FieldType.DATETIME)
          .build();

  private static final List<Row> ROWS = List.of(
      row(10L, "a", 1, 1_600_000_000_000L),
      row(20L, "b", 2, 1_600_000_100_000L),
      row(30L, "c", 3, 1_600_000_200_000L));

  @TempDir Path dir;

  private static Row row(long id, String code, int rank, long requested) {
    return Row.withSchema(SCHEMA).addValues(id, code, rank, new Instant(requested)).build();
  }

  /** Writes ROWS into {@code folder}, with a Bloom filter on {@code key} (none if empty). */
  private String write(TestPipeline p, String folder, List<String> key) {
    String out = dir.resolve(folder) + "/";
    p.apply("Rows_" + folder, Create.of(ROWS).withRowSchema(SCHEMA))
        .apply("Write_" + folder,
            WriteParquet.to(out).sortedBy(List.of("id")).withBloomFilterOn(key));
    return out + "part-00000.parquet";
  }

  private static boolean mayHoldAny(String file, String column, Collection<?> values)
      throws IOException {
    try (LakeFile f = LakeFile.open(FileSystems.matchSingleFileSpec(file))) {
      return f.mayHoldAny(column, values);
    }
  }

  @Test
  void aFilteredFileCannotHoldValuesItsFilterLacks(TestPipeline p) throws IOException {
    String ids = write(p, "ids", List.of("id"));
    String codes = write(p, "codes", List.of("code"));
    String ranks = write(p, "ranks", List.of("rank"));
    p.run().waitUntilFinish();

    assertThat(mayHoldAny(ids, "id", List.of(11L, 20L)), is(true));
    assertThat(mayHoldAny(ids, "id", List.of(11L, 21L, 31L)), is(false));
    assertThat(mayHoldAny(ids, "id", List.of()), is(false));
    // The column has no null (its statistics count none), so a null key is not there either.
    assertThat(mayHoldAny(ids, "id", Arrays.asList(11L, null)), is(false));
    assertThat(mayHoldAny(codes, "code", List.of("c")), is(true));
    assertThat(mayHoldAny(codes, "code", List.of("d", "C")), is(false));
    // An int column (an older schema's) probed with long keys: one out of its range is not there.
    assertThat(mayHoldAny(ranks, "rank", List.of(3L)), is(true));
    assertThat(mayHoldAny(ranks, "rank", List.of(4L, 1L << 32 | 3L)), is(false));
  }

  @Test
  void aFileThatCannotTellMayHoldAnything(TestPipeline p) throws IOException {
    String plain = write(p, "plain", List.of());
    String ids = write(p, "ids", List.of("id"));
    p.run().waitUntilFinish();

    // Written without a filter, as older builds did.
    assertThat(mayHoldAny(plain, "id", List.of(11L)), is(true));
    // A column without a filter, a column the file lacks, a value of another type.
    assertThat(mayHoldAny(ids, "code", List.of("z")), is(true));
    assertThat(mayHoldAny(ids, "renamed_id", List.of(11L)), is(true));
    assertThat(mayHoldAny(ids, "id", List.of("11")), is(true));
  }

  @Test
  void readsOnlyTheColumnsAskedForAsRowsOfTheirSchema(TestPipeline p) throws IOException {
    String ids = write(p, "ids", List.of("id"));
    p.run().waitUntilFinish();
    Schema keyAndTime = Schema.builder()
        .addNullableField("id", Schema.FieldType.INT64)
        .addNullableField("requested", Schema.FieldType.DATETIME)
        .build();
    List<Row> read = new ArrayList<>();
    try (LakeFile f = LakeFile.open(FileSystems.matchSingleFileSpec(ids))) {
      assertThat(f.mayHoldAny("id", List.of(20L)), is(true));
      f.readColumns(keyAndTime, read::add);
      assertThrows(IllegalStateException.class, () -> f.readColumns(keyAndTime, read::add));
    }
    assertThat(read, contains(
        Row.withSchema(keyAndTime).addValues(10L, new Instant(1_600_000_000_000L)).build(),
        Row.withSchema(keyAndTime).addValues(20L, new Instant(1_600_000_100_000L)).build(),
        Row.withSchema(keyAndTime).addValues(30L, new Instant(1_600_000_200_000L)).build()));
  }
}
