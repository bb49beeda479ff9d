package dev.intake.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** What a run prints while it works: progress, and the libraries' own log lines. */
public interface ConsoleOptions extends PipelineOptions {
  @Description(
      "How often a run shows its progress (windows and pages done, rows read, rate, time left): "
          + "a live line on a terminal, a log line otherwise; e.g. 30s, 2m, PT1M; 0 turns it off."
          + " Default: 30s")
  @Default.String("30s")
  String getProgressInterval();

  void setProgressInterval(String value);

  @Description(
      "Also show the log lines of the libraries Intake runs on (Flink, Beam, Hadoop, Parquet, "
          + "S3), which are off by default. Default: false")
  @Default.Boolean(false)
  Boolean getVerbose();

  void setVerbose(Boolean value);
}
