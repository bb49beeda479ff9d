package dev.intake.pipeline.report;

import static dev.intake.pipeline.report.Html.esc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The sections of a {@link RunReport}; each renders nothing when its field is absent. */
final class ReportSections {
  private ReportSections() {}

  /** How many partition names are listed before the rest is only counted. */
  static final int PARTITIONS_LISTED = 60;

  static void counts(StringBuilder sb, JsonNode s) {
    long read = s.path("read").asLong();
    long written = s.path("written").asLong();
    long superseded = s.path("superseded").asLong();
    long rejected = s.path("rejected").asLong();
    long deletions = s.path("deletions").asLong();
    long tombstoned = s.path("tombstoned").asLong();
    sb.append("<h2>Records</h2><table id=\"counts\"><tr>");
    String[] names = {"read", "written", "superseded", "rejected"};
    long[] values = {read, written, superseded, rejected};
    for (String n : names) {
      sb.append("<th class=\"n\">").append(n).append("</th>");
    }
    if (deletions != 0 || tombstoned != 0) {
      sb.append("<th class=\"n\">deletions</th><th class=\"n\">tombstoned</th>");
    }
    sb.append("</tr><tr>");
    for (int i = 0; i < names.length; i++) {
      sb.append("<td class=\"n\" id=\"count-").append(names[i]).append("\">")
          .append(Html.count(values[i])).append("</td>");
    }
    if (deletions != 0 || tombstoned != 0) {
      sb.append("<td class=\"n\" id=\"count-deletions\">").append(Html.count(deletions))
          .append("</td><td class=\"n\" id=\"count-tombstoned\">").append(Html.count(tombstoned))
          .append("</td>");
    }
    sb.append("</tr></table>");
    long unaccounted = read - written - superseded - rejected - deletions - tombstoned;
    String equation = String.format(Locale.ROOT, "read %s = written %s + superseded %s + "
            + "rejected %s", Html.count(read), Html.count(written), Html.count(superseded),
        Html.count(rejected))
        + (deletions != 0 || tombstoned != 0 ? " + deletions " + Html.count(deletions)
            + " + tombstoned " + Html.count(tombstoned) : "");
    sb.append("<p id=\"reconciliation\">").append(esc(equation)).append(' ')
        .append(unaccounted == 0
            ? "<span class=\"ok\">✓ reconciles</span>"
            : "<span class=\"bad\">✗ " + Html.count(unaccounted) + " unaccounted</span>")
        .append("</p>");
    if (s.has("parsed") || s.has("replacedStored") || s.has("carriedOver")) {
      sb.append("<p class=\"muted\">parsed ").append(Html.count(s.path("parsed").asLong()))
          .append(" · stored rows replaced by newer versions ")
          .append(Html.count(s.path("replacedStored").asLong()))
          .append(" · stored rows carried over unchanged ")
          .append(Html.count(s.path("carriedOver").asLong())).append("</p>");
    }
    sb.append('\n');
  }

  static void gates(StringBuilder sb, JsonNode gates) {
    if (gates == null || !gates.isArray() || gates.isEmpty()) {
      return;
    }
    sb.append("<h2>Quality gates</h2><table id=\"gates\"><tr><th>gate</th><th>kind</th>")
        .append("<th>column</th><th class=\"n\">bound</th><th class=\"n\">figure</th>")
        .append("<th>action</th><th>result</th><th>detail</th></tr>");
    for (JsonNode g : gates) {
      boolean breached = g.path("breached").asBoolean(false);
      sb.append("<tr class=\"gate").append(breached ? " breached" : "").append("\"><td>")
          .append(esc(Html.text(g.get("name")))).append("</td><td>")
          .append(esc(Html.text(g.get("kind")))).append("</td><td>")
          .append(esc(Html.text(g.get("column")))).append("</td><td class=\"n\">")
          .append(esc(Html.text(g.get("bound")))).append("</td><td class=\"n\">")
          .append(esc(Html.text(g.get("figure")))).append("</td><td>")
          .append(esc(Html.text(g.get("action")))).append("</td><td>")
          .append(breached ? "<span class=\"bad\">breached</span>" : "<span class=\"ok\">ok</span>")
          .append("</td><td>").append(esc(Html.text(g.get("detail")))).append("</td></tr>");
    }
    sb.append("</table>\n");
  }

