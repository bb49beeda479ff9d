package dev.intake.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run did, printed at its end and written as JSON to {@code runs/<dataset>/<run id>.json}.
 * Counts reconcile: {@code read = written + superseded + rejected}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "runId", "dataset", "mode", "input", "runner", "status", "error", "startedAt", "finishedAt",
  "durationSeconds", "warehouse", "watermark", "read", "parsed", "written", "superseded", "rejected", "rejectedByReason",
  "referenceMisses",
  "deletions", "deleted", "tombstoned", "reconciled", "historyVersions", "lateVersions",
  "windowsPlanned", "countRequests", "retryBudget", "replacedStored", "carriedOver", "outputs",
  "partitions", "historyPartitions", "ignoredColumns", "missingColumns", "warnings",
  "missingColumnCount", "schemaVersion", "schemaFingerprint", "schemaChanges", "backfillPending",
  "watermarkBefore", "stageSeconds", "freshness", "rowsPerDay", "columns", "gates"
})
public final class RunSummary {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public String runId;
  public String dataset;
  public String mode;
  public String input;
  public String runner;
  public String status = "running";
  public String error;
  public String startedAt;
  public String finishedAt;
  public Double durationSeconds;
  /** The warehouse's JDBC URL. */
  public String warehouse;
  /** The newest version committed by this run (ISO-8601 UTC), when the version is a timestamp. */
  public String watermark;
  public long read;
  public long parsed;
  public long written;
  public long superseded;
  public long rejected;
  /** Deletion records read into tombstones (sources with deletions). */
  public long deletions;
  /** Stored rows the tombstones removed from the lake and the warehouse. */
  public long deleted;
  /** Incoming rows not written because a tombstone of their key is as new or newer. */
  public long tombstoned;
  /** Stored rows a reconciliation compared with the source's keys. */
  public long reconciled;
  /** Datasets with a history: versions the history did not hold before the run. */
  public Long historyVersions;
  /** Of those, versions older than their key's newest stored version, slotted into place. */
  public Long lateVersions;
  /** "stage/code" → count. */
  public Map<String, Long> rejectedByReason = new LinkedHashMap<>();
  /**
   * Reference name → rows kept (written or superseded) whose join value the reference does not
   * hold ({@code onMiss: keep}); misses rejected by {@code onMiss: reject} are in {@link
   * #rejected}.
   */
  public Map<String, Long> referenceMisses = new LinkedHashMap<>();
  /** API runs: the windows planned from the data, and the count requests planning sent. */
  public Integer windowsPlanned;
  public Integer countRequests;
  /** API runs: the retry budget's rule, e.g. "max(100, 0.5 x requests) per worker process". */
  public String retryBudget;
  /** Stored rows replaced by a newer incoming version. */
  public long replacedStored;
  /** Stored rows rewritten unchanged because they share a partition with changed rows. */
  public long carriedOver;
  /** Rows written per output: clean, aggregate:&lt;name&gt;, deadletter. */
  public Map<String, Long> outputs = new LinkedHashMap<>();
  public List<String> partitions = new ArrayList<>();
  /** Datasets with a history: the history partitions the run rewrites. */
  public List<String> historyPartitions;
  /** Input columns the spec does not name, per file. */
  public Map<String, List<String>> ignoredColumns = new LinkedHashMap<>();
  /** Columns the spec's format names that a file lacks (their fields are null), per file. */
  public Map<String, List<String>> missingColumns = new LinkedHashMap<>();
  /**
   * How many distinct spec columns the input lacks (in any file): source drift, counted; no gate
   * stops a run for it yet.
   */
  public int missingColumnCount;
  /** What looked wrong without stopping the run by itself, e.g. an input file with no records. */
  public List<String> warnings = new ArrayList<>();
  /** The version of the dataset's schema the lake and warehouse hold after this run (1, 2, …). */
  public Integer schemaVersion;
  /** The fingerprint of that version's content. */
  public String schemaFingerprint;
  /** The schema changes this run applied, one line each: "added field data_as_of (timestamp)". */
  public List<String> schemaChanges = new ArrayList<>();
  /**
   * Added derived columns, measures and aggregates ("table.column", or the table of an aggregate)
   * to the stored partitions that still lack them (rewritten later, or with --recomputeAll).
   */
  public Map<String, List<String>> backfillPending = new LinkedHashMap<>();

  /** The watermark the run started from (ISO-8601 UTC); null on a dataset's first load. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public String watermarkBefore;
  /**
   * Seconds per lifecycle stage, in order: plan, pipeline, check (the counts and the gates),
   * commit. The stored summary is written during the commit, so it holds the stages before it;
   * the summary printed, posted and pushed also has the commit.
   */
  public Map<String, Double> stageSeconds = new LinkedHashMap<>();
  /** How old the newest version the run wrote is when the run finished; null if it wrote none. */
  public Freshness freshness;
  /** Rows the run wrote by UTC day ("YYYY-MM-DD") of the version field, ascending. */
  public Map<String, Long> rowsPerDay = new java.util.TreeMap<>();
  /** Per clean column, in schema order: nulls and distinct values of the rows the run wrote. */
  public List<ColumnProfile> columns = new ArrayList<>();
  /** The quality gates checked before the commit, with their figures (see {@code QualityGates}). */
  public List<GateResult> gates = new ArrayList<>();

