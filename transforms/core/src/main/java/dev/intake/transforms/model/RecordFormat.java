package dev.intake.transforms.model;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one source format encodes a dataset's records: CSV with a header or JSON objects, which
 * source column or key holds which field, the timestamp patterns and the zone of floating times.
 *
 * <p>{@code columns} maps a source name to a field name; a field absent from the map is read from
 * the source name equal to the field name. Source names not mapped to a field are ignored.
 * Timestamp patterns are {@link java.time.format.DateTimeFormatter} patterns tried in order; a
 * value without an offset is local time in {@code zone}.
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

  private RecordFormat(
      String name, Kind kind, Map<String, String> columns, List<String> patterns, String zone) {
    this.name = Objects.requireNonNull(name);
    this.kind = Objects.requireNonNull(kind);
    this.columns = new LinkedHashMap<>(columns);
    this.timestampPatterns = List.copyOf(patterns);
    this.zone = Objects.requireNonNull(zone);
  }

  public static RecordFormat of(
      String name, Kind kind, Map<String, String> columns, List<String> patterns, String zone) {
    return new RecordFormat(name, kind, columns, patterns, zone);
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
