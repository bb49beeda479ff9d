package dev.intake.transforms.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.joda.time.Instant;

/**
 * A record that could not be ingested, kept with its original text and every reason.
 *
 * <p>{@code stage} is the transform that rejected it ({@code parse} or {@code validate}), {@code
 * reasonCode} a short stable code for grouping (for example {@code range:lat}; several codes are
 * joined with {@code ;}), {@code reason} the sentence a person reads.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class DeadLetter {
  public abstract String getRunId();

  public abstract String getDataset();

  public abstract String getStage();

  public abstract String getReasonCode();

  public abstract String getReason();

  public abstract String getRawText();

  public abstract String getSource();

  public abstract long getLine();

  public abstract long getOffset();

  public abstract Instant getRecordedAt();

  public static DeadLetter of(
      Lineage lineage, String stage, String reasonCode, String reason, SourceRecord record) {
    return new AutoValue_DeadLetter(
        lineage.getRunId(),
        lineage.getDataset(),
        stage,
        reasonCode,
        reason,
        record.getText(),
        record.getSource(),
        record.getLine(),
        record.getOffset(),
        lineage.getStartedAt());
  }

  /** The schema coder of dead letters in {@code pipeline}. */
  public static Coder<DeadLetter> coder(Pipeline pipeline) {
    return Schemas.coder(pipeline, DeadLetter.class);
  }
}
