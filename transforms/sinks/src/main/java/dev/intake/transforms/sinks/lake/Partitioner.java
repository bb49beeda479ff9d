package dev.intake.transforms.sinks.lake;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * Names the hive-style partition folder of a row, {@code <name>=<value>}, from a timestamp or date
 * field at day, month or year granularity (timestamps are read in the given zone). A row without
 * a value goes to {@code <name>=__none__}.
 */
public final class Partitioner implements Serializable {
  /** The size of a partition. */
  public enum Granularity {
    DAY,
    MONTH,
    YEAR
  }

  public static final String NONE = "__none__";

  private final String name;
  private final String field;
  private final Granularity granularity;
  private final String zone;
  private transient ZoneId zoneId;

  private Partitioner(String name, String field, Granularity granularity, String zone) {
    this.name = name;
    this.field = field;
    this.granularity = granularity;
    this.zone = zone;
    ZoneId.of(zone);
  }

  public static Partitioner of(String name, String field, Granularity granularity, String zone) {
    return new Partitioner(name, field, granularity, zone);
  }

  public String name() {
    return name;
  }

  public String field() {
    return field;
  }

  public Granularity granularity() {
    return granularity;
  }

  /** The same partitioning, computed from another field (e.g. an aggregate's day). */
  public Partitioner onField(String otherField) {
    return new Partitioner(name, otherField, granularity, zone);
  }

  /**
   * The dates {@code [start, end)} that the partition folder {@code name=value} covers, or null for
   * the folder of rows without a value.
   */
  public LocalDate[] dateRange(String folder) {
    String value = folder.substring(folder.indexOf('=') + 1);
    if (value.equals(NONE)) {
      return null;
    }
    switch (granularity) {
      case DAY:
        LocalDate d = LocalDate.parse(value);
        return new LocalDate[] {d, d.plusDays(1)};
      case MONTH:
        LocalDate m = LocalDate.parse(value + "-01");
        return new LocalDate[] {m, m.plusMonths(1)};
      default:
        LocalDate y = LocalDate.of(Integer.parseInt(value), 1, 1);
        return new LocalDate[] {y, y.plusYears(1)};
    }
  }

  /** {@code value} in at least {@code width} characters, zeros after a minus sign, as %0Nd. */
  static StringBuilder padded(StringBuilder out, int value, int width) {
    String digits = Long.toString(Math.abs((long) value));
    if (value < 0) {
      out.append('-');
    }
    for (int n = digits.length() + (value < 0 ? 1 : 0); n < width; n++) {
      out.append('0');
    }
    return out.append(digits);
  }

  /** "name=value" for the row. */
  public String folderOf(Row row) {
    Object v = row.getValue(field);
    LocalDate date;
    if (v == null) {
      return name + "=" + NONE;
    } else if (v instanceof ReadableInstant) {
      if (zoneId == null) {
        zoneId = ZoneId.of(zone);
      }
      date = LocalDate.ofInstant(Instant.ofEpochMilli(((ReadableInstant) v).getMillis()), zoneId);
    } else if (v instanceof LocalDate) {
      date = (LocalDate) v;
    } else {
      throw new IllegalArgumentException(
          "partition field " + field + " is neither a timestamp nor a date: " + v);
    }
    switch (granularity) {
      case DAY:
        return name + "=" + date;
      case MONTH:
        // As String.format("%04d-%02d") writes it, without a formatter per row (every row of a
        // run asks for its folder, several times).
        StringBuilder folder = new StringBuilder(name.length() + 9).append(name).append('=');
        padded(folder, date.getYear(), 4).append('-');
        return padded(folder, date.getMonthValue(), 2).toString();
      default:
        return name + "=" + date.getYear();
    }
  }
}
