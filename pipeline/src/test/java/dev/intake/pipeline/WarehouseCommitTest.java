package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.TestData;
import dev.intake.pipeline.testing.Warehouses;
import dev.intake.pipeline.testing.Warehouses.Kind;
import dev.intake.transforms.model.FailPoints;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The warehouse beside the lake and the run's all-or-nothing commit, against the real PostgreSQL
 * server and the embedded DuckDB default; the runs on the DirectRunner, a crash inside the
 * pipeline on embedded Flink.
 */
class WarehouseCommitTest extends LakeAndWarehouseTest {
  /**
   * A run on the DirectRunner, whose start costs least for a few rows: what these tests prove is
   * done by the commit, in the driver, the same on every runner. A failure inside the pipeline
   * is proven on embedded Flink, the default runner ({@link #crashes}).
   */
  private Cli load(String file, String runId) {
    return Cli.run(runArgs(TestData.file(file), runId, "--runner=DirectRunner")
        .toArray(new String[0]));
  }

  /** A run on embedded Flink, the default runner. */
  private Cli loadOnFlink(String file, String runId) {
    return Cli.run(runArgs(TestData.file(file), runId).toArray(new String[0]));
  }

  private void loadOk(String file, String runId) {
    Cli cli = load(file, runId);
    assertThat(cli.toString(), cli.exitCode, is(0));
  }

  private String watermark() throws Exception {
    List<String> rows = db.query("SELECT " + db.iso("watermark") + " FROM " + db.raw("intake_state")
        + " WHERE dataset = 'sf311'");
    return rows.isEmpty() ? null : rows.get(0);
  }

