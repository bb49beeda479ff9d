package dev.intake.pipeline;

import dev.intake.transforms.sinks.lake.LakeFiles;
import dev.intake.pipeline.spec.SpecLoader;
import dev.intake.transforms.sinks.lake.LakeLayout;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.intake.options.IntakeOptions;
import dev.intake.pipeline.storage.S3Storage;
import dev.intake.runners.testing.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit's partition swap on S3, which has no rename: Beam's S3 filesystem copies, then
 * deletes. Runs {@link CommitJournal} through Beam's filesystems against s3proxy (path-style, on
 * {@code localhost}, credentials from the standard AWS chain's system properties), and checks the
 * objects with a plain S3 client.
 */
class LakeCommitOnS3Test {
  private static final String BUCKET = "lake";
  private static final List<String> TOUCHED =
      List.of("requested_month=2021-05", "requested_month=2021-06");

  @TempDir static Path tmp;
  private static S3Server s3;

  @BeforeAll
  static void registerS3() throws Exception {
    s3 = S3Server.start(Path.of(System.getProperty("s3proxy.jar")), tmp);
    s3.createBucket(BUCKET);
    System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3Server.SECRET_KEY);
    PipelineOptionsFactory.register(IntakeOptions.class);
    IntakeOptions options =
        PipelineOptionsFactory.fromArgs(
                "--endpoint=http://localhost:" + s3.port(),
                "--awsRegion=" + S3Server.REGION,
                "--s3PathStyleAccess=true")
            .as(IntakeOptions.class);
    S3Storage.configure(options);
    FileSystems.setDefaultPipelineOptions(options);
  }

  @AfterAll
  static void stop() throws Exception {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (s3 != null) {
      s3.close();
    }
  }

  /** A lake with two stored partitions, and a run that staged new content for two partitions. */
  private static DatasetOutputs outputs(LakeLayout lake) {
    return new DatasetOutputs(SpecLoader.load("sf311"), lake);
  }

  private static LakeLayout lakeWithStagedRun(String name) throws Exception {
    LakeLayout lake = new LakeLayout("s3://" + BUCKET + "/" + name, "sf311");
    LakeFiles.write(lake.clean() + "requested_month=2021-04/part-00000.parquet", "april");
    LakeFiles.write(lake.clean() + "requested_month=2021-05/part-00000.parquet", "old may 0");
    LakeFiles.write(lake.clean() + "requested_month=2021-05/part-00001.parquet", "old may 1");
    LakeLayout.Staging staged = lake.staging("r1");
    LakeFiles.write(staged.clean() + "requested_month=2021-05/part-00000.parquet", "new may");
    LakeFiles.write(staged.clean() + "requested_month=2021-06/part-00000.parquet", "new june");
    LakeFiles.write(staged.deadLetters() + "part-00000.parquet", "dead letters");
    return lake;
  }

  private static Map<String, String> objects(String name) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (String key : s3.keys(BUCKET, name + "/")) {
      out.put(
          key.substring(name.length() + 1),
          new String(s3.get(BUCKET, key), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static final Map<String, String> COMMITTED =
      Map.of(
          "clean/sf311/requested_month=2021-04/part-00000.parquet", "april",
          "clean/sf311/requested_month=2021-05/part-00000.parquet", "new may",
          "clean/sf311/requested_month=2021-06/part-00000.parquet", "new june",
          "deadletter/sf311/run=r1/part-00000.parquet", "dead letters",
          "runs/sf311/r1.json", "{\"status\":\"succeeded\"}");

  @Test
  void theSwapReplacesEveryTouchedPartitionWithItsStagedFilesAndNothingElse() throws Exception {
    LakeLayout lake = lakeWithStagedRun("swap");
    CommitJournal journal = CommitJournal.plan(outputs(lake), "r1", TOUCHED);
    journal.write(lake, "{\"status\":\"succeeded\"}");
    journal.swap();
    journal.finish(lake);

    assertThat(objects("swap"), equalTo(new TreeMap<>(COMMITTED)));
    assertThat(s3.keys(BUCKET, "swap/_staging/"), empty());
  }

  @Test
  void aSwapInterruptedBetweenCopyAndDeleteCompletesWhenRepeated() throws Exception {
    LakeLayout lake = lakeWithStagedRun("interrupted");
    CommitJournal journal = CommitJournal.plan(outputs(lake), "r1", TOUCHED);
    journal.write(lake, "{\"status\":\"succeeded\"}");
    // What a crash inside S3's rename leaves: the new file copied in, its staged copy not yet
    // deleted, the partition's stale file still there.
    LakeFiles.write(lake.clean() + "requested_month=2021-05/part-00000.parquet", "new may");

    CommitJournal recovered = CommitJournal.read(lake, "r1");
    recovered.swap();
    recovered.swap();
    recovered.finish(lake);

    assertThat(objects("interrupted"), equalTo(new TreeMap<>(COMMITTED)));
  }
}
