package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.derive.TextMask;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a spec's PII settings: each field's {@code pii} (keep, the default; hash; drop; mask), the
 * {@code piiHashKeyEnv} that hashing needs, the {@code maskPatterns} (name: regular expression)
 * that a masked field's {@code mask} list may name beside the built-ins, and checks that the key
 * and version fields stay readable.
 */
final class PiiParser {
  private final SpecNodes nodes;
  final List<String> hashed = new ArrayList<>();
  final List<String> dropped = new ArrayList<>();
  /** Masked text fields and their masks, once {@link #masks} has run. */
  final Map<String, List<TextMask>> masked = new LinkedHashMap<>();
  private final Map<String, JsonNode> maskNodes = new LinkedHashMap<>();

  PiiParser(SpecNodes nodes) {
    this.nodes = nodes;
  }

  /** Reads the {@code pii} setting of field node {@code f}. */
  void field(JsonNode f) {
    String pii = nodes.text(f, "pii", false);
    if (f.has("mask") && !"mask".equals(pii)) {
      throw nodes.error(f.get("mask"), "'mask' lists the patterns of a field with pii: mask");
    }
    if (pii == null) {
      return;
    }
    switch (pii) {
      case "hash":
        hashed.add(f.get("name").asText());
        break;
      case "drop":
        dropped.add(f.get("name").asText());
        break;
      case "mask":
        if (!"string".equals(f.path("type").asText())) {
          throw nodes.error(f.get("pii"), "pii: mask is for text fields, and '"
              + f.get("name").asText() + "' is " + f.path("type").asText());
        }
        maskNodes.put(f.get("name").asText(), f);
        break;
      case "keep":
        break;
      default:
        throw nodes.error(f.get("pii"), "pii must be keep, hash, drop or mask, not '" + pii + "'");
    }
  }

  /**
   * Resolves each masked field's {@code mask} list (default: every built-in) against the built-ins
   * and the spec's {@code maskPatterns}; a pattern that does not compile, or an unknown name, is a
   * spec error at its line.
   */
  void masks(JsonNode root) {
    Map<String, TextMask> custom = new LinkedHashMap<>();
    JsonNode patterns = root.get("maskPatterns");
    if (patterns != null) {
      if (!patterns.isObject()) {
        throw nodes.error(patterns, "'maskPatterns' maps names to regular expressions");
      }
      Iterator<Map.Entry<String, JsonNode>> it = patterns.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (TextMask.builtInNames().contains(e.getKey())) {
          throw nodes.error(e.getValue(), "mask '" + e.getKey() + "' is a built-in; name yours"
              + " otherwise");
        }
        if (!e.getValue().isTextual() || e.getValue().asText().isEmpty()) {
          throw nodes.error(e.getValue(), "mask '" + e.getKey() + "' must be a regular expression");
        }
        try {
          custom.put(e.getKey(), TextMask.of(e.getKey(), e.getValue().asText()));
        } catch (PatternSyntaxException bad) {
          throw nodes.error(e.getValue(), "mask '" + e.getKey() + "' is not a valid regular"
              + " expression: " + bad.getDescription() + " near index " + bad.getIndex());
        } catch (IllegalArgumentException bad) {
          throw nodes.error(e.getValue(), bad.getMessage());
        }
      }
    }
    for (Map.Entry<String, JsonNode> f : maskNodes.entrySet()) {
      JsonNode list = nodes.list(f.getValue(), "mask", false);
      if (list == null) {
        masked.put(f.getKey(), TextMask.builtIns());
        continue;
      }
      if (list.isEmpty()) {
        throw nodes.error(list, "'mask' must name at least one pattern");
      }
      List<TextMask> masks = new ArrayList<>();
      for (JsonNode n : list) {
        String name = n.asText();
        if (custom.containsKey(name)) {
          masks.add(custom.get(name));
        } else if (TextMask.builtInNames().contains(name)) {
          masks.add(TextMask.builtIn(name));
        } else {
          throw nodes.error(n, "unknown mask '" + name + "' (built-in: "
              + String.join(", ", TextMask.builtInNames()) + "; or one of maskPatterns)");
        }
      }
      masked.put(f.getKey(), masks);
    }
  }

  /** The environment variable of the hash key: required when a field is hashed, else optional. */
  String hashKeyEnv(JsonNode root) {
    String hashKeyEnv = nodes.text(root, "piiHashKeyEnv", false);
    if (!hashed.isEmpty() && hashKeyEnv == null) {
      throw nodes.error(root, "fields " + hashed + " have pii: hash, so 'piiHashKeyEnv' must name "
          + "the environment variable that holds the hash key");
    }
    return hashKeyEnv;
  }

  /** Fails if a key field or the version field is hashed or dropped. */
  void checkReadable(JsonNode root, List<String> key, String version) {
    for (String k : key) {
      if (hashed.contains(k) || dropped.contains(k) || maskNodes.containsKey(k)
          || version.equals(k)) {
        throw nodes.error(root.get("key"),
            "key field '" + k + "' cannot be hashed, dropped, masked or the version field");
      }
    }
    if (hashed.contains(version) || dropped.contains(version)) {
      throw nodes.error(
          root.get("version"), "version field '" + version + "' cannot be hashed or dropped");
    }
  }
}
