package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.Lake;
import dev.intake.pipeline.testing.Pushgateway;
import dev.intake.pipeline.testing.TestData;
import dev.intake.pipeline.testing.Warehouses;
import dev.intake.pipeline.testing.WebhookServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quality gates, the alert webhook and the metrics push through the real entry point: four small
 * runs of sf311 into one lake (DuckDB warehouse), each with the gates of its spec, posting to a
 * webhook receiver on 127.0.0.1 and pushing to a real Pushgateway. Gates fire and do not fire,
 * warn and fail; a failing gate leaves the lake and the warehouse as they were.
 */
class GatesRunsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEAD_WEBHOOK = System.getenv("INTAKE_TEST_DEAD_WEBHOOK");

  @TempDir Path tmp;

  /** The bundled sf311 spec with {@code gates} appended, as a file named {@code name}.yaml. */
  private Path spec(String name, String gates) throws Exception {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("specs/sf311.yaml")) {
      Path spec = tmp.resolve(name + ".yaml");
      Files.writeString(spec, new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replaceFirst("(?m)^gates:[\\s\\S]*?(?=^\\S|\\z)", "") + "\ngates:\n" + gates);
      return spec;
    }
  }

  private static Cli run(Path spec, Lake lake, String file, String runId, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "--dataset=" + spec,
        "--inputFile=" + TestData.file(file), "--lakePath=" + lake.root, "--runId=" + runId,
        "--runner=DirectRunner"));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(new String[0]));
  }

  private static Map<String, RunSummary.GateResult> gates(RunSummary s) {
    Map<String, RunSummary.GateResult> out = new java.util.LinkedHashMap<>();
    s.gates.forEach(g -> out.put(g.name, g));
    return out;
  }

  /** name, action, breached and figure of a gate, as one line. */
  private static String line(RunSummary.GateResult g) {
    return g.name + " " + g.kind + " " + g.action + " " + g.breached + " " + g.figure;
  }

  @Test
  void gatesWarnOrFailBeforeTheCommitAlertTheWebhookAndPushMetrics() throws Exception {
    Lake lake = new Lake(tmp.resolve("lake"));
    Warehouses db = new Warehouses(Warehouses.Kind.DUCKDB, lake.root);
    String common = """
          - {kind: nullShare, column: service_request_id, max: 0, action: fail}
          - {kind: deletionShare, max: 0.01, action: fail}
        """;
    Path warn = spec("warn", common + """
          - {kind: nullShare, column: closed_date, max: 0.5, action: warn}
          - {kind: freshness, maxAge: P1D, action: warn}
          - {kind: rowCountDrop, maxDrop: 0.1, runs: 3, minRuns: 1, action: fail}
        """);
    try (WebhookServer hook = new WebhookServer().answering(500);
        Pushgateway gateway = new Pushgateway(tmp.resolve("pushgateway.log"))) {
      // a: two warnings (closed_date null in 4 of 5 rows, data from 2021), committed; the
      // webhook answers 500 once, so the alert is delivered on the second try.
      Cli a = run(warn, lake, "overlap_a.csv", "a", "--alertWebhook=" + hook.url(),
          "--metricsPushUrl=" + gateway.url());
      assertThat(a.toString(), a.exitCode, is(0));
      assertThat(a.toString(), a.err, not(containsString("alert webhook")));
      RunSummary sa = lake.summary("a");
      assertThat(sa.status, is("succeeded"));
      assertThat(sa.watermarkBefore, nullValue());
      assertThat(List.copyOf(sa.stageSeconds.keySet()), contains("plan", "pipeline", "check"));
      assertThat(sa.rowsPerDay, equalTo(Map.of("2021-01-10", 2L, "2021-01-11", 1L,
          "2021-02-01", 1L, "2021-02-02", 1L)));
      assertThat(List.copyOf(sa.rowsPerDay.keySet()),
          contains("2021-01-10", "2021-01-11", "2021-02-01", "2021-02-02"));
      assertThat(sa.freshness.newest, is("2021-02-02T17:00:00Z"));
      assertThat(sa.freshness.ageSeconds > 3L * 365 * 86400, is(true));
      assertThat(sa.columns.get(0).name, is("service_request_id"));
      assertThat(profile(sa, "service_request_id"), is("5 0 0.0 5 false"));
      assertThat(profile(sa, "closed_date"), is("5 4 0.8 1 false"));
      assertThat(profile(sa, "status_description"), is("5 0 0.0 2 false"));
      assertThat(profile(sa, "media_url"), is("absent"));
      Map<String, RunSummary.GateResult> ga = gates(sa);
      assertThat(ga.values().stream().map(GatesRunsTest::line).toList(), contains(
          "maxRejectedRatio rejectedShare fail false 0.0",
          "nullShare:service_request_id nullShare fail false 0.0",
          "deletionShare deletionShare fail false 0.0",
          "nullShare:closed_date nullShare warn true 0.8",
          "freshness freshness warn true " + ga.get("freshness").figure,
          "rowCountDrop rowCountDrop fail false null"));
      assertThat(ga.get("rowCountDrop").detail,
          is("0 earlier successful run(s), 1 needed: not checked (written 5)"));
      assertThat(ga.get("nullShare:closed_date").detail,
          is("closed_date is null in 4 of 5 rows written (80.0%), more than 50.0%"));
      assertThat(ga.get("freshness").bound, is(86400.0));
      assertThat(a.out, containsString("gate freshness breached (warn): the newest version"
          + " written (2021-02-02T17:00:00Z) is "));
      // The first try was answered 500; a busy machine may also let a try time out (10 s).
      List<String> tries = hook.bodies();
      assertThat(tries.size() >= 2, is(true));
      assertThat(Set.copyOf(tries), hasSize(1));
      JsonNode posted = JSON.readTree(tries.get(0));
      assertThat(posted.get("status").asText(), is("succeeded"));
      assertThat(posted.get("runId").asText(), is("a"));
      assertThat(posted.get("dataset").asText(), is("sf311"));
      assertThat(posted.get("counts").get("written").asLong(), is(5L));
      assertThat(posted.get("report").asText(), is(lake.root + "/runs/sf311/a.html"));
      assertThat(names(posted.get("gatesBreached")),
          contains("nullShare:closed_date", "freshness"));
      assertThat(posted.get("text").asText(), containsString(
          ":warning: intake sf311 run a committed with 2 breached gate(s)"));
      assertThat(gateway.value("intake_run_success", ""), is(1.0));
      assertThat(gateway.value("intake_run_rows", "count=\"written\""), is(5.0));
      assertThat(gateway.value("intake_run_rows", "count=\"read\""), is(5.0));
      assertThat(gateway.value("intake_run_gates_breached", ""), is(2.0));
      assertThat(gateway.value("intake_watermark_timestamp_seconds", ""), is(
          (double) java.time.Instant.parse("2021-02-02T17:00:00Z").getEpochSecond()));
      assertThat(gateway.value("intake_run_stage_seconds", "stage=\"pipeline\""),
          is(sa.stageSeconds.get("pipeline")));
      Double lastSuccess = gateway.value("intake_last_success_timestamp_seconds", "");

      // b: 4 rows written, 20% below the median of 5: the fail gate stops the run before its
      // commit; the lake and the warehouse are as a left them.
      List<String> cleanBefore = lake.query("SELECT * FROM " + lake.clean() + " ORDER BY 1");
      List<String> tableBefore = db.query("SELECT * FROM " + db.table("sf311") + " ORDER BY 1");
      Cli b = run(warn, lake, "overlap_b.csv", "b", "--alertWebhook=" + hook.url(),
          "--metricsPushUrl=" + gateway.url());
      assertThat(b.toString(), b.exitCode, is(1));
      assertThat(b.errorLines(), contains(
          containsString("intake: run b of sf311"),
          is("intake: run failed: quality gate rowCountDrop failed: written 4 is 20.0% below the"
              + " median 5 of the last 1 successful run(s), more than 10.0%; nothing was"
              + " committed")));
      assertThat(lake.query("SELECT * FROM " + lake.clean() + " ORDER BY 1"),
          equalTo(cleanBefore));
      assertThat(db.query("SELECT * FROM " + db.table("sf311") + " ORDER BY 1"),
          equalTo(tableBefore));
      assertThat(db.query("SELECT run_id, status, written FROM " + db.raw("intake_runs")
          + " ORDER BY run_id"), contains("a\tsucceeded\t5", "b\tfailed\t4"));
      RunSummary sb = lake.summary("b");
      assertThat(sb.status, is("failed"));
      assertThat(sb.error, startsWithGate());
      assertThat(sb.watermarkBefore, is("2021-02-02T17:00:00Z"));
      assertThat(hook.bodies(), hasSize(tries.size() + 1));
      JsonNode failed = JSON.readTree(hook.bodies().get(tries.size()));
      assertThat(failed.get("status").asText(), is("failed"));
      assertThat(failed.get("error").asText(), startsWithGate());
      assertThat(failed.get("text").asText(), containsString(":x: intake sf311 run b failed:"));
      assertThat(gateway.value("intake_run_success", ""), is(0.0));
      assertThat(gateway.value("intake_run_rows", "count=\"written\""), is(4.0));
      assertThat(gateway.value("intake_last_success_timestamp_seconds", ""), is(lastSuccess));
      assertThat(gateway.value("intake_last_failure_timestamp_seconds", "") != null, is(true));

      // c: the same drop only warns; the webhook cannot be reached (a secret URL from a
      // variable): one line says so, the run commits.
      Path warnOnly = spec("warnOnly", common + """
            - {kind: rowCountDrop, maxDrop: 0.1, runs: 3, minRuns: 1, action: warn}
          """);
      Cli c = run(warnOnly, lake, "overlap_b.csv", "c",
          "--alertWebhookEnv=INTAKE_TEST_DEAD_WEBHOOK");
      assertThat(c.toString(), c.exitCode, is(0));
      assertThat(c.errorLines(), contains(
          is("intake: removing the staged output of run b, which did not commit"),
          containsString("intake: run c of sf311"),
          is("intake: alert webhook: the alert was not delivered (ConnectException); the run's"
              + " outcome is unchanged")));
      assertThat(c.err, not(containsString("Exception:")));
      assertThat(c.err + c.out, not(containsString(DEAD_WEBHOOK)));
      assertThat(c.err + c.out, not(containsString("hook-secret")));
      RunSummary sc = lake.summary("c");
      assertThat(line(gates(sc).get("rowCountDrop")), is("rowCountDrop rowCountDrop warn true 0.2"));
      assertThat(Files.readString(lake.root.resolve("runs/sf311/c.json")),
          not(containsString("hook-secret")));
      assertThat(db.query("SELECT count(*) FROM " + db.raw("intake_runs")
          + " WHERE summary LIKE '%hook-secret%'"), contains("0"));

      // d: every gate passes (the drop compares records read, 5 against the median 4.5): the
      // webhook gets nothing.
      Path quiet = spec("quiet", common + """
            - {kind: nullShare, column: closed_date, max: 1, action: fail}
            - {kind: freshness, maxAge: P36500D, action: fail}
            - {kind: rowCountDrop, maxDrop: 0.1, count: read, runs: 3, minRuns: 2, action: fail}
          """);
      Cli d = run(quiet, lake, "overlap_a.csv", "d", "--alertWebhook=" + hook.url());
      assertThat(d.toString(), d.exitCode, is(0));
      RunSummary sd = lake.summary("d");
      assertThat(sd.breachedGates(), empty());
      assertThat(gates(sd).get("rowCountDrop").detail,
          is("read 5 is 0.0% below the median 4.5 of the last 2 successful run(s), within 10.0%"));
      assertThat(hook.bodies(), hasSize(tries.size() + 1));
    }
  }

  private static org.hamcrest.Matcher<String> startsWithGate() {
    return org.hamcrest.Matchers.startsWith("quality gate rowCountDrop failed: written 4 is 20.0%");
  }

  private static List<String> names(JsonNode gates) {
    List<String> out = new ArrayList<>();
    gates.forEach(g -> out.add(g.get("name").asText()));
    return out;
  }

  /** rows, nulls, nullShare, distinct and distinctApprox of a column's profile. */
  private static String profile(RunSummary s, String column) {
    for (RunSummary.ColumnProfile c : s.columns) {
      if (c.name.equals(column)) {
        return c.rows + " " + c.nulls + " " + c.nullShare + " " + c.distinct + " "
            + c.distinctApprox;
      }
    }
    return "absent";
  }
}
