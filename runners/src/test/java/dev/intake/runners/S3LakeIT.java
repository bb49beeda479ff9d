package dev.intake.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.runners.testing.IntakeJar;
import dev.intake.runners.testing.LakeTables;
import dev.intake.runners.testing.S3Server;
import dev.intake.runners.testing.TestInputs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACCEPTANCE 15, local disk = S3: full loads through the deployable jar (on its default runner,
 * embedded Flink) into a lake at {@code s3://intake/lakes/sf311-lake} on a real S3-compatible
 * server (s3proxy, a separate process on 127.0.0.1, reached as {@code localhost} so that only
 * {@code --s3PathStyleAccess} makes the bucket addressable), with credentials from the standard AWS
 * chain (environment variables) and PostgreSQL as the warehouse. First a run that crashes while
 * writing Parquet, then (after planting the staged files of a run killed mid-write) the same load
 * again, then the same load to local disk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3LakeIT {
  private static final String BUCKET = "intake";
  private static final String PREFIX = "lakes/sf311-lake/";
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final List<String> KILLED_RUN_LEFTOVERS =
      List.of(
          "_staging/sf311/killed/clean/requested_month=2021-05/part-00000.parquet",
          "_staging/sf311/killed/deadletter/part-00000.parquet");

  @TempDir static Path tmp;

  private S3Server s3;
  private String schema;
  private IntakeJar.Result failed;
  private IntakeJar.Result onS3;
  private IntakeJar.Result local;
  private List<String> keysAfterFailure;
  private List<String> keysAfterSuccess;
  private LakeTables s3Lake;
  private LakeTables localLake;

  @BeforeAll
  void loadIntoS3AndLocalDisk() throws Exception {
    s3 = S3Server.start(Path.of(System.getProperty("s3proxy.jar")), tmp.resolve("s3proxy"));
    s3.createBucket(BUCKET);
    schema =
        String.format(Locale.ROOT, "s3_%08x", ThreadLocalRandom.current().nextInt() & 0x7fffffff);
    String input = TestInputs.fullLoad(tmp.resolve("input"));
    IntakeJar intake =
        IntakeJar.fromBuild(tmp.resolve("logs"))
            .withEnv("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY)
            .withEnv("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
    List<String> toS3 =
        List.of(
            "--dataset=sf311",
            "--inputFile=" + input,
            "--maxRejectedRatio=1",
            "--lakePath=s3://" + BUCKET + "/" + PREFIX.substring(0, PREFIX.length() - 1),
            "--endpoint=http://localhost:" + s3.port(),
            "--awsRegion=" + S3Server.REGION,
            "--s3PathStyleAccess=true",
            "--jdbcUrl=" + POSTGRES,
            "--jdbcUser=postgres",
            "--jdbcSchema=" + schema);

    failed =
        intake
            .withJvmOption("-Dintake.failpoint=write.parquet")
            .run("s3-failed", with(toS3, "--runId=crashed"));
    keysAfterFailure = s3.keys(BUCKET, PREFIX);
    // The fail point fires before the first Parquet file is opened, so the crashed run staged
    // nothing; these are what a run killed while writing leaves behind (staged files, no journal).
    for (String staged : KILLED_RUN_LEFTOVERS) {
      s3.put(BUCKET, PREFIX + staged, "partial");
    }
    onS3 = intake.run("s3", with(toS3, "--runId=full"));
    keysAfterSuccess = s3.keys(BUCKET, PREFIX);
    System.out.printf(
        "s3: crashed run %.1f s, full load to S3 %.1f s wall%n",
        failed.wallSeconds, onS3.wallSeconds);
    assertThat(onS3.toString(), onS3.exitCode, is(0));
    s3.download(BUCKET, PREFIX, tmp.resolve("s3-lake"));
    s3Lake = new LakeTables(tmp.resolve("s3-lake"));

    local =
        intake.run(
            "local",
            List.of(
                "--dataset=sf311",
                "--inputFile=" + input,
                "--maxRejectedRatio=1",
                "--lakePath=" + tmp.resolve("local-lake"),
                "--runId=full"));
    System.out.printf("s3: the same load to local disk %.1f s wall%n", local.wallSeconds);
    assertThat(local.toString(), local.exitCode, is(0));
    localLake = new LakeTables(tmp.resolve("local-lake"));
  }

  private static List<String> with(List<String> args, String more) {
    List<String> all = new ArrayList<>(args);
    all.add(more);
    return all;
  }

  @AfterAll
  void stop() throws Exception {
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "");
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + ", " + schema + "_raw, " + schema
            + "_public CASCADE");
      }
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void aRunThatFailsBeforeItsCommitLeavesNothingVisibleInTheBucket() throws Exception {
    assertThat(failed.toString(), failed.exitCode, is(1));
    assertThat(failed.intakeLines(), hasItem(containsString("injected failure at write.parquet")));
    // Only the failed run's own summary and report are published; its partial output stays in
    // _staging/.
    assertThat(
        outside("_staging/", keysAfterFailure),
        containsInAnyOrder(PREFIX + "runs/index.html", PREFIX + "runs/sf311/crashed.html",
            PREFIX + "runs/sf311/crashed.json", PREFIX + "runs/sf311/index.html",
            PREFIX + "runs/sf311/index.jsonl"));
    String report =
        new String(s3.get(BUCKET, PREFIX + "runs/sf311/crashed.html"), StandardCharsets.UTF_8);
    assertThat(report, containsString("injected failure at write.parquet"));
    JsonNode summary =
        new ObjectMapper()
            .readTree(
                new String(
                    s3.get(BUCKET, PREFIX + "runs/sf311/crashed.json"), StandardCharsets.UTF_8));
    assertThat(summary.path("status").asText(), is("failed"));
    assertThat(
        warehouse("SELECT run_id, status FROM " + schema + "_raw.intake_runs ORDER BY 1"),
        contains("crashed\tfailed", "full\tsucceeded"));
  }

  @Test
  void theNextRunRemovesTheStagedOutputOfRunsThatDidNotCommit() throws Exception {
    assertThat(
        onS3.intakeLines(),
        hasItem(containsString("removing the staged output of run killed, which did not commit")));
    assertThat(under("_staging/", keysAfterSuccess), empty());
    assertThat(
        warehouse(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                + schema + "_raw"
                + "' AND table_name LIKE '%stage%'"),
        empty());
  }

  @Test
  void aLoadToS3EqualsTheSameLoadToLocalDisk() throws Exception {
    assertThat(s3Lake.cleanRows(), hasSize(1004));
    assertThat(s3Lake.cleanRows(), equalTo(localLake.cleanRows()));
    assertThat(s3Lake.aggregateRows(), not(empty()));
    assertThat(s3Lake.aggregateRows(), equalTo(localLake.aggregateRows()));
    assertThat(s3Lake.deadLetterRows(), hasSize(7));
    assertThat(s3Lake.deadLetterRows(), equalTo(localLake.deadLetterRows()));
    List<String> s3Files = files(s3Lake.root());
    s3Files.remove("runs/sf311/crashed.json");
    s3Files.remove("runs/sf311/crashed.html");
    assertThat(s3Files, equalTo(files(localLake.root())));
    // The report of the run on S3 read its sample dead letters from the bucket's Parquet files.
    String s3Report = Files.readString(s3Lake.root().resolve("runs/sf311/full.html"));
    String localReport = Files.readString(localLake.root().resolve("runs/sf311/full.html"));
    assertThat(s3Report.split("class=\"sample\"").length - 1,
        allOf(greaterThan(0), equalTo(localReport.split("class=\"sample\"").length - 1)));
  }

  @Test
  void theWarehouseHoldsTheRowsOfTheS3Lake() throws Exception {
    assertThat(warehouse("SELECT count(*) FROM " + schema + ".sf311"), contains("1004"));
    assertThat(warehouse("SELECT count(*) FROM " + schema + "_raw.sf311_deadletter"), contains("7"));
  }

  @Test
  void intakeRunChoosesEmbeddedFlinkByDefaultAndSaysSo() {
    assertThat(
        onS3.intakeLines(),
        hasItem(containsString("runner FlinkRunner (embedded, parallelism 2), the default")));
  }

  private static List<String> outside(String folder, List<String> keys) {
    return keys.stream().filter(k -> !k.startsWith(PREFIX + folder)).toList();
  }

  private static List<String> under(String folder, List<String> keys) {
    return keys.stream().filter(k -> k.startsWith(PREFIX + folder)).toList();
  }

  private static List<String> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return new ArrayList<>(
          s.filter(Files::isRegularFile)
              .map(p -> root.relativize(p).toString())
              .filter(f -> !f.contains(".temp-beam"))
              .sorted()
              .toList());
    }
  }

  private List<String> warehouse(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> cols = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          cols.add(rs.getString(i));
        }
        rows.add(String.join("\t", cols));
      }
      return rows;
    }
  }
}
