package dev.intake.pipeline.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.Warehouses;
import dev.intake.transforms.sinks.warehouse.RunLock;
import dev.intake.transforms.sinks.warehouse.RunRecord;
import dev.intake.transforms.sinks.warehouse.Warehouse;
import dev.intake.transforms.sinks.warehouse.WarehouseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code intake runs} and {@code intake status} against the real warehouses (DuckDB beside the
 * lake, PostgreSQL at 127.0.0.1), whose history is written by the warehouse's own recording code:
 * the tables, the reasons, the lock and the exit codes.
 */
class HistoryCommandsTest {
  @TempDir Path tmp;
  private Warehouses warehouses;

  @AfterEach
  void drop() throws Exception {
    if (warehouses != null) {
      warehouses.dropSchema();
    }
  }

  private static RunRecord run(String id, String dataset, String status, String started,
      String finished, long read, long written, long rejected, String watermark, String error) {
    RunRecord r = new RunRecord();
    r.runId = id;
    r.dataset = dataset;
    r.mode = "backfill";
    r.status = status;
    r.startedAt = started;
    r.finishedAt = finished;
    r.read = read;
    r.written = written;
    r.superseded = read - written - rejected;
    r.rejected = rejected;
    r.watermark = watermark;
    r.error = error;
    r.summary = "{}";
    return r;
  }

  private WarehouseConfig config() {
    if (warehouses.kind == Warehouses.Kind.POSTGRES) {
      return WarehouseConfig.of(Warehouses.POSTGRES_URL).withUser("postgres")
          .withSchema(warehouses.schema);
    }
    return WarehouseConfig.of("jdbc:duckdb:" + warehouses.lake + ".duckdb");
  }

  /** Two sf311 runs (one succeeded, then one refused) and a newer crunchbase run. */
  private void seed(Warehouses.Kind kind) throws Exception {
    warehouses = new Warehouses(kind, tmp.resolve("lake"));
    Files.createDirectories(tmp);
    try (Warehouse w = Warehouse.connect(config())) {
      w.prepare(List.of(), "seed");
      w.recordRun(run("run-a", "sf311", "succeeded", "2026-12-01T10:00:00Z",
          "2026-12-01T10:00:12.500Z", 1000, 990, 5, "2021-07-12T01:00:00Z", null));
      w.recordRun(run("run-b", "sf311", "refused", "2026-12-02T10:00:00Z",
          "2026-12-02T10:00:03Z", 40, 0, 20, null,
          "the rejected share 0.5 is above --maxRejectedRatio=0.05; nothing was committed"));
      w.recordRun(run("run-x", "crunchbase_organizations", "succeeded", "2026-12-03T10:00:00Z",
          "2026-12-03T10:01:00Z", 7, 7, 0, null, null));
    }
    try (Connection c = warehouses.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO " + warehouses.raw("intake_state") + " (dataset, watermark,"
          + " last_run_id) VALUES ('sf311', TIMESTAMPTZ '2021-07-12 01:00:00+00', 'run-a')");
    }
  }

