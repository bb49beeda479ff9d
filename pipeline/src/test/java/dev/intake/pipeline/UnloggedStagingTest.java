package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.TestData;
import dev.intake.pipeline.testing.Warehouses;
import dev.intake.pipeline.testing.Warehouses.Kind;
import dev.intake.transforms.model.FailPoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A database crash between a run's commit journal and its warehouse transaction: PostgreSQL empties
 * UNLOGGED tables when it recovers, which the tests do with TRUNCATE (the observable effect; the
 * shared server cannot be crashed). The next run must complete that commit with all of the run's
 * rows, reloaded from the run's published Parquet files, or stop (exit 3) naming what is missing;
 * never commit a warehouse that lacks rows the lake has. Real PostgreSQL and DuckDB.
 */
class UnloggedStagingTest extends LakeAndWarehouseTest {
  private Cli load(Path file, String runId) {
    // The DirectRunner: these runs are a few rows, and its start is the cheapest.
    return Cli.run(runArgs(file.toString(), runId, "--runner=DirectRunner",
        "--maxRejectedRatio=0.5").toArray(new String[0]));
  }

  private void loadOk(Path file, String runId) {
    Cli cli = load(file, runId);
    assertThat(cli.toString(), cli.exitCode, is(0));
  }

  /**
   * Loads overlap_a.csv, then crashes run "crashed" (overlap_b.csv and one record that is a dead
   * letter) after its partition swap, before its warehouse transaction.
   */
  private void crashAfterTheJournal() throws Exception {
    loadOk(Path.of(TestData.file("overlap_a.csv")), "a");
    List<String> b = Files.readAllLines(Path.of(TestData.file("overlap_b.csv")));
    b.add("208,not a date" + b.get(1).substring(b.get(1).indexOf(',', 4)));
    Path withReject = tmp.resolve("overlap_b_and_a_reject.csv");
    Files.write(withReject, b);
    System.setProperty(FailPoints.PROPERTY, "commit.afterLakeSwap");
    Cli crashed = load(withReject, "crashed");
    System.clearProperty(FailPoints.PROPERTY);
    assertThat(crashed.toString(), crashed.exitCode, is(3));
  }

  /** Empties every staging table of run "crashed", as PostgreSQL's crash recovery does. */
  private List<String> emptyStagingOfCrashedRun() throws Exception {
    List<String> staging = db.query("SELECT table_name FROM information_schema.tables WHERE"
        + " table_schema = '" + db.schema + "_raw' AND table_name LIKE '\\_stage\\_%\\_crashed'");
    for (String t : staging) {
      db.execute("TRUNCATE " + db.raw(t));
    }
    return staging;
  }

  /** A run of one row that run "a" already committed: it touches only January's partition. */
  private Path quietRunOfJanuary() throws Exception {
    List<String> a = Files.readAllLines(Path.of(TestData.file("overlap_a.csv")));
    Path file = tmp.resolve("january.csv");
    Files.write(file, List.of(a.get(0), a.get(1)));
    return file;
  }

