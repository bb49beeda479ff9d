package dev.intake.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How a run trades memory for speed: the dedup's grouping and the memory of Flink embedded in the
 * run's JVM. The embedded Flink's memory adds to the JVM heap (-Xmx): peak RSS is about heap +
 * managed + network memory + the JVM's own (metaspace, threads, code; about 0.3 GB).
 */
public interface PerformanceOptions extends PipelineOptions {
  @Description(
      "Hash buckets the dedup groups the keys into; a bucket's distinct keys (about rows / "
          + "buckets, stored rows included) are held in memory while it is deduplicated, so raise "
          + "it for very large datasets (e.g. 65536 for 1 billion rows). With --runner="
          + "DirectRunner the default is the DirectRunner's --targetParallelism: each bucket is "
          + "a bundle there, and every later grouping step copies its values once per bundle. "
          + "Default: 512")
  @Default.Integer(512)
  Integer getDedupBuckets();

  void setDedupBuckets(Integer value);

  @Description(
      "Hash buckets the aggregates group their groups into (a bucket holds one accumulator per "
          + "group it has). With --runner=DirectRunner the default is the DirectRunner's "
          + "--targetParallelism, as for --dedupBuckets. Default: 512")
  @Default.Integer(512)
  Integer getAggregateBuckets();

  void setAggregateBuckets(Integer value);

  @Description(
      "Managed memory of Flink embedded in this JVM (sorts and hash tables of grouping steps), "
          + "off the Java heap, e.g. 256m or 1g; ignored for a Flink cluster, which has its own "
          + "configuration. Default: 256m")
  @Default.String("256m")
  String getFlinkManagedMemory();

  void setFlinkManagedMemory(String value);

  @Description(
      "Network memory of Flink embedded in this JVM (buffers between tasks), off the Java heap, "
          + "e.g. 64m; ignored for a Flink cluster. Default: 64m")
  @Default.String("64m")
  String getFlinkNetworkMemory();

  void setFlinkNetworkMemory(String value);
}
