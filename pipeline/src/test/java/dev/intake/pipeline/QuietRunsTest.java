package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.Lake;
import dev.intake.pipeline.testing.TestData;
import dev.intake.pipeline.testing.Warehouses;
import dev.intake.pipeline.testing.Warehouses.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run whose input holds no records (an incremental run when nothing changed) commits its zero
 * counts without starting a pipeline, and changes no row of the lake or the warehouse; when the run
 * must still rewrite stored rows (here --recomputeAll), the pipeline runs.
 */
class QuietRunsTest {
  private static final String HEADER = "CaseID,Opened,Closed,Updated,Status,Status Notes\n";

  @TempDir Path tmp;
  private Warehouses db;

  @AfterEach
  void dropSchema() throws Exception {
    if (db != null) {
      db.dropSchema();
    }
  }

  private Lake lake() {
    return new Lake(tmp.resolve("lake"));
  }

  private Cli load(String input, String runId, String... more) {
    List<String> args = new ArrayList<>(List.of("run", "--dataset=sf311", "--inputFile=" + input,
        "--lakePath=" + lake().root, "--runId=" + runId));
    args.addAll(db.options());
    args.addAll(List.of(more));
    Cli cli = Cli.run(args.toArray(new String[0]));
    assertThat(cli.toString(), cli.exitCode, is(0));
    return cli;
  }

  /** Every data file of the lake (clean rows, aggregates, dead letters) by path, as an md5. */
  private Map<String, String> dataFiles() throws Exception {
    Map<String, String> out = new TreeMap<>();
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    for (String f : lake().files()) {
      if (!f.startsWith("runs/") && !f.startsWith("schemas/")) {
        out.put(f, HexFormat.of().formatHex(md5.digest(Files.readAllBytes(lake().root.resolve(f)))));
      }
    }
    return out;
  }

  private List<String> warehouseTables() throws Exception {
    List<String> rows = new ArrayList<>();
    rows.addAll(db.query("SELECT * FROM " + db.table("sf311") + " ORDER BY service_request_id"));
    rows.addAll(db.query("SELECT * FROM " + db.table("sf311_daily") + " ORDER BY 1, 2, 3"));
    rows.addAll(db.query("SELECT * FROM " + db.table("sf311_monthly_by_source") + " ORDER BY 1"));
    rows.addAll(db.query("SELECT count(*) FROM " + db.raw("sf311_deadletter")));
    return rows;
  }

  private String watermark() throws Exception {
    return db.query("SELECT " + db.iso("watermark") + " FROM " + db.raw("intake_state")
        + " WHERE dataset = 'sf311'").get(0);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anInputWithoutRecordsCommitsZeroCountsWithoutAPipelineAndChangesNoRow(Kind kind)
      throws Exception {
    db = new Warehouses(kind, lake().root);
    load(TestData.file("overlap_a.csv"), "a");
    List<String> lakeRows = lake().query("SELECT * FROM " + lake().clean() + " ORDER BY 1");
    Map<String, String> files = dataFiles();
    List<String> tables = warehouseTables();
    assertThat(watermark(), is("2021-02-02T17:00:00Z"));

    Path headerOnly = Files.writeString(tmp.resolve("changes.csv"), HEADER);
    Cli quiet = load(headerOnly.toString(), "quiet", "--allowEmptyInput");
    assertThat(quiet.err, containsString(
        "intake: the input holds no records: committing zero counts without a pipeline"));
    assertThat(quiet.out, startsWith("intake sf311 run quiet: succeeded in "));
    assertThat(quiet.out, containsString(" on no runner (the input holds no records)\n"
        + "  read 0 = written 0 + superseded 0 + rejected 0\n"));

    RunSummary s = lake().summary("quiet");
    assertThat(s.status, is("succeeded"));
    assertThat(List.of(s.read, s.written, s.superseded, s.rejected, s.replacedStored,
        s.carriedOver), contains(0L, 0L, 0L, 0L, 0L, 0L));
    assertThat(s.partitions, empty());
    assertThat(s.outputs.toString(), is("{clean=0, aggregate:daily=0,"
        + " aggregate:monthly_by_source=0, deadletter=0}"));
    assertThat(s.watermark, is((String) null));
    assertThat(s.watermarkBefore, is("2021-02-02T17:00:00Z"));
    assertThat(s.warnings, contains(headerOnly + " has a header row and no records"));
    assertThat(s.stageSeconds.keySet(), contains("plan", "pipeline", "check"));

    // Nothing moved: the same rows and the same bytes in the lake, the same rows in the warehouse.
    assertThat(lake().query("SELECT * FROM " + lake().clean() + " ORDER BY 1"), equalTo(lakeRows));
    assertThat(dataFiles(), equalTo(files));
    assertThat(warehouseTables(), equalTo(tables));
    assertThat(watermark(), is("2021-02-02T17:00:00Z"));
    // ...and the run is in the ledger, its report and the index, with nothing staged left over.
    assertThat(db.query("SELECT run_id, status, read, written, superseded, rejected FROM "
            + db.raw("intake_runs") + " ORDER BY started_at"),
        contains("a\tsucceeded\t5\t5\t0\t0", "quiet\tsucceeded\t0\t0\t0\t0"));
    assertThat(Files.exists(lake().root.resolve("runs/sf311/quiet.html")), is(true));
    assertThat(Files.readString(lake().root.resolve("runs/sf311/index.html")),
        containsString("data-run=\"quiet\""));
    assertThat(Files.exists(lake().root.resolve("_staging")), is(false));
    if (kind == Kind.POSTGRES) {
      assertThat(db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
          + db.schema + "_raw' AND table_name LIKE '\\_stage%'"), empty());
    }

    // The next run with records loads them as it would have without the quiet run.
    load(TestData.file("overlap_b.csv"), "b");
    assertThat(watermark(), is("2021-03-02T07:30:00Z"));
    assertThat(lake().summary("b").written, is(4L));
  }

  @Test
  void anInputWithoutRecordsStillRunsThePipelineWhenStoredRowsAreRewritten() throws Exception {
    db = new Warehouses(Kind.DUCKDB, lake().root);
    load(TestData.file("overlap_a.csv"), "a");
    List<String> lakeRows = lake().query("SELECT * EXCLUDE (data_loaded_at) FROM "
        + lake().clean() + " ORDER BY 1");
    Path headerOnly = Files.writeString(tmp.resolve("changes.csv"), HEADER);
    Cli recompute = load(headerOnly.toString(), "recompute", "--allowEmptyInput",
        "--recomputeAll");
    assertThat(recompute.err, not(containsString("without a pipeline")));
    RunSummary s = lake().summary("recompute");
    assertThat(s.runner, startsWith("FlinkRunner"));
    assertThat(s.read, is(0L));
    assertThat(s.carriedOver, is(5L));
    assertThat(s.partitions, is(lake().summary("a").partitions));
    assertThat(lake().query("SELECT * EXCLUDE (data_loaded_at) FROM " + lake().clean()
        + " ORDER BY 1"), equalTo(lakeRows));
  }
}
