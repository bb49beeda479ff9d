package dev.intake.pipeline.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.intake.options.IntakeOptions;
import dev.intake.options.OptionsValidation;
import dev.intake.pipeline.WarehouseChoice;
import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.spec.SpecLoader;
import dev.intake.pipeline.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The scheduling examples in {@code runners/deploy/} parse, and the command each runs is a valid
 * {@code intake run}: its options parse and pass the run's validation, its spec loads, its
 * warehouse is one a run accepts, and every secret the run reads is provided.
 */
class SchedulingExamplesTest {
  private static final Path DEPLOY = TestData.SF311.getParent().getParent().resolve("runners")
      .resolve("deploy");

  /**
   * Checks {@code args} (after {@code run}) as a run would before it starts; returns the options as
   * written. The run's check wants the password variable set: the build sets
   * INTAKE_TEST_DB_PASSWORD, which stands in for the examples' INTAKE_DB_PASSWORD.
   */
  private static IntakeOptions validRun(List<String> args) {
    PipelineOptionsFactory.register(IntakeOptions.class);
    PipelineOptionsFactory.register(org.apache.beam.sdk.io.aws2.options.S3Options.class);
    IntakeOptions written = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .as(IntakeOptions.class);
    assertThat(written.getJdbcPasswordEnv(), is("INTAKE_DB_PASSWORD"));
    IntakeOptions options = PipelineOptionsFactory.fromArgs(args.stream()
        .map(a -> a.replace("=INTAKE_DB_PASSWORD", "=INTAKE_TEST_DB_PASSWORD"))
        .toArray(String[]::new)).as(IntakeOptions.class);
    OptionsValidation.validate(options);
    SpecLoader.load(options.getDataset());
    WarehouseChoice.of(options);
    return written;
  }

  @Test
  void theCronLineRunsIntakeUnderFlock() throws IOException {
    List<String> lines = Files.readAllLines(DEPLOY.resolve("intake.cron")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.contains("=") || l.matches("^[\\d*].*"))
        .toList();
    assertThat(lines.size(), is(1));
    String[] words = lines.get(0).split("\\s+");
    for (int i = 0; i < 5; i++) {
      assertThat(words[i], words[i].matches("[\\d*/,-]+"), is(true));
    }
    List<String> command = Arrays.asList(words);
    int flock = command.indexOf("flock");
    assertThat(command.subList(flock, flock + 4), is(List.of("flock", "-n",
        "/run/lock/intake-sf311.lock", "./intake")));
    assertThat(command.get(flock + 4), is("run"));
    List<String> args = new ArrayList<>(command.subList(flock + 5, command.indexOf(">>")));
    IntakeOptions options = validRun(args);
    assertThat(options.getMode(), is("incremental"));
  }

  @Test
  void theCronJobForbidsOverlapsAndTakesItsSecretsFromASecret() throws IOException {
    JsonNode job = new ObjectMapper(new YAMLFactory())
        .readTree(DEPLOY.resolve("intake-cronjob.yaml").toFile());
    assertThat(job.get("kind").asText(), is("CronJob"));
    assertThat(job.get("apiVersion").asText(), is("batch/v1"));
    JsonNode spec = job.get("spec");
    assertThat(spec.get("concurrencyPolicy").asText(), is("Forbid"));
    assertThat(spec.get("schedule").asText().split(" ").length, is(5));
    assertThat(spec.get("jobTemplate").get("spec").get("backoffLimit").isInt(), is(true));
    JsonNode container = spec.get("jobTemplate").get("spec").get("template").get("spec")
        .get("containers").get(0);
    List<String> args = new ArrayList<>();
    container.get("args").forEach(a -> args.add(a.asText()));
    IntakeOptions options = validRun(args);

    List<String> fromSecrets = new ArrayList<>();
    container.get("env").forEach(e -> {
      if (e.has("valueFrom")) {
        assertThat(e.get("valueFrom").get("secretKeyRef").get("name").asText(),
            is("intake-secrets"));
        fromSecrets.add(e.get("name").asText());
      }
    });
    DatasetSpec sf311 = SpecLoader.load(options.getDataset());
    assertThat(fromSecrets, hasItem(options.getJdbcPasswordEnv()));
    for (String env : sf311.api().secretEnvs()) {
      assertThat(fromSecrets, hasItem(env));
    }
    assertThat(fromSecrets, containsInAnyOrder("INTAKE_DB_PASSWORD", "SOCRATA_APP_TOKEN",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"));
  }

  @Test
  void theAirflowDagParsesAndRunsTheJar() throws Exception {
    Path dag = DEPLOY.resolve("intake_sf311_dag.py");
    String script = "import ast, sys\n"
        + "tree = ast.parse(open(sys.argv[1]).read())\n"
        + "for n in ast.walk(tree):\n"
        + "    if isinstance(n, ast.Assign) and getattr(n.targets[0], 'id', '') == 'INTAKE':\n"
        + "        print(ast.literal_eval(n.value))\n"
        + "    if isinstance(n, ast.keyword) and n.arg == 'max_active_runs':\n"
        + "        print('max_active_runs=' + repr(ast.literal_eval(n.value)))\n";
    Process p;
    try {
      p = new ProcessBuilder("python3", "-c", script, dag.toString()).redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      Assumptions.abort("python3 is not installed, so the DAG file cannot be parsed: " + e);
      return;
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS), is(true));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out, p.exitValue(), is(0));
    List<String> lines = out.lines().toList();
    assertThat(lines.get(1), is("max_active_runs=1"));
    List<String> words = Arrays.asList(lines.get(0).split(" "));
    assertThat(String.join(" ", words.subList(0, 5)),
        startsWith("java -Xmx4g -jar /opt/intake/intake.jar run"));
    validRun(words.subList(5, words.size()));
  }
}
