package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a spec's PII settings: each field's {@code pii} (keep, the default; hash; drop), the
 * {@code piiHashKeyEnv} that hashing needs, and checks that the key and version fields stay
 * readable.
 */
final class PiiParser {
  private final SpecNodes nodes;
  final List<String> hashed = new ArrayList<>();
  final List<String> dropped = new ArrayList<>();

  PiiParser(SpecNodes nodes) {
    this.nodes = nodes;
  }

  /** Reads the {@code pii} setting of field node {@code f}. */
  void field(JsonNode f) {
    String pii = nodes.text(f, "pii", false);
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
      case "keep":
        break;
      default:
        throw nodes.error(f.get("pii"), "pii must be keep, hash or drop, not '" + pii + "'");
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
      if (hashed.contains(k) || dropped.contains(k) || version.equals(k)) {
        throw nodes.error(root.get("key"),
            "key field '" + k + "' cannot be hashed, dropped or the version field");
      }
    }
    if (hashed.contains(version) || dropped.contains(version)) {
      throw nodes.error(
          root.get("version"), "version field '" + version + "' cannot be hashed or dropped");
    }
  }
}
