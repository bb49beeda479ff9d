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

  @Description(
      "Largest share (0..1) of the stored rows in the range that --mode=reconcile may delete as "
          + "vanished from the source; above it the run is refused and nothing changes, because a"
          + " broken source must not empty the lake (e.g. 0.05 for 5%). Default: 0.05")
  @Default.Double(0.05)
  Double getMaxDeleteRatio();

  void setMaxDeleteRatio(Double value);

  @Description(
      "Load an input that holds no records (a 0-byte file, a header without rows) instead of "
          + "failing the run, which is the default because such an export is almost always a "
          + "broken download. Default: false")
  @Default.Boolean(false)
  Boolean getAllowEmptyInput();

  void setAllowEmptyInput(Boolean value);

  @Description(
      "Rewrite every stored partition of the dataset, not only those the run's records touch, so "
          + "that derived columns, measures and aggregates added to the spec are back-filled "
          + "everywhere (the run summary's backfillPending lists what is still missing). "
          + "Default: false")
  @Default.Boolean(false)
  Boolean getRecomputeAll();

  void setRecomputeAll(Boolean value);

  @Description(
      "Seconds without a heartbeat after which another run's lock of the dataset is taken over "
          + "(a holder whose process is gone on this host is taken over at once), e.g. 120. "
          + "Default: 120")
  @Default.Integer(120)
  Integer getStaleLockSeconds();

  void setStaleLockSeconds(Integer value);

  @Description(
      "Write the run's HTML report beside its summary (runs/<dataset>/<run id>.html) and "
          + "regenerate the dataset's index of runs (runs/<dataset>/index.html). Default: true")
  @Default.Boolean(true)
  Boolean getReport();

  void setReport(Boolean value);
}
