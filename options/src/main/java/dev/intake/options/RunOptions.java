package dev.intake.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How a run is identified and when it is refused. */
public interface RunOptions extends PipelineOptions {
  @Description(
      "Identifier of this run, used in staging folders, dead letters and the run summary "
          + "(letters, digits, '-', '_'); with --mode=replay, the run to replay. Default: "
          + "generated from the start time.")
  String getRunId();

  void setRunId(String value);

  @Description(
      "Largest share of rejected records (0..1) a run may have and still commit "
          + "(e.g. 0.05 for 5%). Default: 0.05")
  @Default.Double(0.05)
  Double getMaxRejectedRatio();

  void setMaxRejectedRatio(Double value);
}
