package dev.intake.transforms.sinks.lake;

import dev.intake.transforms.testing.TestPipelineExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lake written under an earlier schema is read with the evolved one: an added column is null, an
 * int column is read as long and a long one as double, and a renamed column keeps its values.
 */
@ExtendWith(TestPipelineExtension.class)
class ReadLakeEvolutionTest {
  private static final Schema OLD =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("updated", Schema.FieldType.DATETIME)
          .addNullableField("district", Schema.FieldType.INT32)
          .addNullableField("count", Schema.FieldType.INT64)
          .addNullableField("kind", Schema.FieldType.STRING)
          .build();
  private static final Schema NEW =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("updated", Schema.FieldType.DATETIME)
          .addNullableField("district", Schema.FieldType.INT64)
          .addNullableField("count", Schema.FieldType.DOUBLE)
          .addNullableField("category", Schema.FieldType.STRING)
          .addNullableField("data_as_of", Schema.FieldType.DATETIME)
          .build();

  @TempDir Path dir;

  @Test
  void oldPartitionsReadWithAddedWidenedAndRenamedColumns(TestPipeline p) {
    Path lake = dir.resolve("clean");
    p.apply(Create.of(
            Row.withSchema(OLD).addValues(1L, new Instant(1553104800000L), 7, 12L, "a").build(),
            Row.withSchema(OLD).addValues(2L, new Instant(1553104800000L), null, null, null)
                .build())
            .withRowSchema(OLD))
        .apply(WriteParquet.to(lake.toString())
            .partitionedBy(Partitioner.of("y", "updated", Partitioner.Granularity.YEAR, "UTC")));
    p.run().waitUntilFinish();

    Pipeline read = Pipeline.create();
    PCollection<Row> back =
        read.apply(ReadLake.of(lake + "/", NEW).withRenames(Map.of("category", "kind")));
    PAssert.that(back).containsInAnyOrder(List.of(
        Row.withSchema(NEW).addValues(1L, new Instant(1553104800000L), 7L, 12.0, "a", null).build(),
        Row.withSchema(NEW).addValues(2L, new Instant(1553104800000L), null, null, null, null)
            .build()));
    read.run().waitUntilFinish();
  }
}
