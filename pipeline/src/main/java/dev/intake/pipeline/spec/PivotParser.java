package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.aggregate.Pivot;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Reads an aggregate's {@code pivot}: the field spread into columns, its declared values (each a
 * scalar, or {@code {value, column}} to name its column suffix), and the suffixes of the columns
 * of undeclared values ({@code otherColumn}, default {@code other}) and of null ({@code
 * nullColumn}, default {@code null}):
 *
 * <pre>
 * pivot:
 *   field: source
 *   values: [Phone, Web, Mobile/Open311, {value: Other Department, column: department}]
 * </pre>
 *
 * <p>A value's suffix defaults to {@link Pivot#suffixOf} of it. Missing or empty values, a value
 * listed twice, a value that does not fit the field's type, two columns with one suffix, and a
 * field that is not a string, whole-number or boolean column (or is grouped by) are spec errors.
 */
final class PivotParser {
  private PivotParser() {}

  /** The pivot of aggregate node {@code a}, or null when it has none. */
  static Pivot parse(
      SpecNodes nodes, JsonNode a, String aggregate, Schema cleanSchema, List<String> groups) {
    JsonNode p = a.get("pivot");
    if (p == null) {
      return null;
    }
    String at = "aggregate " + aggregate + ": pivot";
    nodes.known(p, "field", "values", "otherColumn", "nullColumn");
    String field = nodes.text(p, "field", true);
    if (!cleanSchema.hasField(field)) {
      throw nodes.error(p.get("field"), at + " field '" + field + "' is not a column");
    }
    Schema.FieldType type = cleanSchema.getField(field).getType();
    if (!Pivot.accepts(type)) {
      throw nodes.error(p.get("field"),
          at + " field '" + field + "' must be a string, whole-number or boolean column");
    }
    if (groups.contains(field)) {
      throw nodes.error(p.get("field"),
          at + " field '" + field + "' is also in groupBy; a field is grouped or pivoted");
    }
    JsonNode values = nodes.list(p, "values", true);
    if (values.isEmpty()) {
      throw nodes.error(values, at + " needs at least one value in 'values'");
    }
    Map<String, String> suffixes = new LinkedHashMap<>();
    Map<String, JsonNode> owners = new HashMap<>();
    Map<String, String> labels = new HashMap<>();
    for (JsonNode v : values) {
      JsonNode valueNode = v;
      String suffix = null;
      if (v.isObject()) {
        nodes.known(v, "value", "column");
        valueNode = v.get("value");
        if (valueNode == null) {
          throw nodes.error(v, at + " value is missing 'value'");
        }
        suffix = nodes.text(v, "column", true);
        if (!Pivot.isSuffix(suffix)) {
          throw nodes.error(v.get("column"), at + " column '" + suffix
              + "' must be lower-case letters, digits and inner '_'");
        }
      }
      String value = valueText(nodes, valueNode, type, at);
      if (suffixes.containsKey(value)) {
        throw nodes.error(valueNode, at + " value '" + value + "' is listed twice");
      }
      if (suffix == null) {
        suffix = Pivot.suffixOf(value);
        if (suffix.isEmpty()) {
          throw nodes.error(valueNode, at + " value '" + value
              + "' has no letter or digit to name its column: give it one, {value: …, column: …}");
        }
      }
      claim(nodes, valueNode, "value '" + value + "'", owners, labels, suffix, at);
      suffixes.put(value, suffix);
    }
    String other = suffixSetting(nodes, p, "otherColumn", "other", at);
    claim(nodes, p.get("otherColumn"), "the column of other values", owners, labels, other, at);
    String none = suffixSetting(nodes, p, "nullColumn", "null", at);
    claim(nodes, p.get("nullColumn"), "the column of null", owners, labels, none, at);
    return Pivot.of(field, suffixes, other, none);
  }

  /** The text a value of the field's type compares by: a string as is, a number or a boolean. */
  private static String valueText(
      SpecNodes nodes, JsonNode v, Schema.FieldType type, String at) {
    if (!v.isValueNode() || v.isNull() || v.asText().isEmpty()) {
      throw nodes.error(v, at + " values must be non-empty values");
    }
    switch (type.getTypeName()) {
      case BOOLEAN:
        if (!v.isBoolean()) {
          throw nodes.error(v, at + " value '" + v.asText() + "' is not true or false");
        }
        return v.asText();
      case STRING:
        return v.asText();
      default:
        try {
          return Long.toString(Long.parseLong(v.asText().trim()));
        } catch (NumberFormatException e) {
          throw nodes.error(v, at + " value '" + v.asText() + "' is not a whole number");
        }
    }
  }

  private static String suffixSetting(
      SpecNodes nodes, JsonNode p, String key, String fallback, String at) {
    String suffix = nodes.text(p, key, false);
    if (suffix == null) {
      return fallback;
    }
    if (!Pivot.isSuffix(suffix)) {
      throw nodes.error(p.get(key),
          at + " " + key + " '" + suffix + "' must be lower-case letters, digits and inner '_'");
    }
    return suffix;
  }

  /**
   * Takes {@code suffix} for the value or setting at {@code node} (null for a default other or
   * null column); a suffix taken twice is an error at the later node, or the earlier one when the
   * later is a default.
   */
  private static void claim(SpecNodes nodes, JsonNode node, String label,
      Map<String, JsonNode> owners, Map<String, String> labels, String suffix, String at) {
    String before = labels.putIfAbsent(suffix, label);
    if (before != null) {
      throw nodes.error(node != null ? node : owners.get(suffix), at + " " + before + " and "
          + label + " would have the same column suffix '" + suffix + "': name one with"
          + " {value: …, column: …}, otherColumn or nullColumn");
    }
    owners.put(suffix, node);
  }
}
