package dev.intake.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the Parquet lake lives and how its files are cut. */
public interface LakeOptions extends PipelineOptions {
  @Description(
      "Root of the Parquet lake, a local folder or s3://bucket/prefix (e.g. /data/lake). "
          + "Default: ./lake")
  @Default.String("lake")
  String getLakePath();

  void setLakePath(String value);

  @Description("Most rows in one Parquet file of the clean dataset (e.g. 1000000).")
  @Default.Integer(1_000_000)
  Integer getMaxRowsPerFile();

  void setMaxRowsPerFile(Integer value);

  @Description(
      "Merge with every stored row of the dataset, not only with the partitions that hold the "
          + "run's keys and rows (which a pass over the stored key and partition columns finds): "
          + "the same result at the cost of the whole lake; for comparisons and benchmarks. "
          + "Default: false")
  @Default.Boolean(false)
  Boolean getReadWholeLake();

  void setReadWholeLake(Boolean value);
}
