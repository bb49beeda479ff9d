package dev.intake.transforms.parse;

import java.io.Serializable;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A quick reading of the text of one timestamp pattern whose every field has a fixed width ({@code
 * yyyy MM dd HH hh mm ss SSS a} and literals, e.g. the export's {@code MM/dd/yyyy hh:mm:ss a}):
 * the digits are read in place instead of through {@link java.time.format.DateTimeFormatter},
 * which costs several times more per value and a first load reads millions of them.
 *
 * <p>It only answers where the answer is certain: text of exactly the pattern's shape whose values
 * are all in range gives its instant (the same as the formatter's, local time in the zone, the
 * earlier offset in an overlap); anything else gives {@link #UNSURE}, and the formatter decides.
 */
final class FixedWidthTimestamp implements Serializable {
  /** What {@link #parse} returns when the formatter must decide. */
  static final long UNSURE = Long.MIN_VALUE;

  private enum Kind { YEAR, MONTH, DAY, HOUR24, HOUR12, MINUTE, SECOND, MILLIS, AMPM, LITERAL }

  /** A field at a fixed position: its kind, offset and width (a literal: its text). */
  private record Part(Kind kind, int at, int width, String literal) implements Serializable {}

  private final List<Part> parts;
  private final int length;

  private FixedWidthTimestamp(List<Part> parts, int length) {
    this.parts = parts;
    this.length = length;
  }

  /**
   * The quick reading of {@code pattern} (a {@link java.time.format.DateTimeFormatter} pattern),
   * or null when it has a field of variable width, a zone or offset, text other than AM/PM, a
   * 12-hour clock without AM/PM, or a field twice.
   */
  static FixedWidthTimestamp of(String pattern) {
    List<Part> parts = new ArrayList<>();
    List<Kind> seen = new ArrayList<>();
    int at = 0;
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      int run = 1;
      while (i + run < pattern.length() && pattern.charAt(i + run) == c) {
        run++;
      }
      if (c == '\'') {
        int close = pattern.indexOf('\'', i + 1);
        if (close < 0 || close == i + 1) {
          return null; // an unclosed quote, or '' (a quote character): the formatter's business
        }
        String literal = pattern.substring(i + 1, close);
        parts.add(new Part(Kind.LITERAL, at, literal.length(), literal));
        at += literal.length();
        i = close + 1;
        continue;
      }
      if (Character.isLetter(c)) {
        Kind kind = kindOf(c, run);
        if (kind == null || seen.contains(kind)) {
          return null;
        }
        seen.add(kind);
        int width = kind == Kind.AMPM ? 2 : run;
        parts.add(new Part(kind, at, width, null));
        at += width;
      } else if (c == '[' || c == ']' || c == '{' || c == '}' || c == '#') {
        return null; // optional sections and reserved characters
      } else {
        String literal = pattern.substring(i, i + run);
        parts.add(new Part(Kind.LITERAL, at, run, literal));
        at += run;
      }
      i += run;
    }
    boolean complete = seen.contains(Kind.YEAR) && seen.contains(Kind.MONTH)
        && seen.contains(Kind.DAY) && seen.contains(Kind.MINUTE)
        && (seen.contains(Kind.HOUR24) != (seen.contains(Kind.HOUR12) && seen.contains(Kind.AMPM)))
        && (seen.contains(Kind.AMPM) == seen.contains(Kind.HOUR12))
        && (!seen.contains(Kind.MILLIS) || seen.contains(Kind.SECOND));
    return complete ? new FixedWidthTimestamp(List.copyOf(parts), at) : null;
  }

  private static Kind kindOf(char letter, int run) {
    switch (letter) {
      case 'y':
      case 'u':
        return run == 4 ? Kind.YEAR : null;
      case 'M':
        return run == 2 ? Kind.MONTH : null;
      case 'd':
        return run == 2 ? Kind.DAY : null;
      case 'H':
        return run == 2 ? Kind.HOUR24 : null;
      case 'h':
        return run == 2 ? Kind.HOUR12 : null;
      case 'm':
        return run == 2 ? Kind.MINUTE : null;
      case 's':
        return run == 2 ? Kind.SECOND : null;
      case 'S':
        return run == 3 ? Kind.MILLIS : null;
      case 'a':
        return run == 1 ? Kind.AMPM : null;
      default:
        return null;
    }
  }

  /**
   * The epoch milliseconds of {@code text} read as local time in {@code zone}, or {@link #UNSURE}
   * when the text is not exactly of the pattern's shape or a value is out of range.
   */
  long parse(String text, ZoneId zone) {
    if (text.length() != length) {
      return UNSURE;
    }
    int year = -1;
    int month = -1;
    int day = -1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int millis = 0;
    int pm = -1;
    for (Part p : parts) {
      if (p.kind == Kind.LITERAL) {
        if (!text.startsWith(p.literal, p.at)) {
          return UNSURE;
        }
        continue;
      }
      if (p.kind == Kind.AMPM) {
        pm = text.startsWith("AM", p.at) ? 0 : text.startsWith("PM", p.at) ? 1 : -1;
        if (pm < 0) {
          return UNSURE;
        }
        continue;
      }
      int v = digits(text, p.at, p.width);
      if (v < 0) {
        return UNSURE;
      }
      switch (p.kind) {
        case YEAR -> year = v;
        case MONTH -> month = v;
        case DAY -> day = v;
        case HOUR24, HOUR12 -> hour = v;
        case MINUTE -> minute = v;
        case SECOND -> second = v;
        default -> millis = v;
      }
    }
    if (pm >= 0) {
      if (hour < 1 || hour > 12) {
        return UNSURE;
      }
      hour = hour % 12 + 12 * pm;
    }
    if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59
        || second > 59 || day > java.time.Month.of(month).length(Year.isLeap(year))) {
      return UNSURE;
    }
    LocalDateTime local =
        LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000);
    return ZonedDateTime.ofLocal(local, zone, null).toInstant().toEpochMilli();
  }

  /** The number in {@code width} ASCII digits at {@code at}, or -1 if one is not a digit. */
  private static int digits(String text, int at, int width) {
    int v = 0;
    for (int i = at; i < at + width; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
