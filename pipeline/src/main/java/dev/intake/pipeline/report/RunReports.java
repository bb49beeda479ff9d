package dev.intake.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.transforms.sinks.lake.LakeFiles;
import dev.intake.transforms.sinks.lake.LakeLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Writes the HTML pages of the run reports into the lake, beside the run summaries (local disk or
 * S3): the report of the run that just ended, the report of any summary that has none yet (a run
 * whose commit an earlier run completed), {@code runs/<dataset>/index.html} and {@code
 * runs/index.html}. A run whose summary was not written (it stopped before) gets no report. The
 * index's figures of earlier runs come from {@link IndexLines}, so a run's end reads its own
 * summary and those new since, not every summary of the dataset.
 */
public final class RunReports {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Sample dead letters per reason, and how many dead letters are read at most for them. */
  static final int SAMPLES_PER_REASON = 3;
  static final int SAMPLES_SCANNED = 100_000;

  private RunReports() {}

  /**
   * Writes the pages after run {@code runId}; a failure to write them is told through {@code log}
   * and never changes the run's outcome.
   */
  public static void afterRun(LakeLayout lake, String runId, Consumer<String> log) {
    try {
      write(lake, runId);
    } catch (IOException | RuntimeException e) {
      log.accept("the run report of " + runId + " was not written: " + e);
    }
  }

  /** Where the report of run {@code runId} is: beside its summary, {@code <run id>.html}. */
  public static String page(LakeLayout lake, String runId) {
    return lake.runSummary(runId).replaceFirst("\\.json$", ".html");
  }

  /** Writes the pages after run {@code runId} (see the class comment). */
  public static void write(LakeLayout lake, String runId) throws IOException {
    String dir = lake.root() + "/runs/" + lake.dataset() + "/";
    if (!LakeFiles.exists(lake.runSummary(runId))) {
      return;
    }
    Set<String> reported = new HashSet<>();
    for (ResourceId page : LakeFiles.list(dir + "*.html")) {
      reported.add(page.getFilename().replaceFirst("\\.html$", ""));
    }
    IndexLines kept = IndexLines.read(dir + "index.jsonl");
    List<JsonNode> runs = new ArrayList<>();
    List<String> files = new ArrayList<>();
    for (MatchResult.Metadata m : summaries(dir)) {
      String file = m.resourceId().getFilename();
      String id = file.replaceFirst("\\.json$", "");
      files.add(file);
      boolean needsPage = id.equals(runId) || !reported.contains(id);
      JsonNode figures = needsPage ? null : kept.figures(file, m.sizeBytes());
      if (figures == null) {
        JsonNode summary = JSON.readTree(LakeFiles.read(m.resourceId().toString()));
        figures = kept.keep(file, m.sizeBytes(), summary);
        if (needsPage) {
          LakeFiles.write(page(lake, id), RunReport.render(summary, samples(lake, id)));
        }
      }
      runs.add(figures);
    }
    kept.retain(files);
    LakeFiles.write(dir + "index.html", RunIndex.render(lake.dataset(), runs));
    kept.write();
    Map<String, Integer> runsPerDataset = new TreeMap<>();
    for (ResourceId file : LakeFiles.list(lake.root() + "/runs/*/*.json")) {
      String[] path = file.toString().split("/");
      runsPerDataset.merge(path[path.length - 2], 1, Integer::sum);
    }
    LakeFiles.write(lake.root() + "/runs/index.html", RunIndex.renderDatasets(runsPerDataset));
  }

  /** The run summaries in {@code dir}, with their sizes. */
  private static List<MatchResult.Metadata> summaries(String dir) throws IOException {
    MatchResult r = FileSystems.match(dir + "*.json", EmptyMatchTreatment.ALLOW);
    List<MatchResult.Metadata> out = new ArrayList<>();
    if (r.status() == MatchResult.Status.OK) {
      out.addAll(r.metadata());
    }
    out.sort(java.util.Comparator.comparing(m -> m.resourceId().toString()));
    return out;
  }

  /** The run's published dead letters, or those still in its staging folder (a failed run). */
  static Map<String, List<DeadLetterSamples.Sample>> samples(LakeLayout lake, String runId)
      throws IOException {
    Map<String, List<DeadLetterSamples.Sample>> published = DeadLetterSamples.read(
        lake.deadLetters(runId) + "*.parquet", SAMPLES_PER_REASON, SAMPLES_SCANNED);
    return !published.isEmpty() ? published : DeadLetterSamples.read(
        lake.staging(runId).deadLetters() + "*.parquet", SAMPLES_PER_REASON, SAMPLES_SCANNED);
  }
}
