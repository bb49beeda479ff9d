package dev.intake.transforms.aggregate;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Objects;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * The calendar bucket of a timestamp field that {@link AggregateRows} groups by: the local date of
 * the timestamp in a zone, truncated to its day, its ISO week (the bucket is that week's Monday) or
 * its month (the bucket is the first of the month), and written as a DATE column of the given name.
 * Immutable.
 */
public final class TimeBucket implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The size of a bucket. */
  public enum Unit {
    DAY,
    /** An ISO week, Monday to Sunday; it may span two months or two years. */
    WEEK,
    MONTH;

    /** The unit called {@code name} (day, week, month, any case), or null if there is none. */
    public static Unit named(String name) {
      for (Unit u : values()) {
        if (u.name().equals(name.toUpperCase(Locale.ROOT))) {
          return u;
        }
      }
      return null;
    }

    LocalDate truncate(LocalDate date) {
      switch (this) {
        case DAY:
          return date;
        case WEEK:
          return date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        default:
          return date.withDayOfMonth(1);
      }
    }
  }

  private final String field;
  private final Unit unit;
  private final String column;
  private final String zone;

  private TimeBucket(String field, Unit unit, String column, String zone) {
    this.field = field;
    this.unit = unit;
    this.column = column;
    this.zone = zone;
  }

  /**
   * Buckets of {@code unit} of the timestamp {@code field}, read in {@code zone}, in the DATE
   * column {@code column}.
   *
   * @throws IllegalArgumentException if a name is missing or the zone is unknown
   */
  public static TimeBucket of(String field, Unit unit, String column, String zone) {
    check(field != null && !field.isEmpty(), "field must not be empty, but was %s", field);
    check(column != null && !column.isEmpty(), "column must not be empty, but was %s", column);
    Objects.requireNonNull(unit, "unit");
    try {
      ZoneId.of(Objects.requireNonNull(zone, "zone"));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("zone must be a known time zone, but was " + zone, e);
    }
    return new TimeBucket(field, unit, column, zone);
  }

  /** The timestamp field the bucket is computed from. */
  public String field() {
    return field;
  }

  public Unit unit() {
    return unit;
  }

  /** The name of the output's DATE column. */
  public String column() {
    return column;
  }

  public String zone() {
    return zone;
  }

  /** The bucket of {@code row}, or null when its field has no value. */
  LocalDate of(Row row) {
    ReadableInstant t = row.getDateTime(field);
    if (t == null) {
      return null;
    }
    return unit.truncate(LocalDate.ofInstant(Instant.ofEpochMilli(t.getMillis()), ZoneId.of(zone)));
  }

  @Override
  public String toString() {
    return unit.name().toLowerCase(Locale.ROOT) + " of " + field + " in " + zone + " as " + column;
  }

  private static void check(boolean ok, String message, Object arg) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(message, arg));
    }
  }
}
