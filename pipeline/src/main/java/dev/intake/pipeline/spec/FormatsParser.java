package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.parse.JsonPath;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a spec's {@code formats} (how files and API answers encode records: kind, timestamp and
 * date patterns, source column names) and {@code fullLoad}, which names the formats of export
 * files. A JSON format's source names are {@link JsonPath}s, checked here: bad syntax, or a
 * {@code [*]} path (a list) mapped to a field that is not a list, is a spec error.
 */
final class FormatsParser {
  private final SpecNodes nodes;
  final Map<String, RecordFormat> formats = new LinkedHashMap<>();
  String exportFormat;
  String jsonLinesFormat;

  private FormatsParser(SpecNodes nodes) {
    this.nodes = nodes;
  }

  /** Reads {@code root.formats} and {@code root.fullLoad}; timestamps are read in {@code zone}. */
  static FormatsParser parse(
      SpecNodes nodes, JsonNode root, String zone, Map<String, JsonNode> fieldNodes) {
    FormatsParser parser = new FormatsParser(nodes);
    JsonNode formatsNode = root.get("formats");
    if (formatsNode == null || !formatsNode.isObject() || formatsNode.isEmpty()) {
      throw nodes.error(root, "missing 'formats' (how the source files or API encode the records)");
    }
    Iterator<Map.Entry<String, JsonNode>> it = formatsNode.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      parser.formats.put(e.getKey(), parser.format(e.getKey(), e.getValue(), zone, fieldNodes));
    }
    JsonNode fullLoad = root.get("fullLoad");
    if (fullLoad != null) {
      nodes.known(fullLoad, "csv", "jsonLines");
      parser.exportFormat = parser.formatRef(fullLoad, "csv", RecordFormat.Kind.CSV);
      parser.jsonLinesFormat = parser.formatRef(fullLoad, "jsonLines", RecordFormat.Kind.JSON);
    }
    return parser;
  }

  private RecordFormat format(
      String name, JsonNode f, String zone, Map<String, JsonNode> fieldNodes) {
    nodes.known(f, "kind", "timestampPatterns", "datePatterns", "columns");
    String kind = nodes.text(f, "kind", true);
    RecordFormat.Kind k;
    try {
      k = RecordFormat.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw nodes.error(f.get("kind"), "format kind must be csv or json, not '" + kind + "'");
    }
    List<String> patterns = patterns(f, "timestampPatterns", true);
    List<String> datePatterns = patterns(f, "datePatterns", false);
    Map<String, String> columns = new LinkedHashMap<>();
    JsonNode c = f.get("columns");
    if (c != null) {
      if (!c.isObject()) {
        throw nodes.error(c, "columns maps source column names to field names");
      }
      Iterator<Map.Entry<String, JsonNode>> it = c.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode field = fieldNodes.get(e.getValue().asText());
        if (field == null) {
          throw nodes.error(e.getValue(), "format " + name + ": column '" + e.getKey()
              + "' maps to '" + e.getValue().asText() + "', which is not a field");
        }
        if (k == RecordFormat.Kind.JSON) {
          checkPath(name, e.getKey(), e.getValue(), field);
        }
        columns.put(e.getKey(), e.getValue().asText());
      }
    }
    RecordFormat format = RecordFormat.of(name, k, columns, patterns, zone);
    return datePatterns.isEmpty() ? format : format.withDatePatterns(datePatterns);
  }

  /** The patterns of {@code f.key} (empty when absent and not required), each checked. */
  private List<String> patterns(JsonNode f, String key, boolean required) {
    List<String> patterns = new ArrayList<>();
    JsonNode p = nodes.list(f, key, required);
    if (p == null) {
      return patterns;
    }
    for (JsonNode pat : p) {
      try {
        DateTimeFormatter.ofPattern(pat.asText());
      } catch (IllegalArgumentException e) {
        throw nodes.error(pat, "not a " + (key.startsWith("date") ? "date" : "timestamp")
            + " pattern: " + e.getMessage());
      }
      patterns.add(pat.asText());
    }
    if (patterns.isEmpty()) {
      throw nodes.error(p, key + " must hold at least one pattern");
    }
    return patterns;
  }

  private void checkPath(String format, String source, JsonNode at, JsonNode field) {
    JsonPath path;
    try {
      path = JsonPath.parse(source);
    } catch (IllegalArgumentException e) {
      throw nodes.error(at, "format " + format + ": " + e.getMessage());
    }
    FieldType type = FieldType.named(field.get("type").asText());
    if (path.yieldsList() && !type.isList()) {
      throw nodes.error(at, "format " + format + ": '" + source + "' yields a list (it has [*]),"
          + " so field '" + at.asText() + "' must be a list type such as list<string>, not "
          + type.specName());
    }
  }

  private String formatRef(JsonNode parent, String key, RecordFormat.Kind kind) {
    String ref = nodes.text(parent, key, false);
    if (ref == null) {
      return null;
    }
    RecordFormat f = formats.get(ref);
    if (f == null || f.kind() != kind) {
      throw nodes.error(parent.get(key), "fullLoad." + key + " must name a "
          + kind.name().toLowerCase(Locale.ROOT) + " format among " + formats.keySet());
    }
    return ref;
  }
}