  static void stages(StringBuilder sb, JsonNode stages) {
    if (stages == null || !stages.isObject() || stages.isEmpty()) {
      return;
    }
    List<Svg.Bar> bars = new ArrayList<>();
    stages.fields().forEachRemaining(e -> bars.add(new Svg.Bar(e.getKey(), e.getValue().asDouble())));
    sb.append("<h2>Duration per stage</h2>").append(Svg.horizontalBars("stage-chart", bars, " s"))
        .append('\n');
  }

  static void freshness(StringBuilder sb, JsonNode f) {
    if (f == null || !f.isObject() || f.isEmpty()) {
      return;
    }
    sb.append("<h2>Freshness</h2><p>newest updated-at <strong id=\"freshness-newest\">")
        .append(esc(Html.text(f.get("newest")))).append("</strong>");
    if (f.hasNonNull("ageSeconds")) {
      sb.append(", <span id=\"freshness-age\">")
          .append(esc(Html.duration(f.get("ageSeconds").asDouble())))
          .append("</span> before the run finished");
    }
    sb.append("</p>\n");
  }

  static void rowsPerDay(StringBuilder sb, JsonNode days) {
    if (days == null || !days.isObject() || days.isEmpty()) {
      return;
    }
    List<Svg.Bar> bars = new ArrayList<>();
    days.fields().forEachRemaining(e -> bars.add(new Svg.Bar(e.getKey(), e.getValue().asDouble())));
    bars.sort((a, b) -> a.label().compareTo(b.label()));
    long total = bars.stream().mapToLong(b -> (long) b.value()).sum();
    sb.append("<h2>Rows per day</h2><p class=\"muted\">").append(bars.size())
        .append(" day(s), ").append(Html.count(total)).append(" rows, from ")
        .append(esc(bars.get(0).label())).append(" to ")
        .append(esc(bars.get(bars.size() - 1).label())).append("</p>")
        .append(Svg.columns("rows-per-day", bars, " rows")).append('\n');
  }

  static void columns(StringBuilder sb, JsonNode columns) {
    if (columns == null || !columns.isArray() || columns.isEmpty()) {
      return;
    }
    sb.append("<h2>Columns</h2><table id=\"columns\"><tr><th>column</th><th class=\"n\">rows")
        .append("</th><th class=\"n\">nulls</th><th class=\"n\">null share</th><th></th>")
        .append("<th class=\"n\">distinct</th></tr>");
    for (JsonNode c : columns) {
      double share = c.path("nullShare").asDouble(0);
      sb.append("<tr class=\"column\"><td>").append(esc(Html.text(c.get("name"))))
          .append("</td><td class=\"n\">").append(Html.count(c.path("rows").asLong()))
          .append("</td><td class=\"n\">").append(Html.count(c.path("nulls").asLong()))
          .append("</td><td class=\"n\">").append(Html.percent(share)).append("</td><td>")
          .append(Svg.share(share)).append("</td><td class=\"n\">")
          .append(c.hasNonNull("distinct") ? (c.path("distinctApprox").asBoolean(false) ? "≈ " : "")
              + Html.count(c.get("distinct").asLong()) : "")
          .append("</td></tr>");
    }
    sb.append("</table>\n");
  }

  static void partitionsAndDeletions(StringBuilder sb, JsonNode s) {
    JsonNode partitions = s.get("partitions");
    int n = partitions == null ? 0 : partitions.size();
    sb.append("<h2>Partitions rewritten</h2><p><span id=\"partitions-count\">").append(n)
        .append("</span> partition(s)").append(n == 0 ? "" : ":").append("</p>");
    list(sb, partitions, PARTITIONS_LISTED);
    JsonNode history = s.get("historyPartitions");
    if (s.hasNonNull("historyVersions")) {
      sb.append("<p>history: ").append(Html.count(s.get("historyVersions").asLong()))
          .append(" new version(s), ").append(Html.count(s.path("lateVersions").asLong()))
          .append(" of them late; ").append(history == null ? 0 : history.size())
          .append(" history partition(s) rewritten</p>");
    }
    long deletions = s.path("deletions").asLong();
    long deleted = s.path("deleted").asLong();
    long tombstoned = s.path("tombstoned").asLong();
    long reconciled = s.path("reconciled").asLong();
    if (deletions != 0 || deleted != 0 || tombstoned != 0 || reconciled != 0) {
      sb.append("<h2>Deletions</h2><p id=\"deletions\">").append(Html.count(deletions))
          .append(" deletion record(s) read; ").append(Html.count(deleted))
          .append(" stored row(s) deleted; ").append(Html.count(tombstoned))
          .append(" incoming row(s) dropped as already deleted");
      if (reconciled != 0) {
        sb.append("; ").append(Html.count(reconciled))
            .append(" stored row(s) compared with the source's keys");
      }
      sb.append("</p>");
    }
    sb.append('\n');
  }

