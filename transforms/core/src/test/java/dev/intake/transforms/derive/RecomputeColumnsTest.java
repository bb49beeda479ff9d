package dev.intake.transforms.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.testing.TestPipelineExtension;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Back-fills: a derived column computed again on stored rows; and a retired (nulled) field kept
 * in the schema, always null.
 */
@ExtendWith(TestPipelineExtension.class)
class RecomputeColumnsTest {
  private static final Schema CLEAN =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("requested", Schema.FieldType.DATETIME)
          .addNullableField("closed", Schema.FieldType.DATETIME)
          .addNullableField("note", Schema.FieldType.STRING)
          .addNullableField("hours_to_close", Schema.FieldType.DOUBLE)
          .build();
  private static final long REQUESTED = 1552712700000L;
  private static final Derivation HOURS =
      Derivation.hoursBetween("hours_to_close", "requested", "closed");

  private static Row row(long id, Long closed, String note, Double hours) {
    return Row.withSchema(CLEAN)
        .addValues(id, new Instant(REQUESTED), closed == null ? null : new Instant(closed), note,
            hours)
        .build();
  }

  @Test
  void storedRowsGetTheDerivedColumnAndKeepEverythingElse(TestPipeline p) {
    PCollection<Row> out =
        p.apply(Create.of(row(1, REQUESTED + 5_400_000L, "kept", null),
                row(2, null, null, 7.0))
            .withRowSchema(CLEAN))
            .apply(RecomputeColumns.of(List.of(HOURS)));
    PAssert.that(out).containsInAnyOrder(row(1, REQUESTED + 5_400_000L, "kept", 1.5),
        row(2, null, null, null));
    p.run().waitUntilFinish();
  }

  @Test
  void aColumnTheRowsLackIsAnError() {
    Schema without = Schema.builder().addNullableField("id", Schema.FieldType.INT64).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> org.apache.beam.sdk.Pipeline.create().apply(Create.empty(without))
            .apply(RecomputeColumns.of(List.of(HOURS))));
    assertEquals("derived column hours_to_close is not in the schema", e.getMessage());
  }

  @Test
  void aNulledFieldStaysInTheSchemaAndIsNull(TestPipeline p) {
    Schema input = Schema.builder()
        .addNullableField("id", Schema.FieldType.INT64)
        .addNullableField("note", Schema.FieldType.STRING)
        .build();
    PCollection<Row> out =
        p.apply(Create.of(Row.withSchema(input).addValues(1L, "old text").build())
                .withRowSchema(input))
            .apply(DeriveColumns.of(List.of()).withNulled(List.of("note")));
    assertEquals(input, out.getSchema());
    PAssert.that(out).containsInAnyOrder(Row.withSchema(input).addValues(1L, null).build());
    p.run().waitUntilFinish();
  }
}
