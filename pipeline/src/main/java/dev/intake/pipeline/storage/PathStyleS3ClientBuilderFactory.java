package dev.intake.pipeline.storage;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Beam's S3 client, as configured by its AWS options (endpoint, region, credentials, retries), with
 * path-style addressing ({@code http://host/bucket/key}) that S3-compatible stores need. Selected
 * by {@code --s3PathStyleAccess}; Beam itself has no option for it. Beam instantiates the factory
 * by class name on every worker, so it needs its public no-argument constructor.
 */
public final class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return new DefaultS3ClientBuilderFactory()
        .createBuilder(options)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
  }
}