  static void schema(StringBuilder sb, JsonNode s) {
    if (!s.hasNonNull("schemaVersion")) {
      return;
    }
    sb.append("<h2>Schema</h2><p>version <strong id=\"schema-version\">")
        .append(esc(Html.text(s.get("schemaVersion")))).append("</strong> <span class=\"muted\">")
        .append(esc(Html.text(s.get("schemaFingerprint")))).append("</span></p>");
    JsonNode changes = s.get("schemaChanges");
    if (changes != null && !changes.isEmpty()) {
      sb.append("<p>changes applied by this run:</p>");
      list(sb, changes, Integer.MAX_VALUE);
    }
    JsonNode pending = s.get("backfillPending");
    if (pending != null && !pending.isEmpty()) {
      sb.append("<p>back-fill pending (--recomputeAll rewrites them):</p><ul class=\"compact\">");
      pending.fields().forEachRemaining(e -> sb.append("<li>").append(esc(e.getKey()))
          .append(" in ").append(e.getValue().size()).append(" partition(s)</li>"));
      sb.append("</ul>");
    }
    sb.append('\n');
  }

  static void drift(StringBuilder sb, JsonNode s) {
    JsonNode warnings = s.get("warnings");
    JsonNode ignored = s.get("ignoredColumns");
    JsonNode missing = s.get("missingColumns");
    JsonNode misses = s.get("referenceMisses");
    boolean any = nonEmpty(warnings) || nonEmpty(ignored) || nonEmpty(missing) || nonEmpty(misses);
    if (!any) {
      return;
    }
    sb.append("<h2>Warnings and source drift</h2>");
    if (nonEmpty(warnings)) {
      sb.append("<ul id=\"warnings\" class=\"compact\">");
      warnings.forEach(w -> sb.append("<li>").append(esc(Html.text(w))).append("</li>"));
      sb.append("</ul>");
    }
    perFile(sb, missing, "columns of the spec missing in ");
    perFile(sb, ignored, "input columns the spec does not name, in ");
    if (nonEmpty(misses)) {
      misses.fields().forEachRemaining(e -> sb.append("<p>reference ").append(esc(e.getKey()))
          .append(": ").append(Html.count(e.getValue().asLong()))
          .append(" row(s) kept without a match</p>"));
    }
    sb.append('\n');
  }

  static void outputs(StringBuilder sb, JsonNode outputs) {
    if (!nonEmpty(outputs)) {
      return;
    }
    sb.append("<h2>Outputs</h2><table id=\"outputs\"><tr><th>output</th><th class=\"n\">rows")
        .append("</th></tr>");
    outputs.fields().forEachRemaining(e -> sb.append("<tr><td>").append(esc(e.getKey()))
        .append("</td><td class=\"n\">").append(Html.count(e.getValue().asLong()))
        .append("</td></tr>"));
    sb.append("</table>\n");
  }

  private static void perFile(StringBuilder sb, JsonNode byFile, String what) {
    if (!nonEmpty(byFile)) {
      return;
    }
    byFile.fields().forEachRemaining(e -> {
      sb.append("<p>").append(e.getValue().size()).append(' ').append(esc(what))
          .append(esc(e.getKey())).append(":</p>");
      list(sb, e.getValue(), PARTITIONS_LISTED);
    });
  }

  private static void list(StringBuilder sb, JsonNode items, int max) {
    if (!nonEmpty(items)) {
      return;
    }
    sb.append("<ul class=\"compact\">");
    int i = 0;
    for (JsonNode item : items) {
      if (i++ == max) {
        sb.append("<li class=\"muted\">… and ").append(items.size() - max)
            .append(" more (all in the run summary)</li>");
        break;
      }
      sb.append("<li>").append(esc(Html.text(item))).append("</li>");
    }
    sb.append("</ul>");
  }

  private static boolean nonEmpty(JsonNode n) {
    return n != null && !n.isNull() && !n.isEmpty();
  }
}
