package dev.intake.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.pipeline.report.RunReports;
import dev.intake.transforms.sinks.lake.LakeLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Measures the run report's cost at a run's end: given a lake that holds a run of {@code sf311}
 * (with its dead letters), adds {@code N} copies of its summary as earlier runs, then times (1)
 * writing every page from none (the one-off cost when pages are missing) and (2) the steady cost
 * of a run's end: its own page, the dataset's index over {@code N + 1} summaries, the datasets'
 * index. Prints milliseconds and the ratio to the run's own duration.
 *
 * <pre>
 * java -cp runners/target/intake.jar:runners/bench/target/intake-bench.jar dev.intake.bench.ReportBenchmark \
 *     --lake=/tmp/report-bench/lake --runId=base [--runs=500] [--repeat=5]
 * </pre>
 */
public final class ReportBenchmark {
  private ReportBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path lake = null;
    String runId = null;
    int runs = 500;
    int repeat = 5;
    for (String a : args) {
      if (a.startsWith("--lake=")) {
        lake = Path.of(a.substring(7)).toAbsolutePath();
      } else if (a.startsWith("--runId=")) {
        runId = a.substring(8);
      } else if (a.startsWith("--runs=")) {
        runs = Integer.parseInt(a.substring(7));
      } else if (a.startsWith("--repeat=")) {
        repeat = Integer.parseInt(a.substring(9));
      } else {
        throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    if (lake == null || runId == null) {
      throw new IllegalArgumentException("--lake and --runId are required");
    }
    Path dir = lake.resolve("runs/sf311");
    ObjectMapper json = new ObjectMapper();
    ObjectNode base = (ObjectNode) json.readTree(dir.resolve(runId + ".json").toFile());
    for (int i = 0; i < runs; i++) {
      ObjectNode copy = base.deepCopy();
      String id = String.format(Locale.ROOT, "bench-%05d", i);
      copy.put("runId", id);
      Files.writeString(dir.resolve(id + ".json"), json.writeValueAsString(copy));
    }
    try (Stream<Path> pages = Files.list(dir)) {
      for (Path p : pages.filter(p -> p.toString().endsWith(".html")).toList()) {
        Files.delete(p);
      }
    }
    LakeLayout layout = new LakeLayout(lake.toString(), "sf311");
    long t0 = System.nanoTime();
    RunReports.write(layout, runId);
    double all = (System.nanoTime() - t0) / 1e6;
    double best = Double.MAX_VALUE;
    for (int i = 0; i < repeat; i++) {
      long t = System.nanoTime();
      RunReports.write(layout, runId);
      best = Math.min(best, (System.nanoTime() - t) / 1e6);
    }
    double runMs = base.path("durationSeconds").asDouble() * 1000;
    System.out.printf(Locale.ROOT, "report: %d summaries; every page from none %.0f ms;"
            + " a run's end (its page with sample dead letters + indexes) best of %d: %.0f ms"
            + " = %.3f of the run's own %.0f ms%n", runs + 1, all, repeat, best, best / runMs,
        runMs);
  }
}
