package dev.intake.testdata;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Arrays;

/**
 * Wall-clock time of one zone as a count of seconds ("local seconds": the local date-time read as
 * if it were UTC), which keeps the arithmetic of the generator free of offsets. Knows the zone's
 * spring-forward gaps, so that the generator never writes a local time that does not exist, and
 * formats local seconds as the SF 311 export does: {@code MM/dd/yyyy hh:mm:ss a}.
 *
 * <p>Ordering: for local times that avoid the gaps, {@code a <= b} in local seconds implies
 * {@code a <= b} as instants when a reader resolves the autumn overlap consistently (always the
 * earlier offset, or always the later one).
 */
final class WallClock {
  private final long[] gapStarts;
  private final long[] gapEnds;
  private long cachedDay = Long.MIN_VALUE;
  private final char[] cachedDate = new char[10];

  WallClock(ZoneId zone) {
    ZoneRules rules = zone.getRules();
    long[] starts = new long[256];
    long[] ends = new long[256];
    int n = 0;
    Instant from = LocalDate.of(1990, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant until = LocalDate.of(2200, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    for (ZoneOffsetTransition t = rules.nextTransition(from);
        t != null && t.getInstant().isBefore(until);
        t = rules.nextTransition(t.getInstant())) {
      if (t.isGap()) {
        if (n == starts.length) {
          starts = Arrays.copyOf(starts, n * 2);
          ends = Arrays.copyOf(ends, n * 2);
        }
        starts[n] = of(t.getDateTimeBefore());
        ends[n] = of(t.getDateTimeAfter());
        n++;
      }
    }
    gapStarts = Arrays.copyOf(starts, n);
    gapEnds = Arrays.copyOf(ends, n);
  }

  static long of(LocalDateTime t) {
    return t.toEpochSecond(ZoneOffset.UTC);
  }

  /** True if the local time {@code s} does not exist (it falls in a spring-forward gap). */
  boolean inGap(long s) {
    int i = Arrays.binarySearch(gapStarts, s);
    if (i >= 0) {
      return true;
    }
    int before = -i - 2;
    return before >= 0 && s < gapEnds[before];
  }

  /** {@code s}, or {@code s} moved forward past the gap it falls in. */
  long skipGap(long s) {
    int i = Arrays.binarySearch(gapStarts, s);
    int before = i >= 0 ? i : -i - 2;
    if (before >= 0 && s < gapEnds[before]) {
      return s + (gapEnds[before] - gapStarts[before]);
    }
    return s;
  }

  /** Appends {@code MM/dd/yyyy hh:mm:ss a} (12-hour clock, AM/PM). */
  void appendExport(StringBuilder sb, long s) {
    appendDate(sb, s);
    int sod = (int) Math.floorMod(s, 86_400L);
    int h24 = sod / 3600;
    int h12 = h24 % 12 == 0 ? 12 : h24 % 12;
    sb.append(' ');
    two(sb, h12);
    sb.append(':');
    two(sb, sod / 60 % 60);
    sb.append(':');
    two(sb, sod % 60);
    sb.append(h24 < 12 ? " AM" : " PM");
  }

  /** Appends {@code MM/dd/yyyy}. */
  void appendDate(StringBuilder sb, long s) {
    long day = Math.floorDiv(s, 86_400L);
    if (day != cachedDay) {
      LocalDate d = LocalDate.ofEpochDay(day);
      StringBuilder t = new StringBuilder(10);
      two(t, d.getMonthValue());
      t.append('/');
      two(t, d.getDayOfMonth());
      t.append('/');
      int y = d.getYear();
      t.append((char) ('0' + y / 1000 % 10)).append((char) ('0' + y / 100 % 10))
          .append((char) ('0' + y / 10 % 10)).append((char) ('0' + y % 10));
      t.getChars(0, 10, cachedDate, 0);
      cachedDay = day;
    }
    sb.append(cachedDate);
  }

  static void two(StringBuilder sb, int v) {
    sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }
}
