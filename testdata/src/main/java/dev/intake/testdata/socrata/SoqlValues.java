package dev.intake.testdata.socrata;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the fake server reads, compares and writes SoQL values. Socrata sends every value as a
 * string; the server has no column types, so it decides from the text:
 *
 * <ul>
 *   <li>two ISO timestamps compare as points in time: floating ({@code 2021-07-10T23:00:07.000},
 *       also with fewer fraction digits, without seconds, or a bare date) and fixed (the same
 *       with {@code Z} or an offset); a floating timestamp compared with a fixed one is read as
 *       UTC;
 *   <li>else two decimal numbers compare numerically;
 *   <li>else the two strings compare by UTF-16 code unit, case-sensitively.
 * </ul>
 *
 * <p>For {@code $order} a column's kind is decided once over all its values ({@link
 * #kindOf(Collection)}), so that sorting is consistent.
 */
final class SoqlValues {
  /** What a column (or a pair of values) is compared as. */
  enum Kind {
    /** Every value is an ISO timestamp. */
    TIMESTAMP,
    /** Every value is a decimal number. */
    NUMBER,
    /** Anything else. */
    TEXT
  }

  private static final Pattern TIMESTAMP =
      Pattern.compile(
          "(\\d{4})-(\\d{2})-(\\d{2})"
              + "(?:T(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?"
              + "(Z|[+-]\\d{2}:?\\d{2})?");
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
  private static final DateTimeFormatter FIXED =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private SoqlValues() {}

  /** Formats {@code t} as Socrata writes fixed timestamps: {@code 2021-07-10T23:00:07.000Z}. */
  static String fixed(Instant t) {
    return FIXED.format(t.truncatedTo(ChronoUnit.MILLIS));
  }

  /** The instant {@code s} denotes (a floating timestamp read as UTC), or null if not one. */
  static Instant timestamp(String s) {
    if (s == null || s.length() < 10 || s.length() > 40 || !isDigit(s.charAt(0))) {
      return null;
    }
    if (s.length() == 23 || (s.length() == 24 && s.charAt(23) == 'Z')) {
      Instant fast = millisForm(s);
      if (fast != null) {
        return fast;
      }
    }
    Matcher m = TIMESTAMP.matcher(s);
    if (!m.matches()) {
      return null;
    }
    try {
      int nanos = 0;
      if (m.group(7) != null) {
        String f = (m.group(7) + "000000000").substring(0, 9);
        nanos = Integer.parseInt(f);
      }
      LocalDateTime local =
          LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
              m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
              m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
              nanos);
      String zone = m.group(8);
      ZoneOffset offset =
          zone == null || zone.equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(normalOffset(zone));
      return local.toInstant(offset);
    } catch (DateTimeException | NumberFormatException e) {
      return null;
    }
  }

  /** The common {@code yyyy-MM-ddTHH:mm:ss.SSS[Z]} form without a regex; null if not it. */
  private static Instant millisForm(String s) {
    for (int i = 0; i < 23; i++) {
      char c = s.charAt(i);
      boolean ok = switch (i) {
        case 4, 7 -> c == '-';
        case 10 -> c == 'T';
        case 13, 16 -> c == ':';
        case 19 -> c == '.';
        default -> isDigit(c);
      };
      if (!ok) {
        return null;
      }
    }
    try {
      return LocalDateTime.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10),
              digits(s, 11, 13), digits(s, 14, 16), digits(s, 17, 19),
              digits(s, 20, 23) * 1_000_000)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static int digits(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n = n * 10 + (s.charAt(i) - '0');
    }
    return n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String normalOffset(String zone) {
    return zone.length() == 5 ? zone.substring(0, 3) + ":" + zone.substring(3) : zone;
  }

  /** The number {@code s} denotes, or null if it is not a decimal number. */
  static BigDecimal number(String s) {
    if (s == null || s.isEmpty() || s.length() > 100 || !NUMBER.matcher(s).matches()) {
      return null;
    }
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The kind of one value. */
  static Kind kindOf(String s) {
    if (timestamp(s) != null) {
      return Kind.TIMESTAMP;
    }
    return number(s) != null ? Kind.NUMBER : Kind.TEXT;
  }

  /**
   * The kind of a column from all its values: TIMESTAMP or NUMBER if every non-null string value
   * is one, else TEXT; null if the column has no string value at all.
   */
  static Kind kindOf(Collection<?> values) {
    boolean allTimestamps = true;
    boolean allNumbers = true;
    boolean any = false;
    for (Object v : values) {
      if (v == null) {
        continue;
      }
      if (!(v instanceof String s)) {
        return Kind.TEXT;
      }
      any = true;
      if (allTimestamps && timestamp(s) == null) {
        allTimestamps = false;
      }
      if (allNumbers && number(s) == null) {
        allNumbers = false;
      }
      if (!allTimestamps && !allNumbers) {
        return Kind.TEXT;
      }
    }
    if (!any) {
      return null;
    }
    return allTimestamps ? Kind.TIMESTAMP : allNumbers ? Kind.NUMBER : Kind.TEXT;
  }

  /** Compares two values pairwise as described in the class comment. */
  static int compare(String a, String b) {
    Instant ta = timestamp(a);
    Instant tb = ta == null ? null : timestamp(b);
    if (ta != null && tb != null) {
      return ta.compareTo(tb);
    }
    BigDecimal na = number(a);
    BigDecimal nb = na == null ? null : number(b);
    if (na != null && nb != null) {
      return na.compareTo(nb);
    }
    return a.compareTo(b);
  }

  /**
   * The sort key of {@code value} in a column of kind {@code kind}: an {@link Instant}, a {@link
   * BigDecimal} or the string; null for a missing or non-string value.
   */
  static Comparable<?> sortKey(Object value, Kind kind) {
    if (!(value instanceof String s)) {
      return null;
    }
    if (kind == Kind.TIMESTAMP) {
      Instant t = timestamp(s);
      return t != null ? t : s;
    }
    if (kind == Kind.NUMBER) {
      BigDecimal n = number(s);
      return n != null ? n : s;
    }
    return s;
  }
}
