package dev.intake.pipeline;

import dev.intake.pipeline.RunSummary.GateResult;
import dev.intake.pipeline.spec.Gate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a run's quality gates against its filled summary, before the commit: each gate of the
 * spec gets a {@link GateResult} with its figure, and the first breached {@code fail} gate is the
 * run's failure. A gate whose figure cannot be computed (a {@code rowCountDrop} with fewer earlier
 * successful runs than its {@code minRuns}, a {@code freshness} of a run that wrote no dated row)
 * is listed with a null figure and not breached.
 */
final class QualityGates {
  /** The recent counts of a dataset's succeeded runs (newest first), as the warehouse holds them. */
  interface History {
    List<Long> recentCounts(String count, int runs) throws java.sql.SQLException;
  }

  private QualityGates() {}

  /**
   * Adds each gate's result to {@code s.gates}, with {@code nowMillis} as the end of the run;
   * returns the one-line failure of the first breached {@code fail} gate, or null.
   */
  static String check(RunSummary s, List<Gate> gates, History history, long nowMillis)
      throws java.sql.SQLException {
    String failure = null;
    for (Gate g : gates) {
      GateResult r = result(g, s, history, nowMillis);
      s.gates.add(r);
      if (r.breached && g.action() == Gate.Action.FAIL && failure == null) {
        failure = "quality gate " + g.name() + " failed: " + r.detail + "; nothing was committed";
      }
    }
    return failure;
  }

  /** The result of the --maxRejectedRatio check, listed as a gate of kind rejectedShare. */
  static GateResult rejected(RunSummary s, double maxRejectedRatio) {
    double share = s.read == 0 ? 0 : (double) s.rejected / s.read;
    GateResult r = base("maxRejectedRatio", "rejectedShare", null, maxRejectedRatio, "fail");
    r.figure = share;
    r.breached = share > maxRejectedRatio;
    r.detail = String.format(Locale.ROOT, "%d of %d records rejected (%s), %s --maxRejectedRatio=%s",
        s.rejected, s.read, percent(share), r.breached ? "more than" : "within", maxRejectedRatio);
    return r;
  }

  private static GateResult result(Gate g, RunSummary s, History history, long nowMillis)
      throws java.sql.SQLException {
    GateResult r = base(g.name(), g.kind().specName, g.column(), g.bound(),
        g.action().specName());
    switch (g.kind()) {
      case NULL_SHARE -> {
        RunSummary.ColumnProfile c = column(s, g.column());
        long rows = c == null ? 0 : c.rows;
        long nulls = c == null ? 0 : c.nulls;
        r.figure = rows == 0 ? 0.0 : (double) nulls / rows;
        r.breached = r.figure > g.bound();
        r.detail = String.format(Locale.ROOT, "%s is null in %d of %d rows written (%s), %s %s",
            g.column(), nulls, rows, percent(r.figure), r.breached ? "more than" : "within",
            percent(g.bound()));
      }
      case DELETION_SHARE -> {
        r.figure = s.read == 0 ? 0.0 : (double) s.deletions / s.read;
        r.breached = r.figure > g.bound();
        r.detail = String.format(Locale.ROOT, "%d deletions in %d records read (%s), %s %s",
            s.deletions, s.read, percent(r.figure), r.breached ? "more than" : "within",
            percent(g.bound()));
      }
      case FRESHNESS -> {
        if (s.watermark == null) {
          r.detail = "the run wrote no row with a version time: not checked";
        } else {
          long age = (nowMillis - java.time.Instant.parse(s.watermark).toEpochMilli()) / 1000;
          r.figure = (double) age;
          r.breached = age > g.bound();
          r.detail = String.format(Locale.ROOT, "the newest version written (%s) is %s old, %s %s",
              s.watermark, duration(age), r.breached ? "older than" : "within",
              duration((long) g.bound()));
        }
      }
      case ROW_COUNT_DROP -> rowCountDrop(g, s, history, r);
      default -> throw new IllegalStateException("unknown gate kind " + g.kind());
    }
    return r;
  }

  private static void rowCountDrop(Gate g, RunSummary s, History history, GateResult r)
      throws java.sql.SQLException {
    List<Long> recent = history.recentCounts(g.count(), g.runs());
    long count = g.count().equals("read") ? s.read : s.written;
    if (recent.size() < g.minRuns()) {
      r.detail = String.format(Locale.ROOT, "%d earlier successful run(s), %d needed: not checked"
          + " (%s %d)", recent.size(), g.minRuns(), g.count(), count);
      return;
    }
    double median = median(recent);
    r.figure = median == 0 ? 0.0 : Math.max(0, (median - count) / median);
    r.breached = r.figure > g.bound();
    r.detail = String.format(Locale.ROOT, "%s %d is %s below the median %s of the last %d"
        + " successful run(s), %s %s", g.count(), count, percent(r.figure),
        median == Math.rint(median) ? Long.toString((long) median) : Double.toString(median),
        recent.size(), r.breached ? "more than" : "within", percent(g.bound()));
  }

  static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  private static RunSummary.ColumnProfile column(RunSummary s, String name) {
    for (RunSummary.ColumnProfile c : s.columns) {
      if (c.name.equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static GateResult base(String name, String kind, String column, double bound,
      String action) {
    GateResult r = new GateResult();
    r.name = name;
    r.kind = kind;
    r.column = column;
    r.bound = bound;
    r.action = action;
    return r;
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  /** Seconds as days, hours or minutes: "812 d 3 h", "5 h 2 min", "40 s". */
  static String duration(long seconds) {
    if (seconds >= 86400) {
      return (seconds / 86400) + " d " + (seconds % 86400 / 3600) + " h";
    } else if (seconds >= 3600) {
      return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
    } else if (seconds >= 60) {
      return (seconds / 60) + " min " + (seconds % 60) + " s";
    }
    return seconds + " s";
  }
}
