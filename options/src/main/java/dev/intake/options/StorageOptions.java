package dev.intake.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How the object store that holds an {@code s3://} lake or input is addressed. The endpoint, the
 * region and the credentials are Beam's own AWS options ({@code --endpoint}, {@code --awsRegion},
 * {@code --awsCredentialsProvider}, by default the standard AWS chain: environment variables,
 * system properties, profile files, container and instance roles).
 */
public interface StorageOptions extends PipelineOptions {
  @Description(
      "Address S3 buckets by path (http://host/bucket/key) instead of by host name "
          + "(http://bucket.host/key), as S3-compatible stores such as MinIO or s3proxy need; use "
          + "with --endpoint=http://host:port and --awsRegion. Default: false")
  @Default.Boolean(false)
  Boolean getS3PathStyleAccess();

  void setS3PathStyleAccess(Boolean value);
}
