package dev.intake.transforms.model;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one source format encodes a dataset's records: CSV with a header or JSON objects, which
 * source column or key holds which field, the timestamp and date patterns and the zone of floating
 * times.
 *
 * <p>{@code columns} maps a source name to a field name; a field absent from the map is read from
 * the source name equal to the field name. Source names not mapped to a field are ignored. For
 * JSON a source name is a path into the record ({@code dev.intake.transforms.parse.JsonPath}:
 * {@code identifier.permalink}, {@code categories[*].value}, {@code
 * locations[location_type=city].value}); for CSV it is a header name. Timestamp patterns are
 * {@link java.time.format.DateTimeFormatter} patterns tried in order; a value without an offset is
 * local time in {@code zone}. Date patterns ({@link #DEFAULT_DATE_PATTERNS} unless set) read
 * fields of type {@code date}.
 */
public final class RecordFormat implements Serializable {
  /** The syntax of a record. */
  public enum Kind {
    CSV,
    JSON
  }

  private final String name;
  private final Kind kind;
  private final LinkedHashMap<String, String> columns;
  private final List<String> timestampPatterns;
  private final String zone;
  private final List<String> datePatterns;

  /** ISO dates, {@code 2013-01-01}. */
  public static final List<String> DEFAULT_DATE_PATTERNS = List.of("yyyy-MM-dd");

  private RecordFormat(
      String name,
      Kind kind,
      Map<String, String> columns,
      List<String> patterns,
      String zone,
      List<String> datePatterns) {
    this.name = Objects.requireNonNull(name);
    this.kind = Objects.requireNonNull(kind);
    this.columns = new LinkedHashMap<>(columns);
    this.timestampPatterns = List.copyOf(patterns);
    this.zone = Objects.requireNonNull(zone);
    this.datePatterns = List.copyOf(datePatterns);
  }

  public static RecordFormat of(
      String name, Kind kind, Map<String, String> columns, List<String> patterns, String zone) {
    return new RecordFormat(name, kind, columns, patterns, zone, DEFAULT_DATE_PATTERNS);
  }

  /** Reads date fields with these patterns, tried in order, instead of ISO dates. */
  public RecordFormat withDatePatterns(List<String> patterns) {
    if (patterns == null || patterns.isEmpty()) {
      throw new IllegalArgumentException("datePatterns must not be empty, but was " + patterns);
    }
    return new RecordFormat(name, kind, columns, timestampPatterns, zone, patterns);
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  /** Source name to field name, in spec order. */
  public Map<String, String> columns() {
    return java.util.Collections.unmodifiableMap(columns);
  }

  public List<String> timestampPatterns() {
    return timestampPatterns;
  }

  public String zone() {
    return zone;
  }

  public List<String> datePatterns() {
    return datePatterns;
  }

  /** The source name that holds {@code field} in this format. */
  public String sourceNameOf(String field) {
    for (Map.Entry<String, String> e : columns.entrySet()) {
      if (e.getValue().equals(field)) {
        return e.getKey();
      }
    }
    return field;
  }
}
