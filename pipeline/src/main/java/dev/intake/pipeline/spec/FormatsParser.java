package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.model.RecordFormat;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a spec's {@code formats} (how files and API answers encode records: kind, timestamp
 * patterns, source column names) and {@code fullLoad}, which names the formats of export files.
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
    nodes.known(f, "kind", "timestampPatterns", "columns");
    String kind = nodes.text(f, "kind", true);
    RecordFormat.Kind k;
    try {
      k = RecordFormat.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw nodes.error(f.get("kind"), "format kind must be csv or json, not '" + kind + "'");
    }
    List<String> patterns = new ArrayList<>();
    JsonNode p = nodes.list(f, "timestampPatterns", true);
    for (JsonNode pat : p) {
      try {
        DateTimeFormatter.ofPattern(pat.asText());
      } catch (IllegalArgumentException e) {
        throw nodes.error(pat, "not a timestamp pattern: " + e.getMessage());
      }
      patterns.add(pat.asText());
    }
    if (patterns.isEmpty()) {
      throw nodes.error(p, "timestampPatterns must hold at least one pattern");
    }
    Map<String, String> columns = new LinkedHashMap<>();
    JsonNode c = f.get("columns");
    if (c != null) {
      if (!c.isObject()) {
        throw nodes.error(c, "columns maps source column names to field names");
      }
      Iterator<Map.Entry<String, JsonNode>> it = c.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!fieldNodes.containsKey(e.getValue().asText())) {
          throw nodes.error(e.getValue(), "format " + name + ": column '" + e.getKey()
              + "' maps to '" + e.getValue().asText() + "', which is not a field");
        }
        columns.put(e.getKey(), e.getValue().asText());
      }
    }
    return RecordFormat.of(name, k, columns, patterns, zone);
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
