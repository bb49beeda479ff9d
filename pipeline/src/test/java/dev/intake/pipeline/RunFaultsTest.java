package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.CliProcess;
import dev.intake.pipeline.testing.SmallVolume;
import dev.intake.pipeline.testing.TestData;
import dev.intake.pipeline.testing.Warehouses;
import dev.intake.pipeline.testing.Warehouses.Kind;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs under faults that a user meets in practice: two runs of a dataset at once, a holder that
 * died with the lock, a full disk during the write and during the commit, a database that is not
 * there. Each ends in one truthful line and exit code, and a rerun reaches the exact expected
 * state.
 */
class RunFaultsTest extends LakeAndWarehouseTest {
  private List<String> args(String file, String runId, String... more) {
    return runArgs(TestData.file(file), runId, more);
  }

  private Cli load(String file, String runId, String... more) {
    return Cli.run(args(file, runId, more).toArray(new String[0]));
  }

  private void loadOk(String file, String runId) {
    Cli cli = load(file, runId);
    assertThat(cli.toString(), cli.exitCode, is(0));
  }

  /** A run in its own JVM, held at {@code pausePoint} until the marker file is deleted. */
  private CliProcess startPaused(String pausePoint, String file, String runId) throws Exception {
    return CliProcess.start(tmp.resolve("proc-" + runId),
        Map.of(PausePoints.PROPERTY, pausePoint, PausePoints.DIRECTORY, tmp.toString()),
        args(file, runId));
  }

  private Path marker(String pausePoint) {
    return tmp.resolve(pausePoint + ".paused");
  }

