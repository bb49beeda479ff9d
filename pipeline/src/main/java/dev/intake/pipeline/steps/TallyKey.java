package dev.intake.pipeline.steps;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * What one of a run's counts counts: a kind, and where it applies (an output, a stage and reason of
 * rejection, a partition). Fields that do not apply are empty. Counts of a key are summed, except
 * {@link Kind#NEWEST}, whose largest value is kept.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class TallyKey {
  /** The kinds of counts a run keeps. */
  public enum Kind {
    /** Records read from the source. */
    READ,
    /** Records parsed into rows. */
    PARSED,
    /** Incoming rows that are the newest version of their key. */
    WRITTEN,
    /** Incoming rows older than another version of their key. */
    SUPERSEDED,
    /** Stored rows an incoming row replaced. */
    REPLACED,
    /** Stored rows rewritten unchanged because their partition was touched. */
    CARRIED,
    /** Deletion records parsed into tombstones. */
    DELETIONS,
    /** Stored rows a tombstone removed. */
    DELETED,
    /** Incoming rows not written: a tombstone of their key is as new or newer. */
    TOMBSTONED,
    /** Stored rows a reconciliation compared with the source's keys. */
    IN_RANGE,
    /** Rows kept although their join value is not in a reference ({@code output}: its name). */
    REFERENCE_MISS,
    /** Rejected records, by stage and reason. */
    REJECTED,
    /** Rows written to an output's files. */
    ROWS,
    /** A partition the run rewrites (the amount is how many times it was seen). */
    PARTITION,
    /** Versions the history did not hold before the run (datasets with a history). */
    HISTORY_VERSIONS,
    /** Of those, versions older than the newest stored version of their key (slotted in). */
    LATE_VERSIONS,
    /** A partition of the history the run rewrites (the amount is how many times it was seen). */
    HISTORY_PARTITION,
    /** The newest value (epoch millis) of a field ({@code output}: version or watermark). */
    NEWEST,
    /** Rows the run wrote that {@code ProfileColumns} profiled. */
    PROFILED_ROWS,
    /** Of those, rows whose column ({@code output}) is null. */
    COLUMN_NULLS,
    /** The distinct non-null values of a column ({@code output}) in those rows. */
    COLUMN_DISTINCT,
    /** 1 when that distinct count is an estimate, 0 when it is exact. */
    COLUMN_APPROX,
    /** Rows the run wrote whose day field falls on a UTC day ({@code partition}: YYYY-MM-DD). */
    DAY_ROWS
  }

  public abstract String getKind();

  public abstract String getOutput();

  public abstract String getStage();

  public abstract String getReason();

  public abstract String getPartition();

  public static TallyKey of(Kind kind) {
    return new AutoValue_TallyKey(kind.name(), "", "", "", "");
  }

  /** Rows of {@code output}, or the newest value of a field. */
  public static TallyKey of(Kind kind, String output) {
    return new AutoValue_TallyKey(kind.name(), output, "", "", "");
  }

  public static TallyKey rejected(String stage, String reason) {
    return new AutoValue_TallyKey(Kind.REJECTED.name(), "", stage, reason, "");
  }

  public static TallyKey partition(String partition) {
    return new AutoValue_TallyKey(Kind.PARTITION.name(), "", "", "", partition);
  }

  /** Rows written on {@code day} (YYYY-MM-DD, UTC). */
  public static TallyKey day(String day) {
    return new AutoValue_TallyKey(Kind.DAY_ROWS.name(), "", "", "", day);
  }

  public static TallyKey create(
      String kind, String output, String stage, String reason, String partition) {
    return new AutoValue_TallyKey(kind, output, stage, reason, partition);
  }

  public Kind kind() {
    return Kind.valueOf(getKind());
  }
}
