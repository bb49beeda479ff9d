package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.model.FieldDef;
import java.util.Iterator;
import java.util.List;

/**
 * The nodes of one spec file, read the same way by every section parser: settings checked against
 * the known ones, required values, lists, and errors that name the file and the line of a node.
 */
final class SpecNodes {
  private final String file;
  private final LocatedTree tree;

  SpecNodes(String file, LocatedTree tree) {
    this.file = file;
    this.tree = tree;
  }

  JsonNode root() {
    return tree.root();
  }

  SpecException error(JsonNode at, String message) {
    return new SpecException(file, tree.lineOf(at), message);
  }

  /** Fails on the first setting of {@code node} that is not one of {@code keys}. */
  void known(JsonNode node, String... keys) {
    known(node, List.of(keys));
  }

  void known(JsonNode node, List<String> keys) {
    if (!node.isObject()) {
      throw error(node, "expected a mapping with " + String.join(", ", keys));
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!keys.contains(n)) {
        throw error(
            node.get(n),
            "unknown setting '" + n + "' (known here: " + String.join(", ", keys) + ")");
      }
    }
  }

  /** A non-blank scalar, or null when absent and not required. */
  String text(JsonNode node, String key, boolean required) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        throw error(node, "missing '" + key + "'");
      }
      return null;
    }
    if (!v.isValueNode() || v.asText().isBlank()) {
      throw error(v, "'" + key + "' must be a non-empty value");
    }
    return v.asText();
  }

  /** A list, or null when absent and not required. */
  JsonNode list(JsonNode node, String key, boolean required) {
    JsonNode v = node.get(key);
    if (v == null) {
      if (required) {
        throw error(node, "missing '" + key + "'");
      }
      return null;
    }
    if (!v.isArray()) {
      throw error(v, "'" + key + "' must be a list");
    }
    return v;
  }

  static FieldDef byName(List<FieldDef> fields, String name) {
    for (FieldDef f : fields) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }
}