  private List<String> stagingTables() throws Exception {
    return db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
        + db.schema + "_raw' AND table_name LIKE '\\_stage%' ORDER BY 1");
  }

  private void assertFinalStateOfAThenB() throws Exception {
    List<String> expected = TestData.expected("overlap_final.tsv");
    assertThat(warehouseRows(), equalTo(expected));
    assertThat(lakeRows(), equalTo(expected));
    assertThat(db.query("SELECT " + db.iso("watermark") + " FROM " + db.raw("intake_state")),
        contains("2021-03-02T07:30:00Z"));
    FullLoadTest.assertAggregatesMatchCleanRows(lake());
    assertThat(Files.exists(lake().root.resolve("_staging")), is(false));
    assertThat(stagingTables(), empty());
    assertThat(db.query("SELECT count(*) FROM " + db.raw("intake_locks")), contains("0"));
  }

  @Test
  void ofTwoRunsAtOnceOneProceedsAndTheOtherIsRefusedWithoutTouchingIt() throws Exception {
    db = new Warehouses(Kind.POSTGRES, lake().root);
    loadOk("overlap_a.csv", "a");
    CliProcess first = startPaused("run.beforeCommit", "overlap_b.csv", "first");
    first.awaitFile(marker("run.beforeCommit"));
    List<String> firstsStaging = stagingTables();
    assertThat(firstsStaging.isEmpty(), is(false));

    Cli second = load("overlap_b.csv", "second");
    assertThat(second.toString(), second.exitCode, is(1));
    String host = InetAddress.getLocalHost().getHostName();
    assertThat(second.errorLines().get(second.errorLines().size() - 1), matchesPattern(
        Pattern.quote("intake: run failed: sf311 is being loaded by run first (pid " + first.pid()
            + " on host " + host + ", since ") + "\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z, last heartbeat"
            + " .*; this run did not start\\. Wait for it to finish; if that process is gone, its"
            + " lock is taken over after 120 s without a heartbeat"));
    // The refused run cleaned nothing up: the first run's staging is intact.
    assertThat(stagingTables(), equalTo(firstsStaging));
    assertThat(Files.isDirectory(lake().root.resolve("_staging/sf311/first")), is(true));

    Files.delete(marker("run.beforeCommit"));
    CliProcess.Result done = first.await();
    assertThat(done.toString(), done.exitCode(), is(0));
    assertFinalStateOfAThenB();
    assertThat(db.query("SELECT run_id, status FROM " + db.raw("intake_runs")
        + " ORDER BY started_at"), contains("a\tsucceeded", "first\tsucceeded"));
  }

  @Test
  void onDuckDbTheFileLockKeepsASecondProcessOutWithExitOne() throws Exception {
    db = new Warehouses(Kind.DUCKDB, lake().root);
    loadOk("overlap_a.csv", "a");
    CliProcess first = startPaused("run.beforeCommit", "overlap_b.csv", "first");
    first.awaitFile(marker("run.beforeCommit"));

    Cli second = load("overlap_b.csv", "second");
    assertThat(second.toString(), second.exitCode, is(1));
    String last = second.errorLines().get(second.errorLines().size() - 1);
    assertThat(last, startsWith("intake: run failed: cannot connect to the warehouse jdbc:duckdb:"
        + lake().root + ".duckdb: "));
    assertThat(last, containsString("PID " + first.pid()));
    assertThat(Files.isDirectory(lake().root.resolve("_staging/sf311/first")), is(true));

    Files.delete(marker("run.beforeCommit"));
    CliProcess.Result done = first.await();
    assertThat(done.toString(), done.exitCode(), is(0));
    assertFinalStateOfAThenB();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aLockWhoseProcessIsGoneIsTakenOverAndOnlyThenItsLeftoversCleaned(Kind kind)
      throws Exception {
    db = new Warehouses(kind, lake().root);
    loadOk("overlap_a.csv", "a");
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    String host = InetAddress.getLocalHost().getHostName();
    String now = Instant.now().toString();
    db.execute("INSERT INTO " + db.raw("intake_locks") + " VALUES ('sf311', 'killed', '" + host
        + "', " + gone.pid() + ", '" + now + "', '" + now + "')");
    Files.createDirectories(lake().root.resolve("_staging/sf311/killed/clean"));
    Files.writeString(lake().root.resolve("_staging/sf311/killed/clean/part-00000.parquet"), "x");
    if (kind == Kind.POSTGRES) {
      db.execute("CREATE TABLE " + db.raw("_stage_sf311_killed") + " (x int)");
    }

    Cli taker = load("overlap_b.csv", "taker");
    assertThat(taker.toString(), taker.exitCode, is(0));
    assertThat(taker.err, containsString("intake: took over the lock of sf311 from run killed (pid "
        + gone.pid() + " on host " + host + ", since " + now + ", last heartbeat " + now
        + "), whose process is no longer running\n"));
    int tookOver = taker.err.indexOf("took over the lock");
    assertThat(taker.err.indexOf("removing the staged output of run killed"),
        is(not(-1)));
    assertThat(taker.err.indexOf("removing the staged output of run killed") > tookOver, is(true));
    assertFinalStateOfAThenB();
  }

  @Test
  void aLockHeldFromAnotherHostIsHonouredUntilItsHeartbeatIsStale() throws Exception {
    db = new Warehouses(Kind.POSTGRES, lake().root);
    loadOk("overlap_a.csv", "a");
    List<String> before = warehouseRows();
    String now = Instant.now().toString();
    db.execute("INSERT INTO " + db.raw("intake_locks") + " VALUES ('sf311', 'remote',"
        + " 'other-host.example', 4242, '" + now + "', '" + now + "')");

    Cli refused = load("overlap_b.csv", "refused");
    assertThat(refused.toString(), refused.exitCode, is(1));
    assertThat(refused.errorLines().get(refused.errorLines().size() - 1), is(
        "intake: run failed: sf311 is being loaded by run remote (pid 4242 on host"
            + " other-host.example, since " + now + ", last heartbeat " + now + "); this run did"
            + " not start. Wait for it to finish; if that process is gone, its lock is taken over"
            + " after 120 s without a heartbeat"));
    assertThat(warehouseRows(), equalTo(before));

    String old = Instant.now().minusSeconds(3600).toString();
    db.execute("UPDATE " + db.raw("intake_locks") + " SET heartbeat_at = '" + old + "'");
    Cli taker = load("overlap_b.csv", "taker");
    assertThat(taker.toString(), taker.exitCode, is(0));
    // The silence is counted when the run takes the lock: an hour and the seconds since the
    // UPDATE (more than one on a busy machine).
    assertThat(taker.err, matchesPattern("(?s).*" + Pattern.quote("took over the lock of sf311"
        + " from run remote (pid 4242 on host other-host.example, since " + now + ", last"
        + " heartbeat " + old + "), which sent no heartbeat for ") + "36[0-5]\\d s\n.*"));
    assertFinalStateOfAThenB();
  }

  /**
   * The check counts the clean rows in the staged files themselves (their footers), not the rows
   * the pipeline handed to its writers: a staged file lost after the pipeline (here deleted) makes
   * the run fail before anything is published, and a rerun completes.
   */
  @Test
  void aStagedCleanFileLostBeforeTheCheckFailsTheRunAndNothingIsPublished() throws Exception {
    db = new Warehouses(Kind.DUCKDB, lake().root);
    loadOk("overlap_a.csv", "a");
    List<String> before = warehouseRows();
    List<String> lakeBefore = lakeRows();

    CliProcess run = startPaused("run.beforeCheck", "overlap_b.csv", "lost");
    run.awaitFile(marker("run.beforeCheck"));
    List<Path> staged;
    try (var files = Files.walk(lake().root.resolve("_staging/sf311/lost/clean"))) {
      staged = files.filter(f -> f.toString().endsWith(".parquet")).sorted().toList();
    }
    assertThat(staged.isEmpty(), is(false));
    Files.delete(staged.get(0));
    Files.delete(marker("run.beforeCheck"));
    CliProcess.Result lost = run.await();
    assertThat(lost.toString(), lost.exitCode(), is(1));
    assertThat(lost.lastLine(), matchesPattern(Pattern.quote("intake: run failed: the clean files"
        + " hold ") + "\\d+" + Pattern.quote(" rows, expected ") + "\\d+.*"));
    assertThat(warehouseRows(), equalTo(before));
    assertThat(lakeRows(), equalTo(lakeBefore));

    loadOk("overlap_b.csv", "rerun");
    assertFinalStateOfAThenB();
  }

  @Test
  void aFullVolumeDuringTheWriteChangesNothingAndTheRerunCompletes() throws Exception {
    try (SmallVolume volume = SmallVolume.mount(tmp.resolve("volume"), 64)) {
      lakeRoot = volume.dir.resolve("lake");
      db = new Warehouses(Kind.DUCKDB, lakeRoot);
      loadOk("overlap_a.csv", "a");
      List<String> before = warehouseRows();
      List<String> lakeBefore = lakeRows();

      CliProcess run = startPaused("run.beforePipeline", "overlap_b.csv", "full");
      run.awaitFile(marker("run.beforePipeline"));
      volume.fill();
      Files.delete(marker("run.beforePipeline"));
      CliProcess.Result full = run.await();
      assertThat(full.toString(), full.exitCode(), is(1));
      assertThat(full.lastLine(), startsWith("intake: run failed: the pipeline failed: "));
      assertThat(full.lastLine(), containsString("No space left on device"));
      volume.free();
      assertThat(warehouseRows(), equalTo(before));
      assertThat(lakeRows(), equalTo(lakeBefore));

      loadOk("overlap_b.csv", "rerun");
      assertFinalStateOfAThenB();
    }
  }

  @Test
  void aFullVolumeBeforeTheCommitIsFoundBeforeAnythingIsPublished() throws Exception {
    try (SmallVolume volume = SmallVolume.mount(tmp.resolve("volume"), 64)) {
      lakeRoot = volume.dir.resolve("lake");
      db = new Warehouses(Kind.DUCKDB, lakeRoot);
      loadOk("overlap_a.csv", "a");
      List<String> before = warehouseRows();
      List<String> lakeBefore = lakeRows();

      CliProcess run = startPaused("run.beforeCommit", "overlap_b.csv", "full");
      run.awaitFile(marker("run.beforeCommit"));
      volume.fill();
      Files.delete(marker("run.beforeCommit"));
      CliProcess.Result full = run.await();
      assertThat(full.toString(), full.exitCode(), is(1));
      assertThat(full.lastLine(), matchesPattern(Pattern.quote("intake: run failed: the commit did"
          + " not start (not enough free space on tmpfs (" + lakeRoot + "): the commit needs"
          + " about ")
          + "[0-9.]+ MB, 0\\.0 MB are free\\); nothing was changed; run intake again once that is"
          + " fixed"));
      volume.free();
      assertThat(warehouseRows(), equalTo(before));
      assertThat(lakeRows(), equalTo(lakeBefore));

      loadOk("overlap_b.csv", "rerun");
      assertFinalStateOfAThenB();
    }
  }

  @Test
  void aFullVolumeAfterTheSwapExitsThreeNamingTheCauseAndTheNextRunCompletesIt()
      throws Exception {
    try (SmallVolume volume = SmallVolume.mount(tmp.resolve("volume"), 64)) {
      lakeRoot = volume.dir.resolve("lake");
      db = new Warehouses(Kind.DUCKDB, lakeRoot);
      loadOk("overlap_a.csv", "a");
      List<String> before = warehouseRows();

      CliProcess run = startPaused("commit.afterLakeSwap", "overlap_b.csv", "full");
      run.awaitFile(marker("commit.afterLakeSwap"));
      volume.fill();
      Files.delete(marker("commit.afterLakeSwap"));
      CliProcess.Result full = run.await();
      assertThat(full.toString(), full.exitCode(), is(3));
      assertThat(full.lastLine(), startsWith("intake: commit incomplete: the commit of run full is"
          + " incomplete ("));
      assertThat(full.lastLine(), containsString("No space left on device"));
      assertThat(full.lastLine(), containsString("the next run of the dataset completes it"));
      assertThat(full.lastLine(), not(containsString("no transaction is active")));
      volume.free();
      assertThat(lakeRows(), equalTo(TestData.expected("overlap_final.tsv")));
      assertThat(warehouseRows(), equalTo(before));

      Cli rerun = load("overlap_b.csv", "rerun");
      assertThat(rerun.toString(), rerun.exitCode, is(0));
      assertThat(rerun.err,
          containsString("intake: completing the interrupted commit of run full"));
      assertFinalStateOfAThenB();
      assertThat(db.query("SELECT run_id, status FROM " + db.raw("intake_runs")
          + " ORDER BY run_id"), contains("a\tsucceeded", "full\tsucceeded", "rerun\tsucceeded"));
    }
  }

  @Test
  void anUnreachableDatabaseIsAnOutageReportedWithTheTimeSpent() {
    db = new Warehouses(Kind.POSTGRES, lake().root);
    Cli cli = Cli.run("run", "--dataset=sf311", "--inputFile=" + TestData.file("overlap_a.csv"),
        "--lakePath=" + lake().root, "--jdbcUrl=jdbc:postgresql://127.0.0.1:1/test");
    assertThat(cli.toString(), cli.exitCode, is(1));
    assertThat(cli.errorLines().get(cli.errorLines().size() - 1), matchesPattern(Pattern.quote(
        "intake: run failed: cannot connect to the warehouse jdbc:postgresql://127.0.0.1:1/test: ")
        + ".*Connection refused.* \\(\\d+ attempt\\(s\\) in [0-9]\\.\\d s\\)"));
  }

  @Test
  void anUnreachableApiIsAnOutageNotBadUsage() {
    db = new Warehouses(Kind.DUCKDB, lake().root);
    Cli cli = Cli.run("run", "--dataset=sf311", "--from=2021-07-01", "--to=2021-07-02",
        "--apiBaseUrl=http://127.0.0.1:1", "--lakePath=" + lake().root);
    assertThat(cli.toString(), cli.exitCode, is(1));
    // With the default retries: a refused connection is retried three times, in a few seconds.
    assertThat(cli.toString(), containsString("(the connection was refused each time)"));
    assertThat(cli.errorLines().get(cli.errorLines().size() - 1), matchesPattern(Pattern.quote(
        "intake: run failed: the API could not be reached: ") + ".*127\\.0\\.0\\.1:1.*"
        + Pattern.quote(" (gave up after ") + "[0-9.]+ s\\); nothing was changed"));
    assertThat(Files.exists(lake().root), is(false));
  }
}
