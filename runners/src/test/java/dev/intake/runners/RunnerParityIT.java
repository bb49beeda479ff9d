package dev.intake.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.runners.testing.FlinkCluster;
import dev.intake.runners.testing.IntakeJar;
import dev.intake.runners.testing.LakeTables;
import dev.intake.runners.testing.TestInputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACCEPTANCE 14, runner parity: the same full load (the 1,000-record export excerpt and the
 * rule-breaking export, one run) through the deployable jar on the DirectRunner, on embedded Flink
 * and on a standalone Flink 1.19 session cluster (one JobManager and two TaskManagers, separate
 * processes on 127.0.0.1) gives identical clean rows, aggregates and dead letters. Only the options
 * differ between the three runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunnerParityIT {
  private static final int TASK_MANAGERS = 2;
  private static final String JOB_NAME = "intake-sf311";

  @TempDir static Path tmp;

  private FlinkCluster cluster;
  private final Map<String, IntakeJar.Result> runs = new LinkedHashMap<>();
  private final Map<String, LakeTables> lakes = new LinkedHashMap<>();

  @BeforeAll
  void loadOnEveryRunner() throws Exception {
    // The cluster's JVMs start while the DirectRunner run goes.
    cluster =
        FlinkCluster.launch(
            Path.of(System.getProperty("flink.cluster.lib")),
            tmp.resolve("flink"),
            TASK_MANAGERS,
            1);
    IntakeJar intake = IntakeJar.fromBuild(tmp.resolve("logs"));
    String input = TestInputs.fullLoad(tmp.resolve("input"));
    load(intake, input, "direct", List.of("--runner=DirectRunner"));
    load(
        intake,
        input,
        "embedded",
        List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));
    cluster.awaitTaskManagers();
    load(
        intake,
        input,
        "cluster",
        List.of(
            "--runner=FlinkRunner",
            "--flinkMaster=" + cluster.master(),
            "--parallelism=" + TASK_MANAGERS,
            "--filesToStage=" + intake.path()));
  }

  private void load(IntakeJar intake, String input, String name, List<String> runner)
      throws Exception {
    Path lake = tmp.resolve("lake-" + name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--dataset=sf311",
                "--inputFile=" + input,
                "--lakePath=" + lake,
                "--runId=parity",
                "--maxRejectedRatio=1"));
    args.addAll(runner);
    IntakeJar.Result r = intake.run(name, args);
    System.out.printf("parity: %s run: exit %d, %.1f s wall%n", name, r.exitCode, r.wallSeconds);
    assertThat(r.toString(), r.exitCode, is(0));
    runs.put(name, r);
    lakes.put(name, new LakeTables(lake));
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyRunnerWritesTheSameCleanRows() throws Exception {
    List<String> direct = lakes.get("direct").cleanRows();
    assertThat(direct, hasSize(1004));
    assertThat(
        lakes.get("direct").query("SELECT service_request_id FROM {clean} ORDER BY 1"),
        equalTo(TestInputs.fullLoadKeys()));
    assertThat(lakes.get("embedded").cleanRows(), equalTo(direct));
    assertThat(lakes.get("cluster").cleanRows(), equalTo(direct));
  }

  @Test
  void everyRunnerWritesTheSameAggregates() throws Exception {
    List<String> direct = lakes.get("direct").aggregateRows();
    assertThat(direct, not(hasSize(0)));
    assertThat(lakes.get("embedded").aggregateRows(), equalTo(direct));
    assertThat(lakes.get("cluster").aggregateRows(), equalTo(direct));
  }

  @Test
  void everyRunnerWritesTheSameDeadLetters() throws Exception {
    assertThat(
        lakes
            .get("direct")
            .query("SELECT line, stage, reason_code FROM {deadletters} ORDER BY line"),
        equalTo(TestInputs.expected("rules_export.deadletters.tsv")));
    List<String> direct = lakes.get("direct").deadLetterRows();
    assertThat(lakes.get("embedded").deadLetterRows(), equalTo(direct));
    assertThat(lakes.get("cluster").deadLetterRows(), equalTo(direct));
  }

  @Test
  void everyRunSaysWhichRunnerRanIt() {
    assertThat(
        runs.get("direct").intakeLines(), hasItem(containsString("runner DirectRunner, as asked")));
    assertThat(
        runs.get("embedded").intakeLines(),
        hasItem(containsString("runner FlinkRunner (embedded, parallelism 2), as asked")));
    assertThat(
        runs.get("cluster").intakeLines(),
        hasItem(
            containsString(
                "runner FlinkRunner (cluster " + cluster.master() + ", parallelism 2), as asked")));
  }

  @Test
  void theClusterJobRanInTheTaskManagerProcesses() throws Exception {
    JsonNode jobs = cluster.get("/jobs/overview").path("jobs");
    assertThat(cluster.logs(), jobs.size(), is(1));
    JsonNode job = jobs.get(0);
    assertThat(job.path("name").asText(), containsString(JOB_NAME));
    assertThat(job.path("state").asText(), is("FINISHED"));

    Set<String> registered = new TreeSet<>();
    cluster
        .get("/taskmanagers")
        .path("taskmanagers")
        .forEach(tm -> registered.add(tm.path("id").asText()));
    assertThat(registered, hasSize(TASK_MANAGERS));

    // Every vertex ran its subtasks in the registered TaskManagers, spread over both of them.
    String jid = job.path("jid").asText();
    Set<String> used = new TreeSet<>();
    List<Integer> parallelism = new ArrayList<>();
    for (JsonNode vertex : cluster.get("/jobs/" + jid).path("vertices")) {
      parallelism.add(vertex.path("parallelism").asInt());
      assertThat(vertex.path("status").asText(), is("FINISHED"));
      for (JsonNode tm :
          cluster
              .get("/jobs/" + jid + "/vertices/" + vertex.path("id").asText() + "/taskmanagers")
              .path("taskmanagers")) {
        used.add(tm.path("taskmanager-id").asText());
      }
    }
    assertThat(used, equalTo(registered));
    assertThat(parallelism, hasItem(TASK_MANAGERS));
    assertThat(parallelism, everyItem(org.hamcrest.Matchers.lessThanOrEqualTo(TASK_MANAGERS)));
    System.out.printf(
        "parity: cluster job %s %s in %.1f s, %d vertices, on TaskManagers %s%n",
        jid,
        job.path("state").asText(),
        job.path("duration").asLong() / 1000.0,
        parallelism.size(),
        used);
  }
}
