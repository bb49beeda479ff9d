package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.validate.Rule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rule keys a field of a spec may have ({@code required: true}, {@code min: 1}, …) and how each
 * becomes a {@link Rule}. A new rule key is one line in {@link #RULES}; a parser registered under
 * several keys (min and max) reads them together and runs once per field.
 */
final class RuleParsers {
  /** Reads the rule of one field, or returns null when its settings ask for none. */
  @FunctionalInterface
  interface RuleParser {
    Rule parse(Field field);
  }

  /** A field whose rule keys are read: its name, type and node, and the other fields' nodes. */
  static final class Field {
    final String name;
    final FieldType type;
    final JsonNode node;
    final Map<String, JsonNode> fieldNodes;
    final SpecNodes nodes;

    Field(JsonNode node, Map<String, JsonNode> fieldNodes, SpecNodes nodes) {
      this.name = node.get("name").asText();
      this.type = FieldType.named(node.get("type").asText());
      this.node = node;
      this.fieldNodes = fieldNodes;
      this.nodes = nodes;
    }

    JsonNode get(String key) {
      return node.get(key);
    }

    SpecException error(JsonNode at, String message) {
      return nodes.error(at, message);
    }
  }

  private static final RuleParser RANGE = RuleParsers::range;

  /** Rule keys in the order a field's rules are checked (and listed in messages). */
  static final Registry<RuleParser> RULES =
      Registry.<RuleParser>empty()
          .with("required", RuleParsers::required)
          .with("min", RANGE)
          .with("max", RANGE)
          .with("oneOf", RuleParsers::oneOf)
          .with("pattern", RuleParsers::pattern)
          .with("notBefore", RuleParsers::notBefore);

  private RuleParsers() {}

  /** Rule keys that apply to list fields; the others are refused there. */
  private static final Set<String> LIST_RULES = Set.of("required");

  /** The rules of one field, in the order of {@link #RULES}. */
  static List<Rule> of(Field field) {
    if (field.type.isList()) {
      for (String key : RULES.names()) {
        if (field.node.has(key) && !LIST_RULES.contains(key)) {
          throw field.error(field.get(key), key + " does not apply to the list field '"
              + field.name + "' (only required does)");
        }
      }
    }
    List<Rule> rules = new ArrayList<>();
    Set<RuleParser> done = Collections.newSetFromMap(new IdentityHashMap<>());
    for (String key : RULES.names()) {
      RuleParser parser = RULES.get(key);
      if (field.node.has(key) && done.add(parser)) {
        Rule rule = parser.parse(field);
        if (rule != null) {
          rules.add(rule);
        }
      }
    }
    return rules;
  }

  private static Rule required(Field f) {
    JsonNode req = f.get("required");
    if (!req.isBoolean()) {
      throw f.error(req, "required must be true or false");
    }
    return req.asBoolean() ? Rule.required(f.name) : null;
  }

  private static Rule range(Field f) {
    JsonNode min = f.get("min");
    JsonNode max = f.get("max");
    if (!f.type.isNumeric()) {
      throw f.error(min != null ? min : max, "min/max apply to numeric fields, and '" + f.name
          + "' is a " + f.type.specName());
    }
    for (JsonNode b : new JsonNode[] {min, max}) {
      if (b != null && !b.isNumber()) {
        throw f.error(b, "min/max of '" + f.name + "' must be numbers");
      }
    }
    try {
      return Rule.range(
          f.name, min == null ? null : min.asDouble(), max == null ? null : max.asDouble());
    } catch (IllegalArgumentException e) {
      throw f.error(min, e.getMessage());
    }
  }

  private static Rule oneOf(Field f) {
    JsonNode oneOf = f.get("oneOf");
    if (!oneOf.isArray() || oneOf.isEmpty()) {
      throw f.error(oneOf, "oneOf of '" + f.name + "' must be a non-empty list");
    }
    List<String> values = new ArrayList<>();
    oneOf.forEach(v -> values.add(v.asText()));
    return Rule.oneOf(f.name, values);
  }

  private static Rule pattern(Field f) {
    JsonNode pattern = f.get("pattern");
    try {
      Pattern.compile(pattern.asText());
    } catch (PatternSyntaxException e) {
      throw f.error(pattern, "pattern of '" + f.name + "' is not a valid regular expression: "
          + e.getDescription());
    }
    return Rule.pattern(f.name, pattern.asText());
  }

  private static Rule notBefore(Field f) {
    JsonNode notBefore = f.get("notBefore");
    JsonNode other = f.fieldNodes.get(notBefore.asText());
    FieldType otherType = other == null ? null : FieldType.named(other.get("type").asText());
    if ((f.type != FieldType.TIMESTAMP && f.type != FieldType.DATE) || otherType != f.type) {
      throw f.error(notBefore, "notBefore needs '" + f.name + "' and '" + notBefore.asText()
          + "' to be timestamp fields, or both date fields");
    }
    return Rule.notBefore(f.name, notBefore.asText());
  }
}
