package dev.intake.transforms.model;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.joda.time.Instant;

/** The dataset and run that records of a pipeline belong to; stamped on every dead letter. */
@AutoValue
public abstract class Lineage implements Serializable {
  public abstract String getDataset();

  public abstract String getRunId();

  public abstract Instant getStartedAt();

  public static Lineage of(String dataset, String runId, Instant startedAt) {
    return new AutoValue_Lineage(dataset, runId, startedAt);
  }
}
