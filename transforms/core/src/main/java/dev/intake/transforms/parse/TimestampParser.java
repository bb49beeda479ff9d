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
 *
 * <p>A pattern whose fields all have a fixed width is read by {@link FixedWidthTimestamp} first,
 * which gives the same instants several times faster and leaves any text it is not sure of to the
 * pattern's formatter.
 */
public final class TimestampParser implements Serializable {
  private final List<String> patterns;
  private final String zone;
  private final boolean quick;
  private transient List<Reading> readings;
  private transient ZoneId zoneId;

  /** How one pattern is read: quickly where it can be (else null), by its formatter otherwise. */
  private record Reading(FixedWidthTimestamp quick, DateTimeFormatter formatter) {}

  public TimestampParser(List<String> patterns, String zone) {
    this(patterns, zone, true);
  }

  /** With {@code quick} false, every text goes through the patterns' formatters (for tests). */
  TimestampParser(List<String> patterns, String zone, boolean quick) {
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("at least one timestamp pattern is required");
    }
    this.patterns = List.copyOf(patterns);
    this.zone = zone;
    this.quick = quick;
    init();
  }

  private void init() {
    zoneId = ZoneId.of(zone);
    List<Reading> r = new ArrayList<>();
    for (String p : patterns) {
      r.add(new Reading(quick ? FixedWidthTimestamp.of(p) : null,
          DateTimeFormatter.ofPattern(p.replace('y', 'u'), Locale.US)
              .withResolverStyle(ResolverStyle.STRICT)));
    }
    readings = r;
  }

  /** The instant {@code text} denotes, or null if no pattern matches. */
  public Instant parse(String text) {
    if (readings == null) {
      init();
    }
    for (Reading reading : readings) {
      if (reading.quick() != null) {
        long millis = reading.quick().parse(text, zoneId);
        if (millis != FixedWidthTimestamp.UNSURE) {
          return new Instant(millis);
        }
      }
      try {
        TemporalAccessor t = reading.formatter().parse(text);
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
