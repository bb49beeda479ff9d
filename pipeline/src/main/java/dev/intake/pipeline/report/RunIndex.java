package dev.intake.pipeline.report;

import static dev.intake.pipeline.report.Html.esc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Renders the index pages: a dataset's runs newest first ({@code runs/<dataset>/index.html}: status,
 * start, duration, counts, watermark, the error of a run that did not commit, a link to each
 * report), and the list of datasets ({@code runs/index.html}). Every value is escaped.
 */
public final class RunIndex {
  private RunIndex() {}

  /** Newest start first; runs that started together by run id, descending. */
  static final Comparator<JsonNode> NEWEST_FIRST =
      Comparator.comparing((JsonNode s) -> Html.text(s.get("startedAt")))
          .thenComparing(s -> Html.text(s.get("runId"))).reversed();

  /** The index of {@code dataset}'s runs, from their summaries in any order. */
  public static String render(String dataset, List<JsonNode> summaries) {
    List<JsonNode> runs = new ArrayList<>(summaries);
    runs.sort(NEWEST_FIRST);
    StringBuilder sb = new StringBuilder(8_192);
    head(sb, "intake " + dataset + ": runs");
    sb.append("<p class=\"muted\"><a href=\"../index.html\">all datasets</a></p>");
    sb.append("<h1>").append(esc(dataset)).append(" · ").append(runs.size())
        .append(" run(s)</h1>\n<table id=\"runs\"><tr><th>run</th><th>status</th><th>started")
        .append("</th><th class=\"n\">duration</th><th class=\"n\">read</th><th class=\"n\">")
        .append("written</th><th class=\"n\">rejected</th><th>watermark</th><th>why it did not")
        .append(" commit</th></tr>\n");
    for (JsonNode s : runs) {
      String runId = Html.text(s.get("runId"));
      String status = Html.text(s.get("status"));
      sb.append("<tr class=\"run\" data-run=\"").append(esc(runId)).append("\"><td><a href=\"")
          .append(esc(runId)).append(".html\">").append(esc(runId)).append("</a></td><td>")
          .append("<span class=\"status status-").append(esc(status)).append("\">")
          .append(esc(status)).append("</span></td><td class=\"nowrap\">").append(esc(Html.text(s.get("startedAt"))))
          .append("</td><td class=\"n nowrap\">")
          .append(s.hasNonNull("durationSeconds")
              ? esc(Html.duration(s.get("durationSeconds").asDouble())) : "")
          .append("</td><td class=\"n\">").append(Html.count(s.path("read").asLong()))
          .append("</td><td class=\"n\">").append(Html.count(s.path("written").asLong()))
          .append("</td><td class=\"n\">").append(Html.count(s.path("rejected").asLong()))
          .append("</td><td>").append(RunReport.committed(s)
              ? esc(Html.text(s.get("watermark"))) : "<span class=\"muted\">not committed</span>")
          .append("</td><td class=\"why\">")
          .append(esc(Html.truncate(Html.text(s.get("error")), 200))).append("</td></tr>\n");
    }
    sb.append("</table></body></html>\n");
    return sb.toString();
  }

  /** The list of datasets, each with its number of runs, linking to their indexes. */
  public static String renderDatasets(Map<String, Integer> runsPerDataset) {
    StringBuilder sb = new StringBuilder(2_048);
    head(sb, "intake: datasets");
    sb.append("<h1>Datasets</h1><table id=\"datasets\"><tr><th>dataset</th>")
        .append("<th class=\"n\">runs</th></tr>\n");
    runsPerDataset.forEach((dataset, n) -> sb.append("<tr class=\"dataset\"><td><a href=\"")
        .append(esc(dataset)).append("/index.html\">").append(esc(dataset))
        .append("</a></td><td class=\"n\">").append(n).append("</td></tr>\n"));
    sb.append("</table></body></html>\n");
    return sb.toString();
  }

  private static void head(StringBuilder sb, String title) {
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc(title)).append("</title><style>").append(Html.STYLE)
        .append("</style></head><body>\n");
  }
}
