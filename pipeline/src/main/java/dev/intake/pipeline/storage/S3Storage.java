package dev.intake.pipeline.storage;

import dev.intake.options.IntakeOptions;
import dev.intake.options.InvalidOptionsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;

/**
 * Turns Intake's storage options into Beam's S3 settings, and checks them before anything is read
 * or written: {@code --s3PathStyleAccess} selects {@link PathStyleS3ClientBuilderFactory}, and a
 * lake or input on {@code s3://} needs a region (from {@code --awsRegion} or the AWS chain). Beam's
 * S3 filesystem reads these options in this JVM and, serialized with the pipeline, on every worker.
 * Call {@link #configure} before {@code FileSystems.setDefaultPipelineOptions}, or call that again
 * afterwards: Beam's filesystems keep the options they were registered with.
 *
 * <p>Beam registers its S3 filesystem in every run, and registering it asks the AWS region chain for
 * a region, whose last link asks EC2's instance metadata service: outside EC2 that is a connection
 * that times out, half a second to a second of every start. When neither the lake nor the input is
 * on {@code s3://} nothing needs a region, so {@link #configure} turns that link off for the process
 * (the AWS SDK's {@value #NO_INSTANCE_METADATA} system property), unless the user chose either way
 * (that property, or {@code AWS_EC2_METADATA_DISABLED}); a later configuration in the same process
 * with a path on S3 turns it back on.
 */
public final class S3Storage {
  /** The AWS SDK's system property that keeps it from asking EC2's instance metadata service. */
  static final String NO_INSTANCE_METADATA = "aws.disableEc2Metadata";

  /** Whether this class set {@link #NO_INSTANCE_METADATA} (and so may clear it). */
  private static boolean metadataTurnedOff;

  private S3Storage() {}

  /** Applies the storage options; throws {@link InvalidOptionsException} for bad combinations. */
  public static void configure(IntakeOptions options) {
    S3Options s3 = options.as(S3Options.class);
    if (Boolean.TRUE.equals(options.getS3PathStyleAccess())) {
      Class<? extends S3ClientBuilderFactory> chosen = s3.getS3ClientFactoryClass();
      if (chosen != null
          && chosen != DefaultS3ClientBuilderFactory.class
          && chosen != PathStyleS3ClientBuilderFactory.class) {
        throw new InvalidOptionsException(
            "--s3PathStyleAccess cannot be combined with the S3 client factory "
                + chosen.getName()
                + ": path-style access is a client factory");
      }
      if (chosen != PathStyleS3ClientBuilderFactory.class) {
        s3.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
      }
    }
    List<String> onS3 = new ArrayList<>();
    if (isS3(options.getLakePath())) {
      onS3.add("--lakePath");
    }
    if (isS3(options.getInputFile())) {
      onS3.add("--inputFile");
    }
    instanceMetadata(!onS3.isEmpty());
    if (!onS3.isEmpty() && options.as(AwsOptions.class).getAwsRegion() == null) {
      throw new InvalidOptionsException(
          String.join(" and ", onS3)
              + " on s3:// need a region: "
              + "give --awsRegion (e.g. --awsRegion=us-east-1) or set AWS_REGION");
    }
  }

  /**
   * Lets the AWS SDK ask EC2's instance metadata service (for a region, and credentials) when
   * {@code needed}, else keeps it from doing so; a choice of the user's stands either way.
   */
  private static synchronized void instanceMetadata(boolean needed) {
    if (needed) {
      if (metadataTurnedOff) {
        System.clearProperty(NO_INSTANCE_METADATA);
        metadataTurnedOff = false;
      }
    } else if (!metadataTurnedOff && System.getProperty(NO_INSTANCE_METADATA) == null
        && System.getenv("AWS_EC2_METADATA_DISABLED") == null) {
      System.setProperty(NO_INSTANCE_METADATA, "true");
      metadataTurnedOff = true;
    }
  }

  /** Whether {@code path} names an object in S3 ({@code s3://bucket/key}). */
  public static boolean isS3(String path) {
    return path != null && path.toLowerCase(Locale.ROOT).startsWith("s3://");
  }
}
