package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad usage gets one clear line on stderr, exit code 2, and nothing written. */
class CommandLineErrorsTest {
  @TempDir Path tmp;

  private void assertRefused(Cli cli, String expected) {
    assertThat(cli.toString(), cli.exitCode, is(2));
    assertThat(cli.toString(), cli.errorLines(), hasSize(1));
    assertThat(cli.errorLines().get(0), containsString(expected));
    assertThat(cli.err, cli.err.contains("\tat "), is(false));
    assertThat(Files.exists(tmp.resolve("lake")), is(false));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--inputFile=/no/such/file.csv | --inputFile=/no/such/file.csv matches no file",
        "--dataset=nosuch | --dataset=nosuch is not a known dataset (bundled: sf311, crunchbase_organizations) nor a spec file",
        "--dataset=specs/missing.yaml | --dataset=specs/missing.yaml: no such spec file",
        "--mode=sideways | --mode=sideways is not a mode; use one of: backfill, incremental, replay",
        "--maxRejectedRatio=2 | --maxRejectedRatio must be between 0 and 1, but was 2.0",
        "--splitSizeMb=abc | --splitSizeMb=abc is not a valid value: Cannot deserialize value of type `java.lang.Integer`: not a valid `java.lang.Integer` value",
        "--splitSizeMb=0 | --splitSizeMb must be > 0, but was 0",
        "--runId=a/b | --runId=a/b may hold only letters, digits, '-' and '_'",
        "--inputFormat=xml | --inputFormat=xml is not a format of sf311 (formats: [api_json, export_csv])",
        "--noSuchOption=1 | unknown option --noSuchOption (intake --help lists the options)",
        "--staleLockSeconds=0 | --staleLockSeconds must be > 0, but was 0",
        "--maxRecordBytes=0 | --maxRecordBytes must be > 0, but was 0",
        "--dedupBuckets=0 | --dedupBuckets must be > 0, but was 0",
        "--aggregateBuckets=-3 | --aggregateBuckets must be > 0, but was -3",
        "--flinkManagedMemory=lots | --flinkManagedMemory=lots is not a memory size (e.g. 512m, 1g)",
        "--maxDecompressionRatio=-1 | --maxDecompressionRatio must be > 0, but was -1",
        "--jdbcPasswordFile=/no/such/password | --jdbcPasswordFile=/no/such/password is not a readable file",
        "--progressInterval=5 | --progressInterval=5 needs a unit (e.g. 30s, 2m, 1h; 0 turns it off)",
        "--progressInterval=soon | --progressInterval=soon is not an interval (e.g. 30s, 2m, 1h, PT30S; 0 turns it off)",
      })
  void badOptionIsOneLineAndExitTwo(String option, String expected) {
    String input = "--inputFile=" + TestData.file("rules_export.csv");
    String dataset = "--dataset=sf311";
    if (option.startsWith("--inputFile")) {
      input = option;
    } else if (option.startsWith("--dataset")) {
      dataset = option;
    }
    Cli cli =
        Cli.run("run", dataset, input, "--lakePath=" + tmp.resolve("lake"), "--runner=DirectRunner",
            option.startsWith("--inputFile") || option.startsWith("--dataset") ? "--runId=x" : option);
    assertRefused(cli, expected);
  }

  @Test
  void aPasswordFromBothAVariableAndAFileIsRefused() throws Exception {
    Path file = tmp.resolve("password");
    Files.writeString(file, "x\n");
    assertRefused(
        Cli.run("run", "--dataset=sf311", "--inputFile=" + TestData.file("rules_export.csv"),
            "--lakePath=" + tmp.resolve("lake"), "--jdbcPasswordEnv=INTAKE_TEST_DB_PASSWORD",
            "--jdbcPasswordFile=" + file),
        "give the database password by --jdbcPasswordEnv or by --jdbcPasswordFile, not both");
  }

  @Test
  void missingInputFileOptionNamesIt() {
    assertRefused(
        Cli.run("run", "--dataset=sf311", "--lakePath=" + tmp.resolve("lake")),
        "--mode=backfill needs --inputFile (a path or glob of the full-load export) or --from");
  }

  @Test
  void pageSizeBeyondWhatTheApiAllowsIsRefusedBeforeAnyRequest() {
    // Port 9 (discard) on 127.0.0.1: the check must come before anything is sent.
    assertRefused(
        Cli.run("run", "--dataset=sf311", "--from=2021-07-01", "--to=2021-07-02",
            "--pageSize=60000", "--apiBaseUrl=http://127.0.0.1:9",
            "--lakePath=" + tmp.resolve("lake")),
        "pageSize must be at most 50000 (Socrata's largest $limit), but was 60000");
  }

  @Test
  void missingDatasetOptionNamesIt() {
    assertRefused(Cli.run("run", "--inputFile=x.csv", "--lakePath=" + tmp.resolve("lake")),
        "--dataset is required (e.g. --dataset=sf311)");
  }

  @Test
  void exportWithoutTheKeyColumnIsRefusedBeforeRunning() throws Exception {
    Path csv = tmp.resolve("nokey.csv");
    Files.writeString(csv, "Opened,Updated,Status\n01/01/2021 08:00:00 AM,01/01/2021 08:00:00 AM,Open\n");
    assertRefused(
        Cli.run("run", "--dataset=sf311", "--inputFile=" + csv, "--lakePath=" + tmp.resolve("lake")),
        csv + " has no column 'CaseID' for key field service_request_id");
  }

  @Test
  void aHeaderThatNamesAColumnTwiceIsRefusedNamingIt() throws Exception {
    Path csv = tmp.resolve("twice.csv");
    Files.writeString(csv, "CaseID,Opened,Updated,Status,Opened\n"
        + "1,01/01/2021 08:00:00 AM,01/01/2021 08:00:00 AM,Open,01/02/2021 08:00:00 AM\n");
    assertRefused(
        Cli.run("run", "--dataset=sf311", "--inputFile=" + csv,
            "--lakePath=" + tmp.resolve("lake")),
        csv + ": the header row names the column 'Opened' twice; rename one of them (which one"
            + " holds the data cannot be guessed)");
  }

  @Test
  void specErrorNamesTheFileAndLine() throws Exception {
    Path spec = tmp.resolve("bad.yaml");
    Files.writeString(
        spec,
        String.join("\n",
            "name: bad",
            "zone: UTC",
            "key: [id]",
            "version: updated",
            "fields:",
            "  - {name: id, type: long}",
            "  - {name: updated, type: datetime}",
            ""));
    assertRefused(
        Cli.run("run", "--dataset=" + spec, "--inputFile=" + TestData.file("rules_export.csv"),
            "--lakePath=" + tmp.resolve("lake")),
        spec + ":7: unknown type 'datetime' for field 'updated'");
  }

  @Test
  void unknownCommandIsRefused() {
    Cli cli = Cli.run("load", "--dataset=sf311");
    assertThat(cli.exitCode, is(2));
    assertThat(cli.errorLines().get(0), containsString("unknown command 'load'"));
  }

  @Test
  void helpListsTheOptions() {
    Cli cli = Cli.run("--help");
    assertThat(cli.exitCode, is(0));
    assertThat(cli.out, containsString("--maxRejectedRatio"));
    assertThat(cli.out, containsString("--inputFile"));
  }
}
