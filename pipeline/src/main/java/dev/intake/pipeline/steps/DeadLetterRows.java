package dev.intake.pipeline.steps;

import dev.intake.transforms.model.DeadLetter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Dead letters as rows of the dead-letter dataset's schema (snake_case columns). */
public final class DeadLetterRows extends PTransform<PCollection<DeadLetter>, PCollection<Row>> {
  public static final Schema SCHEMA =
      Schema.builder()
          .addStringField("run_id")
          .addStringField("dataset")
          .addStringField("stage")
          .addStringField("reason_code")
          .addStringField("reason")
          .addStringField("raw_text")
          .addStringField("source")
          .addInt64Field("line")
          .addInt64Field("offset")
          .addDateTimeField("recorded_at")
          .build();

  @Override
  public PCollection<Row> expand(PCollection<DeadLetter> input) {
    return input
        .apply(
            "ToRows",
            MapElements.into(TypeDescriptors.rows())
                .via(
                    (DeadLetter d) ->
                        Row.withSchema(SCHEMA)
                            .addValues(
                                d.getRunId(),
                                d.getDataset(),
                                d.getStage(),
                                d.getReasonCode(),
                                d.getReason(),
                                d.getRawText(),
                                d.getSource(),
                                d.getLine(),
                                d.getOffset(),
                                d.getRecordedAt())
                            .build()))
        .setRowSchema(SCHEMA);
  }
}