  private Cli cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--lakePath=" + tmp.resolve("lake"));
    all.addAll(warehouses.options());
    return Cli.run(all.toArray(String[]::new));
  }

  @ParameterizedTest
  @EnumSource(Warehouses.Kind.class)
  void runsListsTheHistoryNewestFirstWithItsFiguresAndReasons(Warehouses.Kind kind)
      throws Exception {
    seed(kind);
    Cli runs = cli("runs", "--dataset=sf311");
    assertThat(runs.toString(), runs.exitCode, is(0));
    List<String> lines = runs.out.lines().map(String::strip).toList();
    assertThat(lines.get(0).split("\\s{2,}"), equalTo(new String[] {"RUN ID", "DATASET", "MODE",
        "STATUS", "STARTED", "DURATION", "READ", "WRITTEN", "REJECTED", "WATERMARK"}));
    assertThat(lines.get(1).split("\\s{2,}"), equalTo(new String[] {"run-b", "sf311", "backfill",
        "refused", "2026-12-02 10:00:00Z", "3.0 s", "40", "0", "20"}));
    assertThat(lines.get(2).split("\\s{2,}"), equalTo(new String[] {"run-a", "sf311", "backfill",
        "succeeded", "2026-12-01 10:00:00Z", "12.5 s", "1,000", "990", "5",
        "2021-07-12 01:00:00Z"}));
    assertThat(lines.get(3), is("run-b refused: the rejected share 0.5 is above"
        + " --maxRejectedRatio=0.05; nothing was committed"));
    assertThat(lines.size(), is(4));

    Cli lastTwo = cli("runs", "--last=2");
    assertThat(lastTwo.out.lines().skip(1).map(l -> l.split(" ")[0]).toList(),
        contains("run-x", "run-b", "run-b"));

    Cli json = cli("runs", "--dataset=sf311", "--format=json");
    JsonNode list = new ObjectMapper().readTree(json.out);
    assertThat(list.size(), is(2));
    assertThat(list.get(1).get("runId").asText(), is("run-a"));
    assertThat(list.get(1).get("durationSeconds").asDouble(), is(12.5));
    assertThat(list.get(1).get("superseded").asLong(), is(5L));
    assertThat(list.get(1).get("watermark").asText(), is("2021-07-12T01:00:00Z"));
    assertThat(list.get(0).get("error").asText(), containsString("rejected share 0.5"));
  }

  @ParameterizedTest
  @EnumSource(Warehouses.Kind.class)
  void statusShowsWatermarkLastSuccessLastFailureAndTheLock(Warehouses.Kind kind)
      throws Exception {
    seed(kind);
    Cli status = cli("status", "--dataset=sf311");
    assertThat("the newest run was refused", status.exitCode, is(1));
    assertThat(status.out, containsString("watermark       2021-07-12T01:00:00Z\n"));
    assertThat(status.out, containsString("last success    run-a (succeeded, backfill, started"
        + " 2026-12-01T10:00:00Z, 12.5 s, read 1000, written 990, rejected 5)\n"));
    assertThat(status.out, containsString("last failure    run-b (refused, backfill, started"
        + " 2026-12-02T10:00:00Z, 3.0 s, read 40, written 0, rejected 20): the rejected share 0.5"
        + " is above --maxRejectedRatio=0.05; nothing was committed\n"));
    assertThat(status.out, containsString("lock            free\n"));
    assertThat(status.out, containsString("pending commit  none\n"));

    try (RunLock lock = RunLock.acquire(config(), "sf311", "run-c", Duration.ofSeconds(120),
        line -> {})) {
      Cli held = cli("status", "--dataset=sf311", "--format=json");
      JsonNode node = new ObjectMapper().readTree(held.out);
      assertThat(node.get("lock").get("runId").asText(), is("run-c"));
      assertThat(node.get("lock").get("pid").asLong(), is(ProcessHandle.current().pid()));
      assertThat(node.get("lastFailure").get("runId").asText(), is("run-b"));
      assertThat(node.get("watermark").asText(), is("2021-07-12T01:00:00Z"));
    }

    Cli crunchbase = cli("status", "--dataset=crunchbase_organizations");
    assertThat(crunchbase.toString(), crunchbase.exitCode, is(0));
    assertThat(crunchbase.out, containsString("last failure    none\n"));
    assertThat(crunchbase.out, containsString("watermark       none (no committed run yet)\n"));
  }

  @Test
  void aCommitLeftIncompleteInTheLakeIsExitThree() throws Exception {
    seed(Warehouses.Kind.DUCKDB);
    Path journal = tmp.resolve("lake/_staging/sf311/run-d/_COMMIT.json");
    Files.createDirectories(journal.getParent());
    Files.writeString(journal, "{}");
    Cli status = cli("status", "--dataset=sf311");
    assertThat(status.toString(), status.exitCode, is(3));
    assertThat(status.out, containsString("pending commit  run(s) run-d: the commit is incomplete;"
        + " the next run of sf311 completes it"));
  }

  @Test
  void aWarehouseWhereNothingRanIsEmptyAndIsNotCreated() {
    warehouses = new Warehouses(Warehouses.Kind.DUCKDB, tmp.resolve("lake"));
    Cli runs = cli("runs");
    assertThat(runs.toString(), runs.exitCode, is(0));
    assertThat(runs.out, containsString("no runs recorded in jdbc:duckdb:" + tmp.resolve("lake")
        + ".duckdb (the database file " + tmp.resolve("lake") + ".duckdb does not exist)"));
    Cli status = cli("status", "--dataset=sf311");
    assertThat(status.toString(), status.exitCode, is(0));
    assertThat(status.out, containsString("last success    none"));
    assertThat(Files.exists(tmp.resolve("lake.duckdb")), is(false));
  }

  @Test
  void badUsageIsExitTwoAndAnUnreachableWarehouseExitOne() {
    warehouses = new Warehouses(Warehouses.Kind.DUCKDB, tmp.resolve("lake"));
    assertError(cli("runs", "--last=0"), 2, "--last=0 must be a whole number > 0");
    assertError(cli("runs", "--inputFile=x.csv"), 2,
        "unknown option --inputFile for intake runs (intake runs --help lists its options)");
    assertError(cli("runs", "--format=xml"), 2, "--format=xml must be text or json");
    assertError(cli("status"), 2, "intake status needs --dataset (e.g. --dataset=sf311)");
    assertError(Cli.run("runs", "--jdbcUrl=jdbc:postgresql://127.0.0.1:5432/no_such_db_here",
        "--jdbcUser=postgres"), 2, "cannot read the warehouse jdbc:postgresql://127.0.0.1:5432/"
        + "no_such_db_here: FATAL: database \"no_such_db_here\" does not exist");
    // Port 9 (discard): nothing listens, the connection is refused.
    assertError(Cli.run("status", "--dataset=sf311",
        "--jdbcUrl=jdbc:postgresql://127.0.0.1:9/test"), 1,
        "cannot read the warehouse jdbc:postgresql://127.0.0.1:9/test: ");
  }

  private static void assertError(Cli cli, int code, String line) {
    assertThat(cli.toString(), cli.exitCode, is(code));
    assertThat(cli.toString(), cli.errorLines().size(), is(1));
    assertThat(cli.errorLines().get(0), containsString(line));
    assertThat(cli.err, not(containsString("\tat ")));
  }
}
