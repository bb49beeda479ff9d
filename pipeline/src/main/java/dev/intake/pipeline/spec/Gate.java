package dev.intake.pipeline.spec;

import java.io.Serializable;
import java.util.Locale;

/**
 * A data-quality gate of a spec's {@code gates} section, checked after the pipeline and before
 * the commit: its kind, the column it watches ({@code nullShare} only), its bound, and what a
 * breach does ({@link Action#FAIL}: the run fails and nothing is published; {@link Action#WARN}:
 * the run commits and lists it). {@code rowCountDrop} also has the count it compares ({@code
 * written} or {@code read}), how many recent successful runs its median is taken over, and how
 * many must exist before it is checked.
 */
public final class Gate implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a gate measures. */
  public enum Kind {
    /** A column's nulls / the rows written; bound: the largest share allowed. */
    NULL_SHARE("nullShare"),
    /** How far the run's count is below the median of recent runs, as a share of that median. */
    ROW_COUNT_DROP("rowCountDrop"),
    /** Seconds between the newest version written and the end of the run; bound: seconds. */
    FRESHNESS("freshness"),
    /** Deletions read / records read; bound: the largest share allowed. */
    DELETION_SHARE("deletionShare");

    public final String specName;

    Kind(String specName) {
      this.specName = specName;
    }

    static Kind of(String name) {
      for (Kind k : values()) {
        if (k.specName.equals(name)) {
          return k;
        }
      }
      return null;
    }
  }

  /** What a breached gate does. */
  public enum Action {
    FAIL,
    WARN;

    public String specName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String name;
  private final Kind kind;
  private final String column;
  private final double bound;
  private final Action action;
  private final String count;
  private final int runs;
  private final int minRuns;

  Gate(String name, Kind kind, String column, double bound, Action action, String count, int runs,
      int minRuns) {
    this.name = name;
    this.kind = kind;
    this.column = column;
    this.bound = bound;
    this.action = action;
    this.count = count;
    this.runs = runs;
    this.minRuns = minRuns;
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  /** The watched column ({@code nullShare}), else null. */
  public String column() {
    return column;
  }

  /** A share (0..1) for the share and drop kinds, seconds for {@code freshness}. */
  public double bound() {
    return bound;
  }

  public Action action() {
    return action;
  }

  /** {@code rowCountDrop}: the count compared, {@code written} or {@code read}. */
  public String count() {
    return count;
  }

  /** {@code rowCountDrop}: the median is over the last this many successful runs. */
  public int runs() {
    return runs;
  }

  /** {@code rowCountDrop}: fewer earlier successful runs than this, and it is not checked. */
  public int minRuns() {
    return minRuns;
  }
}
