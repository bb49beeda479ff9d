package dev.intake.pipeline.report;

import static dev.intake.pipeline.report.Html.esc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.pipeline.report.DeadLetterSamples.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders one run summary (read as a JSON tree, so summaries of older and newer versions both
 * render) as a self-contained HTML page: why it failed first, then what it read and wrote, the
 * reconciliation {@code read = written + superseded + rejected}, durations, rows per day,
 * rejects by reason with sample dead letters, quality gates, columns, partitions, deletions,
 * schema and warnings. Sections whose fields a summary lacks are left out. Every value is escaped.
 */
public final class RunReport {
  private RunReport() {}

  /** The page of {@code summary}, with {@code samples} of its dead letters keyed by reason. */
  public static String render(JsonNode summary, Map<String, List<Sample>> samples) {
    StringBuilder sb = new StringBuilder(16_384);
    String dataset = Html.text(summary.get("dataset"));
    String runId = Html.text(summary.get("runId"));
    String status = Html.text(summary.get("status"));
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(esc("intake " + dataset + " run " + runId + ": " + status))
        .append("</title><style>").append(Html.STYLE).append("</style></head><body>\n");
    sb.append("<p class=\"muted\"><a href=\"index.html\">all runs of ").append(esc(dataset))
        .append("</a> · <a href=\"").append(esc(runId)).append(".json\">run summary (JSON)</a></p>");
    sb.append("<h1>").append(esc(dataset)).append(" · run <span id=\"run-id\">").append(esc(runId))
        .append("</span> <span id=\"status\" class=\"status status-").append(esc(status))
        .append("\">").append(esc(status)).append("</span></h1>\n");
    if (summary.hasNonNull("error")) {
      sb.append("<div class=\"error\"><strong>Why the run ")
          .append("succeeded".equals(status) ? "reported an error" : "did not commit")
          .append(":</strong> <span id=\"error\">").append(esc(Html.text(summary.get("error"))))
          .append("</span></div>\n");
    }
    facts(sb, summary);
    ReportSections.counts(sb, summary);
    ReportSections.gates(sb, summary.get("gates"));
    ReportSections.stages(sb, summary.get("stageSeconds"));
    ReportSections.freshness(sb, summary.get("freshness"));
    ReportSections.rowsPerDay(sb, summary.get("rowsPerDay"));
    rejects(sb, summary, samples);
    ReportSections.columns(sb, summary.get("columns"));
    ReportSections.partitionsAndDeletions(sb, summary);
    ReportSections.schema(sb, summary);
    ReportSections.drift(sb, summary);
    ReportSections.outputs(sb, summary.get("outputs"));
    sb.append("</body></html>\n");
    return sb.toString();
  }

  private static void facts(StringBuilder sb, JsonNode s) {
    sb.append("<dl class=\"facts\">");
    fact(sb, "mode", "mode", Html.text(s.get("mode")));
    fact(sb, "input", "input", Html.text(s.get("input")));
    fact(sb, "runner", "runner", Html.text(s.get("runner")));
    fact(sb, "warehouse", "warehouse", Html.text(s.get("warehouse")));
    fact(sb, "started", "started", Html.text(s.get("startedAt")));
    fact(sb, "finished", "finished", Html.text(s.get("finishedAt")));
    if (s.hasNonNull("durationSeconds")) {
      fact(sb, "duration", "duration", Html.duration(s.get("durationSeconds").asDouble()));
    }
    String before = s.hasNonNull("watermarkBefore") ? Html.text(s.get("watermarkBefore")) : "—";
    String after = !s.hasNonNull("watermark") ? "—"
        : committed(s) ? Html.text(s.get("watermark"))
        : "unchanged: the run did not commit (the newest version it read: "
            + Html.text(s.get("watermark")) + ")";
    sb.append("<dt>watermark</dt><dd><span id=\"watermark-before\">").append(esc(before))
        .append("</span> → <span id=\"watermark-after\">").append(esc(after))
        .append("</span></dd>");
    if (s.hasNonNull("windowsPlanned")) {
      fact(sb, "api", "api", Html.text(s.get("windowsPlanned")) + " window(s) planned with "
          + Html.text(s.get("countRequests")) + " count request(s); retry budget "
          + Html.text(s.get("retryBudget")));
    }
    sb.append("</dl>\n");
  }

  /** Whether the run committed (so its watermark is the dataset's). */
  static boolean committed(JsonNode s) {
    return "succeeded".equals(Html.text(s.get("status")));
  }

  static void fact(StringBuilder sb, String id, String label, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    sb.append("<dt>").append(esc(label)).append("</dt><dd id=\"").append(esc(id)).append("\">")
        .append(esc(value)).append("</dd>");
  }

  private static void rejects(StringBuilder sb, JsonNode s, Map<String, List<Sample>> samples) {
    JsonNode byReason = s.get("rejectedByReason");
    if (byReason == null || byReason.isEmpty()) {
      return;
    }
    long rejected = s.path("rejected").asLong();
    sb.append("<h2>Rejects by reason</h2><table id=\"rejects\"><tr><th>stage/reason</th>")
        .append("<th class=\"n\">records</th><th>share of rejects</th></tr>");
    List<String> reasons = new ArrayList<>();
    byReason.fieldNames().forEachRemaining(reasons::add);
    for (String reason : reasons) {
      long n = byReason.get(reason).asLong();
      sb.append("<tr class=\"reject\"><td class=\"reason\">").append(esc(reason))
          .append("</td><td class=\"n\">").append(Html.count(n)).append("</td><td>")
          .append(Svg.share(rejected == 0 ? 0 : (double) n / rejected)).append("</td></tr>");
    }
    sb.append("</table>\n");
    if (samples.isEmpty()) {
      sb.append("<p class=\"muted\">No dead-letter files were found for samples.</p>");
      return;
    }
    sb.append("<h2>Sample dead letters</h2>");
    for (String reason : reasons) {
      List<Sample> some = samples.getOrDefault(reason, List.of());
      if (some.isEmpty()) {
        continue;
      }
      sb.append("<h3>").append(esc(reason)).append("</h3>");
      for (Sample d : some) {
        sb.append("<div class=\"sample\"><div>").append(esc(d.reason()))
            .append(" <span class=\"muted\">(").append(esc(d.source()))
            .append(d.line() > 0 ? ", line " + d.line() : "").append(")</span></div>")
            .append("<pre class=\"raw\">").append(esc(d.rawText())).append("</pre></div>");
      }
    }
    sb.append('\n');
  }
}
