package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.validate.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a spec's {@code fields} (name, type, null values and the rule keys of {@link
 * RuleParsers}), and the settings that name fields: {@code key}, {@code version} and {@code
 * watermark}. The {@code pii} key of each field is handed to the {@link PiiParser}.
 */
final class FieldsParser {
  private final SpecNodes nodes;
  final List<FieldDef> fields = new ArrayList<>();
  final Map<String, JsonNode> fieldNodes = new LinkedHashMap<>();
  final List<Rule> rules = new ArrayList<>();
  /** Fields marked {@code retired: true}: kept in the schema, null from now on. */
  final List<String> retired = new ArrayList<>();
  /** Field name to its former name, for fields declared with {@code renamedFrom}. */
  final Map<String, String> renamedFrom = new LinkedHashMap<>();

  private FieldsParser(SpecNodes nodes) {
    this.nodes = nodes;
  }

  /** Reads {@code root.fields}, their rules and their PII settings, in the fields' order. */
  static FieldsParser parse(SpecNodes nodes, JsonNode root, PiiParser pii) {
    FieldsParser parser = new FieldsParser(nodes);
    JsonNode fieldList = nodes.list(root, "fields", true);
    for (JsonNode f : fieldList) {
      parser.fields.add(parser.field(f));
    }
    parser.checkRenames();
    for (JsonNode f : fieldList) {
      parser.rules.addAll(RuleParsers.of(new RuleParsers.Field(f, parser.fieldNodes, nodes)));
      pii.field(f);
    }
    return parser;
  }

  private FieldDef field(JsonNode f) {
    if (!f.isObject()) {
      throw nodes.error(f, "a field is a mapping with at least name and type");
    }
    List<String> keys = new ArrayList<>(List.of("name", "type"));
    keys.addAll(RuleParsers.RULES.names());
    keys.addAll(List.of("nullValues", "pii", "mask", "description", "retired", "renamedFrom"));
    nodes.known(f, keys);
    String name = nodes.text(f, "name", true);
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw nodes.error(f.get("name"), "field name '" + name + "' must be letters, digits and '_'");
    }
    if (fieldNodes.containsKey(name)) {
      throw nodes.error(f.get("name"), "field '" + name + "' is declared twice");
    }
    String typeName = nodes.text(f, "type", true);
    FieldType type = FieldType.named(typeName);
    if (type == null) {
      throw nodes.error(f.get("type"), "unknown type '" + typeName + "' for field '" + name
          + "' (known: " + FieldType.specNames() + ")");
    }
    fieldNodes.put(name, f);
    evolution(f, name);
    List<String> nulls = new ArrayList<>();
    JsonNode nv = f.get("nullValues");
    if (nv != null) {
      if (!nv.isArray()) {
        throw nodes.error(nv, "nullValues must be a list");
      }
      nv.forEach(v -> nulls.add(v.asText()));
    }
    return FieldDef.of(name, type).withNullValues(nulls);
  }

  /** Reads a field's {@code retired} and {@code renamedFrom} (schema evolution, see README). */
  private void evolution(JsonNode f, String name) {
    JsonNode retiredNode = f.get("retired");
    if (retiredNode != null) {
      if (!retiredNode.isBoolean()) {
        throw nodes.error(retiredNode, "retired of field '" + name + "' must be true or false");
      }
      if (retiredNode.asBoolean()) {
        if (f.has("required")) {
          throw nodes.error(retiredNode, "field '" + name + "' is retired, so it cannot be"
              + " required: a retired field is null from now on (remove required)");
        }
        retired.add(name);
      }
    }
    JsonNode from = f.get("renamedFrom");
    if (from != null) {
      String old = from.asText();
      if (!from.isTextual() || !old.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw nodes.error(from, "renamedFrom of field '" + name + "' must be the field's former"
            + " name (letters, digits and '_')");
      }
      if (old.equals(name)) {
        throw nodes.error(from, "field '" + name + "' cannot be renamed from itself");
      }
      if (renamedFrom.containsValue(old)) {
        throw nodes.error(from, "two fields are renamed from '" + old + "'");
      }
      renamedFrom.put(name, old);
    }
  }

  /** Checks that no field is renamed from a name a field of the spec still has. */
  void checkRenames() {
    for (Map.Entry<String, String> e : renamedFrom.entrySet()) {
      if (fieldNodes.containsKey(e.getValue())) {
        throw nodes.error(fieldNodes.get(e.getKey()).get("renamedFrom"), "field '" + e.getKey()
            + "' is renamed from '" + e.getValue() + "', which is still a field of the spec"
            + " (remove one of them)");
      }
    }
  }

  /** The key fields; each gets a required rule (first) unless it has one already. */
  List<String> key(JsonNode root) {
    List<String> key = new ArrayList<>();
    JsonNode keyNode = root.get("key");
    if (keyNode == null) {
      throw nodes.error(root, "missing 'key' (the field or fields that identify a record)");
    }
    for (JsonNode k : keyNode.isArray() ? keyNode : List.of(keyNode)) {
      if (!fieldNodes.containsKey(k.asText())) {
        throw nodes.error(k, "key field '" + k.asText() + "' is not among the fields");
      }
      if (retired.contains(k.asText())) {
        throw nodes.error(k, "key field '" + k.asText() + "' is retired; a key field cannot be");
      }
      key.add(k.asText());
    }
    if (key.isEmpty()) {
      throw nodes.error(keyNode, "'key' must name at least one field");
    }
    for (String k : key) {
      boolean required = false;
      for (Rule r : rules) {
        required |= r.code().equals("required:" + k);
      }
      if (!required) {
        rules.add(0, Rule.required(k));
      }
    }
    return key;
  }

  /** The version field: a timestamp or a number. */
  String version(JsonNode root) {
    String version = nodes.text(root, "version", true);
    FieldDef versionDef = SpecNodes.byName(fields, version);
    if (versionDef == null) {
      throw nodes.error(
          root.get("version"), "version field '" + version + "' is not among the fields");
    }
    if (versionDef.type() != FieldType.TIMESTAMP
        && versionDef.type() != FieldType.LONG
        && versionDef.type() != FieldType.INT) {
      throw nodes.error(
          root.get("version"), "version field '" + version + "' must be a timestamp or a number");
    }
    return version;
  }

  /** The watermark field (a timestamp), or null. */
  String watermark(JsonNode root) {
    String watermark = nodes.text(root, "watermark", false);
    if (watermark != null) {
      FieldDef w = SpecNodes.byName(fields, watermark);
      if (w == null || w.type() != FieldType.TIMESTAMP) {
        throw nodes.error(
            root.get("watermark"), "watermark field '" + watermark + "' is not a timestamp field");
      }
    }
    return watermark;
  }
}
