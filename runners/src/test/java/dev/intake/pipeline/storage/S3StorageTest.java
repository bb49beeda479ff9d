package dev.intake.pipeline.storage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.intake.options.IntakeOptions;
import dev.intake.options.InvalidOptionsException;
import dev.intake.runners.testing.S3Server;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The storage options, and the path-style client against a real S3-compatible server. */
class S3StorageTest {
  @TempDir static Path tmp;
  private static S3Server s3;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = S3Server.start(Path.of(System.getProperty("s3proxy.jar")), tmp);
    s3.createBucket("paths");
    s3.put("paths", "a/b.txt", "b");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  private static IntakeOptions options(String... args) {
    PipelineOptionsFactory.register(IntakeOptions.class);
    return PipelineOptionsFactory.fromArgs(args).as(IntakeOptions.class);
  }

  /** Beam's S3 options as a worker would see them: a localhost endpoint and fixed credentials. */
  private static S3Options towardsTheServer(String... more) {
    String[] base = {
      "--endpoint=http://localhost:" + s3.port(),
      "--awsRegion=" + S3Server.REGION,
      "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\""
          + S3Server.ACCESS_KEY
          + "\",\"secretAccessKey\":\""
          + S3Server.SECRET_KEY
          + "\"}"
    };
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    IntakeOptions options = options(args);
    S3Storage.configure(options);
    return options.as(S3Options.class);
  }

  @Test
  void pathStyleAccessSelectsThePathStyleClientFactory() {
    IntakeOptions options = options("--s3PathStyleAccess=true");
    S3Storage.configure(options);
    assertThat(
        options.as(S3Options.class).getS3ClientFactoryClass(),
        equalTo(PathStyleS3ClientBuilderFactory.class));
  }

  @Test
  void withoutPathStyleAccessBeamsDefaultClientFactoryStays() {
    IntakeOptions options = options();
    S3Storage.configure(options);
    assertThat(
        options.as(S3Options.class).getS3ClientFactoryClass(),
        equalTo(DefaultS3ClientBuilderFactory.class));
  }

  @Test
  void pathStyleAccessAndAnotherClientFactoryExcludeEachOther() {
    IntakeOptions options = options("--s3PathStyleAccess=true");
    options.as(S3Options.class).setS3ClientFactoryClass(OtherFactory.class);
    InvalidOptionsException e =
        assertThrows(InvalidOptionsException.class, () -> S3Storage.configure(options));
    assertThat(
        e.getMessage(),
        is(
            "--s3PathStyleAccess cannot be combined with the S3 client "
                + "factory "
                + OtherFactory.class.getName()
                + ": path-style access is a client factory"));
  }

  @Test
  void aLakeOnS3WithoutARegionIsRefusedNamingTheOptions() {
    assumeTrue(
        System.getenv("AWS_REGION") == null
            && System.getenv("AWS_DEFAULT_REGION") == null
            && System.getProperty("aws.region") == null
            && !java.nio.file.Files.exists(Path.of(System.getProperty("user.home"), ".aws")),
        "this machine configures an AWS region");
    IntakeOptions options =
        options("--lakePath=s3://bucket/lake", "--inputFile=s3://bucket/in/*.csv");
    InvalidOptionsException e =
        assertThrows(InvalidOptionsException.class, () -> S3Storage.configure(options));
    assertThat(
        e.getMessage(),
        is(
            "--lakePath and --inputFile on s3:// need a region: give "
                + "--awsRegion (e.g. --awsRegion=us-east-1) or set AWS_REGION"));
  }

  @Test
  void ec2sInstanceMetadataIsAskedOnlyWhenAPathIsOnS3AndTheUsersChoiceStands() {
    assumeTrue(System.getenv("AWS_EC2_METADATA_DISABLED") == null,
        "this machine sets AWS_EC2_METADATA_DISABLED");
    String property = S3Storage.NO_INSTANCE_METADATA;
    IntakeOptions local = options("--lakePath=" + tmp.resolve("lake"), "--inputFile=in/*.csv");
    IntakeOptions onS3 = options("--lakePath=s3://bucket/lake", "--awsRegion=us-east-1");
    try {
      S3Storage.configure(local);
      assertThat(System.getProperty(property), is("true"));
      S3Storage.configure(onS3);
      assertThat(System.getProperty(property), nullValue());
      S3Storage.configure(local);
      assertThat(System.getProperty(property), is("true"));
      S3Storage.configure(onS3);

      System.setProperty(property, "false");
      S3Storage.configure(local);
      assertThat(System.getProperty(property), is("false"));
      System.setProperty(property, "true");
      S3Storage.configure(onS3);
      assertThat(System.getProperty(property), is("true"));
    } finally {
      System.clearProperty(property);
    }
  }

  @Test
  void thePathStyleClientReachesABucketThroughAHostNameEndpoint() {
    S3Options options = towardsTheServer("--s3PathStyleAccess=true");
    try (S3Client client = new PathStyleS3ClientBuilderFactory().createBuilder(options).build()) {
      List<String> keys =
          client.listObjectsV2(b -> b.bucket("paths")).contents().stream()
              .map(S3Object::key)
              .toList();
      assertThat(keys, contains("a/b.txt"));
    }
  }

  @Test
  void beamsDefaultClientAddressesTheBucketAsAHostNameAndFails() {
    S3Options options = towardsTheServer();
    try (S3Client client = new DefaultS3ClientBuilderFactory().createBuilder(options).build()) {
      SdkClientException e =
          assertThrows(
              SdkClientException.class, () -> client.listObjectsV2(b -> b.bucket("paths")));
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      assertThat(cause, org.hamcrest.Matchers.instanceOf(java.net.UnknownHostException.class));
      assertThat(cause.getMessage(), org.hamcrest.Matchers.startsWith("paths.localhost"));
    }
  }

  /** A client factory of the user's own. */
  public static final class OtherFactory
      implements org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory {
    @Override
    public software.amazon.awssdk.services.s3.S3ClientBuilder createBuilder(S3Options options) {
      return new DefaultS3ClientBuilderFactory().createBuilder(options);
    }
  }
}
