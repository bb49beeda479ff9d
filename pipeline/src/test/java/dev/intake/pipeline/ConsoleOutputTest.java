package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.CliProcess;
import dev.intake.pipeline.testing.TestData;
import dev.intake.testdata.socrata.FakeSocrataServer;
import dev.intake.testdata.socrata.SocrataDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run prints, in a JVM of its own so that the logging is the jar's: a good run (an API read
 * on embedded Flink, a file read) shows Intake's lines, its progress and the summary, and no
 * ERROR, WARN, exception or stack trace; {@code --verbose} shows the libraries' lines.
 */
class ConsoleOutputTest {
  private static final Pattern WINDOWS = Pattern.compile("progress: windows (\\d+)/(\\d+), ");

  @TempDir Path tmp;

  /** Lines that a good run must not print. */
  private static List<String> noise(CliProcess.Result r) {
    return (r.out() + r.err()).lines()
        .filter(l -> l.contains("ERROR") || l.contains("WARN") || l.contains("Exception")
            || l.startsWith("\tat "))
        .toList();
  }

  @Test
  void aGoodApiRunShowsProgressOfThePlannedWindowsAndNoErrorsOrStackTraces() throws Exception {
    try (FakeSocrataServer socrata = new FakeSocrataServer().start()) {
      socrata.requireAppToken(System.getenv("SOCRATA_APP_TOKEN"));
      SocrataDataset sf311 = socrata.addDataset("vw6y-z8j6");
      List<String> lines = Files.readAllLines(Path.of(TestData.file("api_2021-07_first50.jsonl")));
      ObjectMapper json = new ObjectMapper();
      Instant t0 = Instant.parse("2021-07-10T00:00:00Z");
      for (int i = 0; i < lines.size(); i++) {
        socrata.setNow(t0.plus(Duration.ofHours(i)));
        @SuppressWarnings("unchecked")
        Map<String, Object> row = json.readValue(lines.get(i), LinkedHashMap.class);
        sf311.upsert(row);
      }
      socrata.setNow(t0.plus(Duration.ofDays(3)));
      Path lake = tmp.resolve("lake");
      CliProcess.Result r = CliProcess.start(tmp.resolve("api"), Map.of(), List.of("run",
          "--dataset=sf311", "--lakePath=" + lake, "--apiBaseUrl=" + socrata.baseUrl(),
          "--from=2021-07-09", "--to=2021-07-13", "--window=PT12H", "--pageSize=7",
          "--rowsPerWindow=10", "--progressInterval=1s")).await();
      assertThat(r.toString(), r.exitCode(), is(0));
      assertThat(r.toString(), noise(r), empty());
      assertThat(r.out(), containsString("read 50 = written 50 + superseded 0 + rejected 0"));

      Matcher planned = Pattern.compile("api: (\\d+) window\\(s\\) planned").matcher(r.out());
      assertThat(r.out(), planned.find(), is(true));
      String total = planned.group(1);
      Matcher m = WINDOWS.matcher(r.err());
      int reports = 0;
      String last = null;
      while (m.find()) {
        reports++;
        assertThat("every report has the planned total", m.group(2), is(total));
        last = m.group(1);
      }
      assertThat(r.err(), reports > 0, is(true));
      assertThat("the writing after the fetch outlasts a 1 s report", last, is(total));
      assertThat(r.err(), containsString(" of ~50 "));

      // The same run, as the history shows it.
      Cli runs = Cli.run("runs", "--lakePath=" + lake, "--format=json");
      var run = json.readTree(runs.out).get(0);
      assertThat(run.get("status").asText(), is("succeeded"));
      assertThat(run.get("read").asLong(), is(50L));
      assertThat(run.get("watermark").asText(), is("2021-07-12T01:00:00Z"));
    }
  }

  @Test
  void aGoodFileRunIsQuietAndVerboseShowsTheLibrariesLines() throws Exception {
    List<String> args = List.of("run", "--dataset=sf311",
        "--inputFile=" + TestData.file("overlap_a.csv"), "--progressInterval=1s");
    CliProcess.Result quiet = CliProcess.start(tmp.resolve("quiet"), Map.of(),
        concat(args, "--lakePath=" + tmp.resolve("lake1"))).await();
    assertThat(quiet.toString(), quiet.exitCode(), is(0));
    assertThat(quiet.toString(), noise(quiet), empty());
    assertThat(quiet.err(), containsString("intake: progress: rows "));
    assertThat(quiet.err(), not(containsString(" INFO ")));

    CliProcess.Result verbose = CliProcess.start(tmp.resolve("verbose"), Map.of(),
        concat(args, "--lakePath=" + tmp.resolve("lake2"), "--runner=DirectRunner",
            "--verbose")).await();
    assertThat(verbose.toString(), verbose.exitCode(), is(0));
    assertThat(verbose.err().lines().map(l -> l.replaceFirst("^\\S+ \\[[^]]*\\] ", "")
            .replaceFirst(" - .*", "")).toList(),
        hasItem("INFO org.apache.beam.sdk.io.FileIO"));
  }

  private static List<String> concat(List<String> a, String... b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(List.of(b));
    return out;
  }
}
