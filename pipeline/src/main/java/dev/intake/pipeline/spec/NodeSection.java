package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.sources.SpecSection;
import java.util.ArrayList;
import java.util.List;

/** A mapping of a spec file as a {@link SpecSection}: its errors name the file and the line. */
final class NodeSection implements SpecSection {
  private final SpecNodes nodes;
  private final JsonNode node;

  /** {@code node} must be a mapping. */
  NodeSection(SpecNodes nodes, JsonNode node) {
    this.nodes = nodes;
    this.node = node;
  }

  @Override
  public void allowOnly(String... keys) {
    nodes.known(node, keys);
  }

  @Override
  public boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  @Override
  public String text(String key, boolean required) {
    return nodes.text(node, key, required);
  }

  @Override
  public int integer(String key, int fallback, int min, int max) {
    if (!has(key)) {
      return fallback;
    }
    JsonNode v = node.get(key);
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
      throw nodes.error(v, key + " must be a whole number between " + min + " and " + max);
    }
    return v.asInt();
  }

  @Override
  public List<String> texts(String key) {
    JsonNode list = nodes.list(node, key, false);
    List<String> values = new ArrayList<>();
    if (list != null) {
      for (JsonNode v : list) {
        if (!v.isValueNode() || v.isNull() || v.asText().isBlank()) {
          throw nodes.error(v, "'" + key + "' must be a list of non-empty values");
        }
        values.add(v.asText());
      }
    }
    return values;
  }

  @Override
  public SpecSection section(String key, boolean required) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        throw nodes.error(node, "missing '" + key + "'");
      }
      return null;
    }
    if (!v.isObject()) {
      throw nodes.error(v, "'" + key + "' must be a mapping");
    }
    return new NodeSection(nodes, v);
  }

  @Override
  public String json(String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v.toString();
  }

  @Override
  public SpecException error(String key, String message) {
    JsonNode v = node.get(key);
    return nodes.error(v != null ? v : node, message);
  }
}