  private void assertWarehouseAggregatesMatchItsRows() throws Exception {
    String recomputed = "SELECT " + db.sanFranciscoDate("requested_datetime") + " AS day, service_name,"
        + " analysis_neighborhood, count(*) AS opened, count(closed_date) AS closed,"
        + " round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY hours_to_close) AS NUMERIC), 6) AS m,"
        + " round(CAST(percentile_cont(0.9) WITHIN GROUP (ORDER BY hours_to_close) AS NUMERIC), 6) AS p90"
        + " FROM " + db.table("sf311") + " GROUP BY 1, 2, 3";
    String stored = "SELECT day, service_name, analysis_neighborhood, opened, closed,"
        + " round(CAST(median_hours_to_close AS NUMERIC), 6), round(CAST(p90_hours_to_close AS NUMERIC), 6)"
        + " FROM " + db.table("sf311_daily");
    assertThat(db.query("(" + recomputed + ") EXCEPT (" + stored + ")"), empty());
    assertThat(db.query("(" + stored + ") EXCEPT (" + recomputed + ")"), empty());
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void overlappingBackfillsAndALateReplayLeaveTheNewestRowPerKey(Kind kind) throws Exception {
    db = new Warehouses(kind, lake().root);
    loadOk("overlap_a.csv", "a");
    loadOk("overlap_b.csv", "b");
    assertThat(watermark(), is("2021-03-02T07:30:00Z"));
    loadOk("overlap_old.csv", "old");

    List<String> expected = TestData.expected("overlap_final.tsv");
    assertThat(warehouseRows(), equalTo(expected));
    assertThat(lakeRows(), equalTo(expected));
    assertThat(watermark(), is("2021-03-02T07:30:00Z"));
    assertWarehouseAggregatesMatchItsRows();
    FullLoadTest.assertAggregatesMatchCleanRows(lake());
    // The pivoted aggregate's table holds what DuckDB recomputes from the lake's clean rows.
    assertThat(
        sorted(db.query("SELECT " + FullLoadTest.MONTHLY_BY_SOURCE_COLUMNS + " FROM "
            + db.table("sf311_monthly_by_source"))),
        equalTo(sorted(FullLoadTest.monthlyBySourceOfCleanRows(lake()))));
    assertThat(
        db.query("SELECT run_id, status, read, written, superseded, rejected FROM "
            + db.raw("intake_runs") + " ORDER BY started_at"),
        contains("a\tsucceeded\t5\t5\t0\t0", "b\tsucceeded\t4\t4\t0\t0",
            "old\tsucceeded\t3\t0\t3\t0"));
    RunSummary old = lake().summary("old");
    assertThat(old.read, is(old.written + old.superseded + old.rejected));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void theSameBackfillTwiceLeavesIdenticalTables(Kind kind) throws Exception {
    db = new Warehouses(kind, lake().root);
    loadOk("overlap_a.csv", "first");
    List<String> rows = db.query("SELECT * FROM " + db.table("sf311") + " ORDER BY 1");
    List<String> daily = db.query("SELECT * FROM " + db.table("sf311_daily") + " ORDER BY 1, 2, 3");
    List<String> lakeRows = lakeRows();
    String watermark = watermark();

    loadOk("overlap_a.csv", "second");
    assertThat(db.query("SELECT * FROM " + db.table("sf311") + " ORDER BY 1"), equalTo(rows));
    assertThat(db.query("SELECT * FROM " + db.table("sf311_daily") + " ORDER BY 1, 2, 3"), equalTo(daily));
    assertThat(lakeRows(), equalTo(lakeRows));
    assertThat(watermark(), is(watermark));
    assertThat(db.query("SELECT count(*) FROM " + db.raw("intake_runs")), contains("2"));
  }

  @Test
  void theLoadOrderDoesNotMatter() throws Exception {
    db = new Warehouses(Kind.POSTGRES, lake().root);
    loadOk("overlap_old.csv", "old");
    loadOk("overlap_b.csv", "b");
    loadOk("overlap_a.csv", "a");
    assertThat(warehouseRows(), equalTo(TestData.expected("overlap_final.tsv")));
    assertThat(lakeRows(), equalTo(TestData.expected("overlap_final.tsv")));
    assertThat(watermark(), is("2021-03-02T07:30:00Z"));
    assertWarehouseAggregatesMatchItsRows();
  }

  static Stream<Arguments> crashes() {
    return Stream.of(
        Arguments.of(Kind.POSTGRES, "parse"),
        Arguments.of(Kind.POSTGRES, "write.parquet"),
        Arguments.of(Kind.POSTGRES, "write.warehouse"),
        Arguments.of(Kind.POSTGRES, "commit.afterLakeSwap"),
        Arguments.of(Kind.POSTGRES, "commit.insideDb"),
        Arguments.of(Kind.DUCKDB, "write.parquet"),
        Arguments.of(Kind.DUCKDB, "commit.insideDb"));
  }

  @ParameterizedTest(name = "{0} crash at {1}")
  @MethodSource("crashes")
  void aCrashChangesNothingVisibleAndTheNextRunReachesTheExpectedState(Kind kind, String failPoint)
      throws Exception {
    db = new Warehouses(kind, lake().root);
    loadOk("overlap_a.csv", "a");
    List<String> rowsBefore = warehouseRows();
    List<String> lakeBefore = lakeRows();
    String watermarkBefore = watermark();

    boolean lakeSwapped = failPoint.startsWith("commit.");
    System.setProperty(FailPoints.PROPERTY, failPoint);
    // A crash inside the pipeline on the default runner, embedded Flink, which reports a failed
    // step its own way; a crash in the commit on the DirectRunner.
    Cli crashed = lakeSwapped
        ? load("overlap_b.csv", "crashed") : loadOnFlink("overlap_b.csv", "crashed");
    System.clearProperty(FailPoints.PROPERTY);
    // A failure after the partition swap is the commit left incomplete: exit 3, not 1.
    assertThat(crashed.toString(), crashed.exitCode, is(lakeSwapped ? 3 : 1));
    assertThat(crashed.errorLines().get(crashed.errorLines().size() - 1),
        startsWith(lakeSwapped ? "intake: commit incomplete: the commit of run crashed is"
            + " incomplete (" : "intake: run failed: "));
    assertThat(crashed.err, containsString("injected failure at " + failPoint));

    assertThat(warehouseRows(), equalTo(rowsBefore));
    assertThat(watermark(), is(watermarkBefore));
    List<String> expected = TestData.expected("overlap_final.tsv");
    assertThat(lakeRows(), equalTo(lakeSwapped ? expected : lakeBefore));

    loadOk("overlap_b.csv", "rerun");
    assertThat(warehouseRows(), equalTo(expected));
    assertThat(lakeRows(), equalTo(expected));
    assertThat(watermark(), is("2021-03-02T07:30:00Z"));
    assertWarehouseAggregatesMatchItsRows();
    FullLoadTest.assertAggregatesMatchCleanRows(lake());
    assertThat(Files.exists(lake().root.resolve("_staging")), is(false));
    if (kind == Kind.POSTGRES) {
      assertThat(db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
          + db.schema + "_raw' AND table_name LIKE '\\_stage%'"), empty());
    }
    // A crash inside the commit is completed by the next run, which records it as committed.
    assertThat(
        db.query("SELECT run_id, status FROM " + db.raw("intake_runs") + " WHERE run_id = 'crashed'"),
        contains("crashed\t" + (lakeSwapped ? "succeeded" : "failed")));
  }

  @Test
  void aTableThatDisagreesWithTheSpecStopsTheRunAndNamesTheColumns() throws Exception {
    db = new Warehouses(Kind.POSTGRES, lake().root);
    db.execute("CREATE SCHEMA " + db.schema);
    db.execute("CREATE TABLE " + db.table("sf311") + " (service_request_id TEXT PRIMARY KEY,"
        + " requested_datetime TIMESTAMPTZ, note TEXT)");
    Cli cli = load("overlap_a.csv", "clash");
    assertThat(cli.toString(), cli.exitCode, is(2));
    assertThat(cli.errorLines().get(cli.errorLines().size() - 1), startsWith(
        "intake: error: table " + db.schema + ".sf311 does not match the dataset spec: missing columns"
            + " [closed_date, updated_datetime, status_description, status_notes, agency_responsible,"
            + " service_name, service_subtype, service_details, address, street, supervisor_district,"
            + " neighborhoods_sffind_boundaries, analysis_neighborhood, police_district, lat, long,"
            + " source, socrata_updated_at, data_as_of, data_loaded_at, hours_to_close, is_open,"
            + " opened_hour, source_channel];"
            + " service_request_id is text where the spec says bigint;"
            + " columns not in the spec [note]"));
    assertThat(Files.exists(lake().root.resolve("clean")), is(false));
  }
}
