package dev.intake.transforms.sinks.warehouse;

/** One row of {@code intake_runs}: what a run was and how it ended. Times are ISO-8601 instants. */
public final class RunRecord {
  public String runId;
  public String dataset;
  public String mode;
  public String input;
  public String runner;
  public String startedAt;
  public String finishedAt;
  public String status;
  public long read;
  public long written;
  public long superseded;
  public long rejected;
  /** The newest committed watermark value, or null. */
  public String watermark;
  public String error;
  /** The run summary as JSON. */
  public String summary;
}
