package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reference table that cannot be used stops the run with one line and commits nothing: a missing
 * file before anything is written (exit 2), a file with two rows for one key when the pipeline
 * indexes it (exit 1).
 */
class ReferenceRunsTest {
  @TempDir Path tmp;

  /** The bundled sf311 spec, joined with {@code districts.csv} beside it on supervisor_district. */
  private Path spec() throws IOException {
    String text;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("specs/sf311.yaml")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path spec = tmp.resolve("sf311_districts.yaml");
    Files.writeString(spec, text + String.join("\n",
        "",
        "references:",
        "  - name: districts",
        "    file: districts.csv",
        "    key: {column: district, type: long}",
        "    joinOn: supervisor_district",
        "    columns: [{name: supervisor, type: string}]",
        ""));
    return spec;
  }

  private Cli run(Path spec) {
    return Cli.run("run", "--dataset=" + spec, "--inputFile=" + TestData.file("rules_export.csv"),
        "--lakePath=" + tmp.resolve("lake"), "--runner=DirectRunner", "--maxRejectedRatio=1");
  }

  @Test
  void aMissingReferenceFileIsOneLineAndNothingIsWritten() throws IOException {
    Path spec = spec();

    Cli cli = run(spec);

    assertThat(cli.toString(), cli.exitCode, is(Main.USAGE));
    assertThat(cli.errorLines(), contains("intake: error: " + spec + ": reference districts: no"
        + " such file " + tmp.resolve("districts.csv")));
    assertThat(Files.exists(tmp.resolve("lake")), is(false));
  }

  @Test
  void aReferenceWithTwoRowsForOneKeyFailsTheRunNamingTheKey() throws IOException {
    Path spec = spec();
    Files.writeString(tmp.resolve("districts.csv"),
        "district,supervisor\n1,Connie Chan\n2,Catherine Stefani\n1,Someone Else\n");

    Cli cli = run(spec);

    assertThat(cli.toString(), cli.exitCode, is(Main.FAILED));
    assertThat(cli.toString(), cli.errorLines().get(cli.errorLines().size() - 1), startsWith(
        "intake: run failed: the pipeline failed: DuplicateReferenceKeyException: reference"
            + " districts has more than one row with district '1'; a reference needs one row per"
            + " key"));
    assertThat(Files.exists(tmp.resolve("lake/clean/sf311")), is(false));
  }
}
