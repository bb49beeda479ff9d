package dev.intake.transforms.derive;

import dev.intake.transforms.model.FieldType;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.schemas.Schema;
import org.joda.time.ReadableInstant;

/** The derivations of time: hours and days between, date parts, date buckets. */
public final class TimeFunctions {
  private TimeFunctions() {}

  /** A part of a local date-time that {@link Derivation#datePart} extracts, as a whole number. */
  public enum Part {
    YEAR,
    /** 1 to 4. */
    QUARTER,
    /** 1 to 12. */
    MONTH,
    /** The ISO week of the year, 1 to 53 (the week with the year's first Thursday is 1). */
    WEEK,
    /** The day of the month, 1 to 31. */
    DAY,
    /** The ISO day of the week: 1 is Monday, 7 is Sunday. */
    DOW,
    /** The day of the year, 1 to 366. */
    DOY,
    /** 0 to 23; a timestamp's only. */
    HOUR,
    /** 0 to 59; a timestamp's only. */
    MINUTE;

    /** The part called {@code name} (any case), or null if none. */
    public static Part named(String name) {
      for (Part p : values()) {
        if (p.name().equalsIgnoreCase(name)) {
          return p;
        }
      }
      return null;
    }

    /** Whether the part needs a time of day, so a date field has none. */
    public boolean needsTime() {
      return this == HOUR || this == MINUTE;
    }

    long of(LocalDateTime t) {
      switch (this) {
        case YEAR:
          return t.getYear();
        case QUARTER:
          return (t.getMonthValue() + 2) / 3;
        case MONTH:
          return t.getMonthValue();
        case WEEK:
          return t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        case DAY:
          return t.getDayOfMonth();
        case DOW:
          return t.getDayOfWeek().getValue();
        case DOY:
          return t.getDayOfYear();
        case HOUR:
          return t.getHour();
        default:
          return t.getMinute();
      }
    }
  }

  /** The size of a date bucket of {@link Derivation#dateTrunc}: its first day. */
  public enum Unit {
    DAY,
    /** The ISO week's Monday. */
    WEEK,
    MONTH,
    QUARTER,
    YEAR;

    /** The unit called {@code name} (any case), or null if none. */
    public static Unit named(String name) {
      for (Unit u : values()) {
        if (u.name().equalsIgnoreCase(name)) {
          return u;
        }
      }
      return null;
    }

    LocalDate truncate(LocalDate d) {
      switch (this) {
        case DAY:
          return d;
        case WEEK:
          return d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        case MONTH:
          return d.withDayOfMonth(1);
        case QUARTER:
          return LocalDate.of(d.getYear(), (d.getMonthValue() - 1) / 3 * 3 + 1, 1);
        default:
          return d.withDayOfYear(1);
      }
    }
  }

  /** The local date-time of a timestamp (a Joda instant) or a date (at midnight) in a zone. */
  static LocalDateTime local(Object value, String zone) {
    if (value instanceof LocalDate d) {
      return d.atStartOfDay();
    }
    long millis = ((ReadableInstant) value).getMillis();
    return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.of(zone));
  }

  private static String timestampOrDate(Schema.FieldType t) {
    return Derivation.isTimestamp(t) || Derivation.isDate(t) ? null : "a timestamp or date field";
  }

  static final class HoursBetween extends Derivation {
    private final String start;
    private final String end;

    HoursBetween(String name, String start, String end) {
      super(name);
      this.start = start;
      this.end = end;
    }

    @Override
    public FieldType fieldType() {
      return FieldType.DOUBLE;
    }

    @Override
    public List<String> inputs() {
      return List.of(start, end);
    }

    @Override
    String expects(String input, Schema.FieldType type) {
      return isTimestamp(type) ? null : "a timestamp field";
    }

    @Override
    Object compute(RowValues row) {
      ReadableInstant s = (ReadableInstant) row.get(start);
      ReadableInstant e = (ReadableInstant) row.get(end);
      if (s == null || e == null) {
        return null;
      }
      return (e.getMillis() - s.getMillis()) / 3_600_000.0;
    }
  }

  static final class DaysBetween extends Derivation {
    private final String start;
    private final String end;
    private final String zone;

    DaysBetween(String name, String start, String end, String zone) {
      super(name);
      this.start = start;
      this.end = end;
      this.zone = ZoneId.of(zone).getId();
    }

    @Override
    public FieldType fieldType() {
      return FieldType.LONG;
    }

    @Override
    public List<String> inputs() {
      return List.of(start, end);
    }

    @Override
    String expects(String input, Schema.FieldType type) {
      return timestampOrDate(type);
    }

    @Override
    Object compute(RowValues row) {
      Object s = row.get(start);
      Object e = row.get(end);
      if (s == null || e == null) {
        return null;
      }
      return ChronoUnit.DAYS.between(
          local(s, zone).toLocalDate(), local(e, zone).toLocalDate());
    }
  }

  static final class DatePart extends Derivation {
    private final String field;
    private final Part part;
    private final String zone;

    DatePart(String name, String field, Part part, String zone) {
      super(name);
      this.field = field;
      this.part = part;
      this.zone = ZoneId.of(zone).getId();
    }

    @Override
    public FieldType fieldType() {
      return FieldType.LONG;
    }

    @Override
    public List<String> inputs() {
      return List.of(field);
    }

    @Override
    String expects(String input, Schema.FieldType type) {
      if (part.needsTime()) {
        return isTimestamp(type) ? null : "a timestamp field (a date has no "
            + part.name().toLowerCase(Locale.ROOT) + ")";
      }
      return timestampOrDate(type);
    }

    @Override
    Object compute(RowValues row) {
      Object v = row.get(field);
      return v == null ? null : part.of(local(v, zone));
    }
  }

  static final class DateTrunc extends Derivation {
    private final String field;
    private final Unit unit;
    private final String zone;

    DateTrunc(String name, String field, Unit unit, String zone) {
      super(name);
      this.field = field;
      this.unit = unit;
      this.zone = ZoneId.of(zone).getId();
    }

    @Override
    public FieldType fieldType() {
      return FieldType.DATE;
    }

    @Override
    public List<String> inputs() {
      return List.of(field);
    }

    @Override
    String expects(String input, Schema.FieldType type) {
      return timestampOrDate(type);
    }

    @Override
    Object compute(RowValues row) {
      Object v = row.get(field);
      return v == null ? null : unit.truncate(local(v, zone).toLocalDate());
    }
  }
}