  /** The newest version written and its age at the end of the run. */
  @JsonPropertyOrder({"newest", "ageSeconds"})
  public static final class Freshness {
    public String newest;
    public long ageSeconds;
  }

  /** One column's profile over the rows the run wrote. */
  @JsonPropertyOrder({"name", "rows", "nulls", "nullShare", "distinct", "distinctApprox"})
  public static final class ColumnProfile {
    public String name;
    public long rows;
    public long nulls;
    public double nullShare;
    public long distinct;
    public boolean distinctApprox;
  }

  /**
   * One gate's outcome: its figure against its bound; {@code breached} with action {@code fail}
   * failed the run, with {@code warn} it was only listed. A figure that could not be computed (too
   * few earlier runs) is null and never breaches; {@code detail} says why.
   */
  @JsonPropertyOrder({"name", "kind", "column", "bound", "figure", "action", "breached", "detail"})
  public static final class GateResult {
    public String name;
    public String kind;
    public String column;
    public double bound;
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public Double figure;
    public String action;
    public boolean breached;
    public String detail;
  }

  /** The gates that were breached. */
  public List<GateResult> breachedGates() {
    List<GateResult> out = new ArrayList<>();
    for (GateResult g : gates) {
      if (g.breached) {
        out.add(g);
      }
    }
    return out;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static RunSummary fromJson(String json) {
    try {
      return JSON.readValue(json, RunSummary.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a run summary: " + e.getOriginalMessage(), e);
    }
  }

  /** The difference read − (written + superseded + rejected); 0 when the counts reconcile. */
  public long unaccounted() {
    return read - written - superseded - rejected - deletions - tombstoned;
  }

  /** A few lines for the terminal. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "intake %s run %s: %s in %.1f s on %s%n", dataset, runId,
        status, durationSeconds == null ? 0.0 : durationSeconds, runner));
    if (error != null) {
      sb.append("  error: ").append(error).append('\n');
    }
    sb.append(String.format(Locale.ROOT,
        "  read %d = written %d + superseded %d + rejected %d%s%n", read, written, superseded,
        rejected, deletions == 0 && tombstoned == 0 ? "" : String.format(Locale.ROOT,
            " + deletions %d + tombstoned %d; deleted %d stored rows", deletions, tombstoned,
            deleted)));
    if (windowsPlanned != null) {
      sb.append(String.format(Locale.ROOT, "  api: %d window(s) planned with %d count request(s);"
          + " retry budget %s%n", windowsPlanned, countRequests, retryBudget));
    }
    rejectedByReason.forEach((k, v) -> sb.append("    rejected ").append(k).append(": ").append(v).append('\n'));
    referenceMisses.forEach((k, v) -> sb.append("  reference ").append(k).append(": ").append(v)
        .append(" row(s) kept without a match\n"));
    sb.append("  outputs:");
    outputs.forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v).append(" rows;"));
    sb.append(" partitions rewritten: ").append(partitions.size()).append('\n');
    if (historyVersions != null) {
      sb.append(String.format(Locale.ROOT, "  history: %d new version(s), %d of them late;"
          + " %d history partition(s) rewritten%n", historyVersions, lateVersions,
          historyPartitions.size()));
    }
    ignoredColumns.forEach(
        (f, cols) -> sb.append("  ignored ").append(cols.size()).append(" columns of ").append(f)
            .append(": ").append(String.join(", ", cols.subList(0, Math.min(5, cols.size()))))
            .append(cols.size() > 5 ? ", … (all in the run summary)" : "").append('\n'));
    missingColumns.forEach(
        (f, cols) -> sb.append("  missing columns in ").append(f).append(": ")
            .append(String.join(", ", cols)).append('\n'));
    warnings.forEach(w -> sb.append("  warning: ").append(w).append('\n'));
    if (schemaVersion != null) {
      sb.append("  schema: version ").append(schemaVersion).append(" (").append(schemaFingerprint)
          .append(')').append(schemaChanges.isEmpty() ? "" : ": " + String.join("; ", schemaChanges))
          .append('\n');
    }
    for (GateResult g : breachedGates()) {
      sb.append("  gate ").append(g.name).append(" breached (").append(g.action).append("): ")
          .append(g.detail).append('\n');
    }
    backfillPending.forEach((c, parts) -> sb.append("  back-fill pending: ").append(c)
        .append(" in ").append(parts.size()).append(" partition(s) (--recomputeAll rewrites them)")
        .append('\n'));
    return sb.toString();
  }
}