  @Test
  void stagingEmptiedByACrashAfterTheJournalIsReloadedFromTheRunsFiles() throws Exception {
    db = new Warehouses(Kind.POSTGRES, lake().root, "pgguard");
    crashAfterTheJournal();
    assertThat(emptyStagingOfCrashedRun(), containsInAnyOrder("_stage_sf311_daily_crashed",
        "_stage_sf311_deadletter_crashed", "_stage_sf311_crashed",
        "_stage_sf311_monthly_by_source_crashed", "_stage_sf311_tombstones_crashed"));

    Cli next = load(quietRunOfJanuary(), "next");
    assertThat(next.toString(), next.exitCode, is(0));
    List<String> expected = TestData.expected("overlap_final.tsv");
    assertThat(lakeRows(), equalTo(expected));
    assertThat(warehouseRows(), equalTo(expected));
    String daily = "SELECT day, service_name, analysis_neighborhood, opened, closed FROM ";
    assertThat(sorted(db.query(daily + db.table("sf311_daily"))),
        equalTo(sorted(lake().query(daily + lake().aggregates()))));
    assertThat(sorted(db.query("SELECT " + FullLoadTest.MONTHLY_BY_SOURCE_COLUMNS + " FROM "
            + db.table("sf311_monthly_by_source"))),
        equalTo(sorted(FullLoadTest.monthlyBySourceOfCleanRows(lake()))));
    assertThat(db.query("SELECT run_id, line, reason_code FROM " + db.raw("sf311_deadletter")),
        contains("crashed\t6\t" + lake().query("SELECT reason_code FROM "
            + lake().deadLetters()).get(0)));
    // The dead-letter table was still empty (run "a" had none): it is loaded from the run's files
    // without staging, as a first load is, so only the other three are reloaded.
    assertThat(next.errorLines(), hasItem("intake: run crashed: staging held fewer rows than the"
        + " run wrote (PostgreSQL empties unlogged tables when it recovers from a crash);"
        + " reloaded from the run's published Parquet files: sf311 4 rows (held 0) from 2 file(s),"
        + " sf311_daily 4 rows (held 0) from 2 file(s), sf311_monthly_by_source 2 rows (held 0)"
        + " from 2 file(s)"));
    // The completed run's report, written by the next run, shows its dead letter read back.
    assertThat(Files.readString(lake().root.resolve("runs/sf311/crashed.html")),
        containsString("208,not a date"));
    assertThat(db.query("SELECT run_id, status FROM " + db.raw("intake_runs") + " ORDER BY 1"),
        contains("a\tsucceeded", "crashed\tsucceeded", "next\tsucceeded"));
    assertThat(db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
        + db.schema + "_raw' AND table_name LIKE '\\_stage%'"), empty());
  }

  @Test
  void stagingThatCannotBeRestoredLeavesTheCommitIncompleteAndNamesRunTableAndCounts()
      throws Exception {
    db = new Warehouses(Kind.POSTGRES, lake().root, "pgguard");
    crashAfterTheJournal();
    List<String> rowsBefore = warehouseRows();
    emptyStagingOfCrashedRun();
    Path march = lake().root.resolve("clean/sf311/requested_month=2021-03/part-00000.parquet");
    Files.delete(march);

    Cli next = load(quietRunOfJanuary(), "next");
    assertThat(next.toString(), next.exitCode, is(3));
    List<String> lines = next.errorLines();
    assertThat(lines.get(lines.size() - 1), matchesPattern(Pattern.quote(
        "intake: commit incomplete: the commit of the interrupted run crashed is incomplete (run"
            + " crashed: staging table " + db.schema + "_raw._stage_sf311_crashed holds 0 of the 4"
            + " rows the run wrote, and its published Parquet files hold only 3 (files missing: 1"
            + " of 2, e.g. ") + ".*" + Pattern.quote(
                "requested_month=2021-03/part-00000.parquet); the warehouse was not changed);")
        + ".*"));
    assertThat(warehouseRows(), equalTo(rowsBefore));
    assertThat(db.query("SELECT run_id FROM " + db.raw("intake_runs")), contains("a"));
    assertThat(Files.exists(lake().root.resolve("_staging/sf311/crashed/_COMMIT.json")), is(true));
  }

  @Test
  void duckDbReadsTheRunsFilesAtCommitAndStopsWhenOneIsGone() throws Exception {
    db = new Warehouses(Kind.DUCKDB, lake().root);
    crashAfterTheJournal();
    List<String> rowsBefore = warehouseRows();
    Files.delete(lake().root.resolve("clean/sf311/requested_month=2021-03/part-00000.parquet"));

    Cli next = load(quietRunOfJanuary(), "next");
    assertThat(next.toString(), next.exitCode, is(3));
    List<String> lines = next.errorLines();
    assertThat(lines.get(lines.size() - 1), matchesPattern(Pattern.quote(
        "intake: commit incomplete: the commit of the interrupted run crashed is incomplete (run"
            + " crashed: the published Parquet files of sf311 hold 3 of the 4 rows the run wrote"
            + " (files missing: 1 of 2, e.g. ") + ".*"));
    assertThat(warehouseRows(), equalTo(rowsBefore));
  }
}
