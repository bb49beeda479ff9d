package dev.intake.runners.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible server for the tests: s3proxy ({@code org.gaul:s3proxy}, jar with
 * dependencies) as a separate process on 127.0.0.1, storing objects in a local folder, with fixed
 * test credentials. {@link #close} stops it.
 */
public final class S3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "intake-test-access";
  public static final String SECRET_KEY = "intake-test-secret";
  public static final String REGION = "us-east-1";

  private final int port;
  private final ChildProcess process;
  private final S3Client client;

  private S3Server(int port, ChildProcess process) {
    this.port = port;
    this.process = process;
    this.client =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint()))
            .region(Region.of(REGION))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build();
  }

  /** Starts s3proxy from {@code jar}, keeping its objects and log under {@code dir}. */
  public static S3Server start(Path jar, Path dir) throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing; mvn process-test-resources copies it");
    }
    int port = Ports.free();
    Path data = Files.createDirectories(dir.resolve("data"));
    Path conf = dir.resolve("s3proxy.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            // Beam sends x-amz-server-side-encryption-bucket-key-enabled, which s3proxy refuses
            // with 501 unless told to ignore headers it does not know.
            "s3proxy.ignore-unknown-headers=true",
            "jclouds.provider=filesystem-nio2",
            "jclouds.filesystem.basedir=" + data,
            ""));
    ChildProcess process =
        ChildProcess.start(
            "s3proxy",
            List.of(
                ChildProcess.java(),
                "-Xmx256m",
                "-jar",
                jar.toString(),
                "--properties",
                conf.toString()),
            dir,
            Map.of(),
            dir.resolve("s3proxy.log"));
    S3Server server = new S3Server(port, process);
    try {
      Await.until(
          "s3proxy on 127.0.0.1:" + port,
          Duration.ofSeconds(60),
          process::checkAlive,
          () -> Ports.accepting(port) && server.answers());
      return server;
    } catch (RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
  }

  private boolean answers() {
    try {
      client.listBuckets();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public void createBucket(String bucket) {
    client.createBucket(b -> b.bucket(bucket));
  }

  public void put(String bucket, String key, String text) {
    client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text));
  }

  /** Keys under {@code prefix}, sorted. */
  public List<String> keys(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    for (S3Object o :
        client
            .listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
            .contents()) {
      keys.add(o.key());
    }
    keys.sort(null);
    return keys;
  }

  public byte[] get(String bucket, String key) throws IOException {
    try (ResponseInputStream<GetObjectResponse> in =
        client.getObject(b -> b.bucket(bucket).key(key))) {
      return in.readAllBytes();
    }
  }

  /**
   * Copies every object under {@code prefix} to {@code dir}, keeping the key below the prefix as
   * path.
   */
  public void download(String bucket, String prefix, Path dir) throws IOException {
    for (String key : keys(bucket, prefix)) {
      Path target = dir.resolve(key.substring(prefix.length()));
      Files.createDirectories(target.getParent());
      try (InputStream in = client.getObject(b -> b.bucket(bucket).key(key))) {
        Files.copy(in, target);
      }
    }
  }

  /** The process's log, for failure messages. */
  public String log() {
    return process.tail(40);
  }

  @Override
  public void close() throws InterruptedException {
    client.close();
    process.close();
  }
}
