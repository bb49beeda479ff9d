package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.Lake;
import dev.intake.pipeline.testing.TestData;
import dev.intake.pipeline.testing.Warehouses;
import dev.intake.pipeline.testing.Warehouses.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that are almost always a mistake: an empty export fails the run (it is usually a broken
 * download) unless --allowEmptyInput says it is meant; and a fresh lake in a folder that does not
 * exist yet still gets its embedded warehouse file.
 */
class InputSanityTest {
  private static final String HEADER = "CaseID,Opened,Closed,Updated,Status,Status Notes\n";

  @TempDir Path tmp;

  private Cli load(Path input, String runId, String... more) {
    String[] args = {"run", "--dataset=sf311", "--inputFile=" + input,
        "--lakePath=" + tmp.resolve("lake"), "--runId=" + runId};
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return Cli.run(all);
  }

  @Test
  void anEmptyFileFailsTheRunWithAWarningInItsSummary() throws Exception {
    Path empty = Files.createFile(tmp.resolve("export.csv"));
    Cli cli = load(empty, "empty");
    assertThat(cli.toString(), cli.exitCode, is(1));
    assertThat(cli.errorLines().get(cli.errorLines().size() - 1), is("intake: run failed: the"
        + " input has 1 file(s) without records (" + empty + " is empty (0 bytes)), which is"
        + " usually a broken download; nothing was committed; give --allowEmptyInput to load it"
        + " anyway"));
    Lake lake = new Lake(tmp.resolve("lake"));
    RunSummary summary = lake.summary("empty");
    assertThat(summary.status, is("refused"));
    assertThat(summary.warnings, contains(empty + " is empty (0 bytes)"));
    Warehouses db = new Warehouses(Kind.DUCKDB, lake.root);
    assertThat(db.query("SELECT count(*) FROM " + db.table("sf311")), contains("0"));
    assertThat(db.query("SELECT status FROM " + db.raw("intake_runs")), contains("refused"));
    assertThat(Files.exists(lake.root.resolve("clean")), is(false));
  }

  @Test
  void aHeaderWithoutRecordsAmongGoodFilesIsNamedAndFailsTheRun() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    Files.copy(Path.of(TestData.file("overlap_a.csv")), dir.resolve("a.csv"));
    Files.writeString(dir.resolve("b.csv"), HEADER);
    Cli cli = load(dir.resolve("*.csv"), "headeronly");
    assertThat(cli.toString(), cli.exitCode, is(1));
    assertThat(cli.errorLines().get(cli.errorLines().size() - 1), containsString(
        "the input has 1 file(s) without records (" + dir.resolve("b.csv") + " has a header row"
            + " and no records)"));
    assertThat(Files.exists(tmp.resolve("lake/clean")), is(false));
  }

  @Test
  void allowEmptyInputLoadsItAndKeepsTheWarning() throws Exception {
    Path headerOnly = tmp.resolve("export.csv");
    Files.writeString(headerOnly, HEADER);
    Cli cli = load(headerOnly, "allowed", "--allowEmptyInput");
    assertThat(cli.toString(), cli.exitCode, is(0));
    assertThat(cli.out, containsString("  warning: " + headerOnly
        + " has a header row and no records\n"));
    assertThat(cli.out, containsString("read 0 = written 0 + superseded 0 + rejected 0"));
    RunSummary summary = new Lake(tmp.resolve("lake")).summary("allowed");
    assertThat(summary.status, is("succeeded"));
    assertThat(summary.warnings, contains(headerOnly + " has a header row and no records"));
  }

  @Test
  void theDefaultWarehouseFileGetsItsFolderCreated() throws Exception {
    Path lake = tmp.resolve("not/yet/there/lake");
    Cli cli = Cli.run("run", "--dataset=sf311", "--inputFile=" + TestData.file("overlap_a.csv"),
        "--lakePath=" + lake, "--runId=fresh");
    assertThat(cli.toString(), cli.exitCode, is(0));
    Warehouses db = new Warehouses(Kind.DUCKDB, lake);
    assertThat(db.query("SELECT count(*) FROM " + db.table("sf311")), contains("5"));
    assertThat(db.query("SELECT run_id FROM " + db.raw("intake_runs") + " WHERE status <>"
        + " 'succeeded'"), empty());
    List<String> files = new Lake(lake).files();
    assertThat(files.contains("runs/sf311/fresh.json"), is(true));
  }
}
