package dev.intake.pipeline.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.transforms.sinks.lake.LakeLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runs index at a run's end reads the summaries that are new since the last index (their
 * figures are kept in {@code index.jsonl}), and still shows exactly what an index rendered from
 * every summary shows: after a summary changes, after one is removed, and after the kept lines are
 * lost or broken.
 */
class RunReportsIndexTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path dir;
  private LakeLayout lake;

  @BeforeEach
  void lake() throws Exception {
    dir = Files.createDirectories(tmp.resolve("lake/runs/sf311"));
    lake = new LakeLayout(tmp.resolve("lake").toString(), "sf311");
  }

  private void summary(String runId, String status, String startedAt, long written)
      throws Exception {
    Files.writeString(dir.resolve(runId + ".json"), "{\"runId\": \"" + runId + "\", \"dataset\":"
        + " \"sf311\", \"status\": \"" + status + "\", \"startedAt\": \"" + startedAt + "\","
        + " \"durationSeconds\": 12.5, \"read\": " + written + ", \"written\": " + written + ","
        + " \"rejected\": 0, \"watermark\": \"2021-07-12T09:00:00Z\", \"partitions\": []}");
  }

  /** The index rendered from every summary in the folder, as before the kept lines. */
  private String fromEverySummary() throws Exception {
    List<JsonNode> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        all.add(JSON.readTree(p.toFile()));
      }
    }
    return RunIndex.render("sf311", all);
  }

  private String index() throws Exception {
    return Files.readString(dir.resolve("index.html"));
  }

  private List<String> keptFiles() throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("index.jsonl"))) {
      out.add(JSON.readTree(line).get("file").asText());
    }
    return out;
  }

  @Test
  void theIndexReadsOnlyNewSummariesAndEqualsOneRenderedFromEvery() throws Exception {
    summary("a", "succeeded", "2021-07-12T10:00:00Z", 5);
    summary("b", "failed", "2021-07-12T11:00:00Z", 0);
    RunReports.write(lake, "b");
    assertThat(index(), is(fromEverySummary()));
    assertThat(keptFiles(), contains("a.json", "b.json"));
    assertThat(Files.exists(dir.resolve("a.html")), is(true));

    // Run a's summary is not read again: garbage of the same size in its place changes nothing.
    String a = Files.readString(dir.resolve("a.json"));
    summary("c", "succeeded", "2021-07-12T12:00:00Z", 7);
    String expectedWithA = fromEverySummary();
    Files.writeString(dir.resolve("a.json"), "x".repeat(a.length()));
    RunReports.write(lake, "c");
    assertThat(index(), is(expectedWithA));
    assertThat(keptFiles(), contains("a.json", "b.json", "c.json"));

    // A summary whose size changed is read again.
    summary("a", "refused", "2021-07-12T10:00:00Z", 12345);
    summary("d", "succeeded", "2021-07-12T13:00:00Z", 1);
    RunReports.write(lake, "d");
    assertThat(index(), is(fromEverySummary()));
    assertThat(index(), containsString("status-refused"));

    // A removed summary leaves the index and the kept lines.
    Files.delete(dir.resolve("b.json"));
    summary("e", "succeeded", "2021-07-12T14:00:00Z", 2);
    RunReports.write(lake, "e");
    assertThat(index(), is(fromEverySummary()));
    assertThat(index(), not(containsString("data-run=\"b\"")));
    assertThat(keptFiles(), contains("a.json", "c.json", "d.json", "e.json"));
  }

  @Test
  void brokenOrMissingKeptLinesAreRebuiltFromTheSummaries() throws Exception {
    summary("a", "succeeded", "2021-07-12T10:00:00Z", 5);
    summary("b", "succeeded", "2021-07-12T11:00:00Z", 6);
    RunReports.write(lake, "b");
    Files.writeString(dir.resolve("index.jsonl"), "{\"file\": \"a.json\", \"by");
    summary("c", "failed", "2021-07-12T12:00:00Z", 0);
    RunReports.write(lake, "c");
    assertThat(index(), is(fromEverySummary()));
    assertThat(keptFiles(), contains("a.json", "b.json", "c.json"));

    Files.delete(dir.resolve("index.jsonl"));
    summary("d", "succeeded", "2021-07-12T13:00:00Z", 3);
    RunReports.write(lake, "d");
    assertThat(index(), is(fromEverySummary()));
    assertThat(keptFiles(), contains("a.json", "b.json", "c.json", "d.json"));
  }
}
