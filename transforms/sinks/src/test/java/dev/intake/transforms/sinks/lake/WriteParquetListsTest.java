package dev.intake.transforms.sinks.lake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.intake.transforms.testing.TestPipelineExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Lists and dates in the lake: written as Parquet LIST and DATE, read back equal. */
@ExtendWith(TestPipelineExtension.class)
class WriteParquetListsTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("updated", Schema.FieldType.DATETIME)
          .addNullableField("founded_on", Schema.FieldType.logicalType(SqlTypes.DATE))
          .addNullableField("categories", Schema.FieldType.array(Schema.FieldType.STRING))
          .addNullableField("ranks", Schema.FieldType.array(Schema.FieldType.INT64))
          .addNullableField("scores", Schema.FieldType.array(Schema.FieldType.DOUBLE))
          .build();

  private static final List<Row> ROWS =
      List.of(
          row(1L, 1553104800000L, LocalDate.of(2007, 2, 1), List.of("Apps", "AI"), List.of(3L),
              List.of(0.5, -2.0)),
          row(2L, 1554224400000L, LocalDate.of(1969, 12, 31), List.of(), List.of(), List.of()),
          row(3L, 1554224400000L, null, null, null, null));

  @TempDir Path dir;

  private static Row row(long id, long updated, LocalDate d, List<String> c, List<Long> r,
      List<Double> s) {
    return Row.withSchema(SCHEMA).addValues(id, new Instant(updated), d, c, r, s).build();
  }

  @Test
  void writesThreeLevelListsAndDatesAndReadsThemBackEqual(TestPipeline p) throws Exception {
    Path lake = dir.resolve("clean");
    p.apply(Create.of(ROWS).withRowSchema(SCHEMA))
        .apply(
            WriteParquet.to(lake.toString())
                .partitionedBy(
                    Partitioner.of("y", "updated", Partitioner.Granularity.YEAR, "UTC")));
    p.run().waitUntilFinish();

    String footer;
    byte[] file = Files.readAllBytes(lake.resolve("y=2019/part-00000.parquet"));
    try (ParquetFileReader r = ParquetFileReader.open(WriteParquetTest.inMemory(file))) {
      footer = r.getFooter().getFileMetaData().getSchema().toString();
    }
    assertThat(footer, containsString("optional int32 founded_on (DATE);"));
    assertThat(
        footer,
        containsString(
            "optional group categories (LIST) {\n    repeated group list {\n"
                + "      required binary element (STRING);\n    }\n  }"));
    assertThat(
        footer,
        containsString(
            "optional group ranks (LIST) {\n    repeated group list {\n"
                + "      required int64 element;\n    }\n  }"));

    Pipeline read = Pipeline.create();
    PCollection<Row> back = read.apply(ReadLake.of(lake + "/", SCHEMA));
    PAssert.that(back).containsInAnyOrder(ROWS);
    read.run().waitUntilFinish();
  }
}
