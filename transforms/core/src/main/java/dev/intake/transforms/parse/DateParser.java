package dev.intake.transforms.parse;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses calendar dates with a list of patterns tried in order, strictly (February 30 is an error,
 * not March 2). A date has no zone: {@code 2013-01-01} is that day wherever it is read.
 */
final class DateParser implements Serializable {
  private final List<String> patterns;
  private transient List<DateTimeFormatter> formatters;

  DateParser(List<String> patterns) {
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("at least one date pattern is required");
    }
    this.patterns = List.copyOf(patterns);
  }

  /** The date {@code text} denotes, or null if no pattern matches. */
  LocalDate parse(String text) {
    if (formatters == null) {
      List<DateTimeFormatter> fs = new ArrayList<>();
      for (String p : patterns) {
        fs.add(DateTimeFormatter.ofPattern(p.replace('y', 'u'), Locale.US)
            .withResolverStyle(ResolverStyle.STRICT));
      }
      formatters = fs;
    }
    for (DateTimeFormatter f : formatters) {
      try {
        return LocalDate.from(f.parse(text));
      } catch (DateTimeException e) {
        // try the next pattern
      }
    }
    return null;
  }

  List<String> patterns() {
    return patterns;
  }
}
