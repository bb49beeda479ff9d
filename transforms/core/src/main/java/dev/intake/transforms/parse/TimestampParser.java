package dev.intake.transforms.parse;

import java.io.Serializable;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.joda.time.Instant;

/**
 * Parses timestamps with a list of patterns tried in order. A value with an offset or zone is taken
 * as written; a floating value is local time in the given zone (in the autumn DST overlap the
 * earlier offset is used). Dates are checked strictly: February 30 is an error, not March 2.
 */
public final class TimestampParser implements Serializable {
  private final List<String> patterns;
  private final String zone;
  private transient List<DateTimeFormatter> formatters;
  private transient ZoneId zoneId;

  public TimestampParser(List<String> patterns, String zone) {
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("at least one timestamp pattern is required");
    }
    this.patterns = List.copyOf(patterns);
    this.zone = zone;
    init();
  }

  private void init() {
    zoneId = ZoneId.of(zone);
    formatters = new ArrayList<>();
    for (String p : patterns) {
      formatters.add(
          DateTimeFormatter.ofPattern(p.replace('y', 'u'), Locale.US)
              .withResolverStyle(ResolverStyle.STRICT));
    }
  }

  /** The instant {@code text} denotes, or null if no pattern matches. */
  public Instant parse(String text) {
    if (formatters == null) {
      init();
    }
    for (DateTimeFormatter f : formatters) {
      try {
        TemporalAccessor t = f.parse(text);
        LocalDateTime local = LocalDateTime.from(t);
        java.time.Instant instant;
        if (t.isSupported(ChronoField.OFFSET_SECONDS)) {
          instant = local.toInstant(java.time.ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS)));
        } else {
          ZoneId written = t.query(TemporalQueries.zoneId());
          ZoneId in = written != null ? written : zoneId;
          instant = ZonedDateTime.ofLocal(local, in, null).toInstant();
        }
        return new Instant(instant.toEpochMilli());
      } catch (java.time.DateTimeException e) {
        // try the next pattern
      }
    }
    return null;
  }

  public List<String> patterns() {
    return patterns;
  }
}
