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
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * The calendar bucket of a timestamp or date field that {@link AggregateRows} groups by: the local
 * date of the timestamp in a zone (a date field is taken as it is, the zone does not apply),
 * truncated to its day, its ISO week (the bucket is that week's Monday), its month (the first of
 * the month) or its year (January 1), and written as a DATE column of the given name. Immutable.
 */
public final class TimeBucket implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The size of a bucket. */
  public enum Unit {
    DAY,
    /** An ISO week, Monday to Sunday; it may span two months or two years. */
    WEEK,
    MONTH,
    YEAR;

    /** The unit called {@code name} (day, week, month, year, any case), or null if none. */
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
        case MONTH:
          return date.withDayOfMonth(1);
        default:
          return date.withDayOfYear(1);
      }
    }
  }

  private final String field;
  private final Unit unit;
  private final String column;
  private final String zone;
  /** {@link #zone}'s rules, looked up once per instance rather than per row. */
  private transient ZoneId zoneId;

  private TimeBucket(String field, Unit unit, String column, String zone) {
    this.field = field;
    this.unit = unit;
    this.column = column;
    this.zone = zone;
  }

  /**
   * Buckets of {@code unit} of the timestamp or date {@code field}, read in {@code zone}, in the DATE
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

  /** The timestamp or date field the bucket is computed from. */
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
    Object v = row.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof LocalDate date) {
      return unit.truncate(date);
    }
    if (zoneId == null) {
      zoneId = ZoneId.of(zone);
    }
    long millis = ((ReadableInstant) v).getMillis();
    return unit.truncate(LocalDate.ofInstant(Instant.ofEpochMilli(millis), zoneId));
  }

  /** Whether a field of {@code type} can be bucketed: a timestamp or a date. */
  public static boolean accepts(org.apache.beam.sdk.schemas.Schema.FieldType type) {
    return type.getTypeName() == org.apache.beam.sdk.schemas.Schema.TypeName.DATETIME
        || (type.getTypeName().isLogicalType()
            && type.getLogicalType().getIdentifier().equals(SqlTypes.DATE.getIdentifier()));
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
