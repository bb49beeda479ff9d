package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.sources.ApiSource;
import dev.intake.transforms.sources.SourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Reads a spec's {@code source}: its {@code type} picks one of the {@link SourceType}s on the
 * classpath (found with {@link ServiceLoader}), which reads the rest of the section itself. The
 * records it yields must be in a json format of the spec.
 */
final class SourceParser {
  private SourceParser() {}

  /** The source types on the classpath, by name in alphabetical order. */
  static Registry<SourceType> types() {
    List<SourceType> found = new ArrayList<>();
    ServiceLoader.load(SourceType.class).forEach(found::add);
    found.sort((a, b) -> a.name().compareTo(b.name()));
    Registry<SourceType> types = Registry.empty();
    for (SourceType t : found) {
      types = types.with(t.name(), t);
    }
    return types;
  }

  /** The source of section {@code s} (null: the spec has none). */
  static ApiSource parse(SpecNodes nodes, JsonNode s, Map<String, RecordFormat> formats) {
    if (s == null) {
      return null;
    }
    if (!s.isObject()) {
      throw nodes.error(s, "expected a mapping with type and the settings of that source type");
    }
    String type = nodes.text(s, "type", true);
    Registry<SourceType> types = types();
    SourceType sourceType = types.get(type);
    if (sourceType == null) {
      throw nodes.error(s.get("type"), "unknown source type '" + type
          + "' (known: " + (types.names().isEmpty() ? "none" : types.known()) + ")");
    }
    ApiSource api = sourceType.configure(new NodeSection(nodes, s));
    RecordFormat f = formats.get(api.format());
    if (f == null || f.kind() != RecordFormat.Kind.JSON) {
      JsonNode at = s.get("format");
      throw nodes.error(at != null ? at : s, "source format '" + api.format()
          + "' must name a json format among " + formats.keySet());
    }
    ApiSource.Deletions deletions = api.deletions();
    if (deletions != null) {
      RecordFormat d = formats.get(deletions.format());
      JsonNode at = s.path("deletions").get("format");
      if (d == null || d.kind() != RecordFormat.Kind.JSON) {
        throw nodes.error(at != null ? at : s, "deletions format '" + deletions.format()
            + "' must name a json format among " + formats.keySet());
      }
    }
    return api;
  }
}
