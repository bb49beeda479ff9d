package dev.intake.pipeline;

import dev.intake.pipeline.steps.Outputs;
import dev.intake.pipeline.steps.TallyKey;
import dev.intake.pipeline.spec.DatasetSpec;
import java.util.Locale;

/**
 * Checks a finished pipeline's counts before anything is committed, and copies them into the run
 * summary: every record read is written, superseded or rejected; the clean files hold every row of
 * the touched partitions; the rejected share is within the limit.
 */
final class RunCheck {
  /** The counts contradict each other: the run must not commit. */
  static final class Failed extends Exception {
    private static final long serialVersionUID = 1L;

    Failed(String message) {
      super(message);
    }
  }

  private RunCheck() {}

  /**
   * Fills {@code s} from {@code t}; throws {@link Failed} if the counts do not reconcile, and
   * returns why the run is refused (too many rejects), or null if it may commit.
   */
  static String check(RunSummary s, RunTally t, DatasetSpec spec, double maxRejectedRatio,
      String deadLetters) throws Failed {
    fill(s, t, spec);
    if (s.unaccounted() != 0) {
      throw new Failed(String.format(Locale.ROOT,
          "counts do not reconcile: read %d != written %d + superseded %d + rejected %d"
              + " + deletions %d + tombstoned %d",
          s.read, s.written, s.superseded, s.rejected, s.deletions, s.tombstoned));
    }
    long cleanRows = t.rows(Outputs.CLEAN);
    if (cleanRows != s.written + s.carriedOver) {
      throw new Failed("the clean files hold " + cleanRows + " rows, expected "
          + (s.written + s.carriedOver));
    }
    double ratio = s.read == 0 ? 0 : (double) s.rejected / s.read;
    s.gates.add(QualityGates.rejected(s, maxRejectedRatio));
    if (ratio > maxRejectedRatio) {
      return String.format(Locale.ROOT,
          "%.1f%% of records were rejected, more than --maxRejectedRatio=%s; nothing was "
              + "committed; the dead letters are in %s",
          ratio * 100, maxRejectedRatio, deadLetters);
    }
    return null;
  }

  /**
   * Why a reconciliation is refused: it would delete more than {@code maxDeleteRatio} of the
   * stored rows it compared; null if it may commit.
   */
  static String deletions(RunSummary s, double maxDeleteRatio) {
    double ratio = s.reconciled == 0 ? 0 : (double) s.deleted / s.reconciled;
    if (ratio > maxDeleteRatio) {
      return String.format(Locale.ROOT,
          "the source no longer has %d of the %d stored keys in the range (%.1f%%), more than "
              + "--maxDeleteRatio=%s: a broken or partial source must not empty the lake; "
              + "nothing was deleted", s.deleted, s.reconciled, ratio * 100, maxDeleteRatio);
    }
    return null;
  }

  /** The rows per day and the columns' profile of the rows the run wrote. */
  private static void profile(RunSummary s, RunTally t, DatasetSpec spec) {
    s.rowsPerDay.putAll(t.rowsPerDay());
    long rows = t.get(TallyKey.Kind.PROFILED_ROWS);
    java.util.Map<String, Long> nulls = t.byOutput(TallyKey.Kind.COLUMN_NULLS);
    java.util.Map<String, Long> distinct = t.byOutput(TallyKey.Kind.COLUMN_DISTINCT);
    java.util.Map<String, Long> approx = t.byOutput(TallyKey.Kind.COLUMN_APPROX);
    for (String name : IntakePipeline.cleanSchema(spec).getFieldNames()) {
      RunSummary.ColumnProfile c = new RunSummary.ColumnProfile();
      c.name = name;
      c.rows = rows;
      c.nulls = nulls.getOrDefault(name, 0L);
      c.nullShare = rows == 0 ? 0 : Math.round(c.nulls * 1e6 / rows) / 1e6;
      c.distinct = distinct.getOrDefault(name, 0L);
      c.distinctApprox = approx.getOrDefault(name, 0L) == 1L;
      s.columns.add(c);
    }
  }

  private static void fill(RunSummary s, RunTally t, DatasetSpec spec) {
    s.read = t.get(TallyKey.Kind.READ);
    s.parsed = t.get(TallyKey.Kind.PARSED);
    s.written = t.get(TallyKey.Kind.WRITTEN);
    s.superseded = t.get(TallyKey.Kind.SUPERSEDED);
    s.replacedStored = t.get(TallyKey.Kind.REPLACED);
    s.carriedOver = t.get(TallyKey.Kind.CARRIED);
    s.deletions = t.get(TallyKey.Kind.DELETIONS);
    s.deleted = t.get(TallyKey.Kind.DELETED);
    s.tombstoned = t.get(TallyKey.Kind.TOMBSTONED);
    s.reconciled = t.get(TallyKey.Kind.IN_RANGE);
    s.rejectedByReason.putAll(t.rejectedByReason());
    s.referenceMisses.putAll(t.referenceMisses());
    s.rejected = s.rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
    s.outputs.put(Outputs.CLEAN, t.rows(Outputs.CLEAN));
    for (DatasetSpec.Aggregate a : spec.aggregates()) {
      s.outputs.put(Outputs.aggregate(a.name()), t.rows(Outputs.aggregate(a.name())));
    }
    s.outputs.put(Outputs.DEAD_LETTERS, t.rows(Outputs.DEAD_LETTERS));
    if (s.deletions > 0 || s.reconciled > 0 || t.rows(Outputs.TOMBSTONES) > 0) {
      s.outputs.put(Outputs.TOMBSTONES, t.rows(Outputs.TOMBSTONES));
    }
    s.partitions.addAll(t.partitions());
    if (spec.history()) {
      s.historyVersions = t.get(TallyKey.Kind.HISTORY_VERSIONS);
      s.lateVersions = t.get(TallyKey.Kind.LATE_VERSIONS);
      s.historyPartitions = t.partitions(TallyKey.Kind.HISTORY_PARTITION);
      s.outputs.put(Outputs.HISTORY, t.rows(Outputs.HISTORY));
    }
    profile(s, t, spec);
    Long newest = t.newest("watermark") != null ? t.newest("watermark") : t.newest("version");
    if (newest != null) {
      s.watermark = java.time.Instant.ofEpochMilli(newest).toString();
    }
  }
}
