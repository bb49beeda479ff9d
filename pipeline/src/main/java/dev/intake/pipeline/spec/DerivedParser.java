package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.derive.Condition;
import dev.intake.transforms.derive.Derivation;
import dev.intake.transforms.derive.TimeFunctions;
import dev.intake.transforms.derive.ValueFunctions;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a spec's {@code derived} columns: {@code {name, function, args, …}}, where the function is
 * one of {@link #FUNCTIONS} (a new function is one line there, plus its parser) and {@code args}
 * names the fields it reads; some functions take more settings ({@code part}, {@code unit}, {@code
 * steps}, {@code map}, {@code default}, {@code expr}). A derived column may read the fields and the
 * derived columns declared above it, never one below it, nor a hashed, masked or dropped field. Every
 * argument is checked here, so each column's type is known before the run.
 */
final class DerivedParser {
  /** Checks the arguments of one derived column and builds it. */
  @FunctionalInterface
  interface FunctionParser {
    Derivation parse(Column column);
  }

  /** A derived column's function: the settings it takes beside name, function and args. */
  static final class Function {
    final List<String> settings;
    final FunctionParser parser;

    private Function(List<String> settings, FunctionParser parser) {
      this.settings = settings;
      this.parser = parser;
    }

    static Function of(FunctionParser parser, String... settings) {
      return new Function(List.of(settings), parser);
    }
  }

  static final Registry<Function> FUNCTIONS =
      Registry.<Function>empty()
          .with("hours_between", Function.of(DerivedParser::hoursBetween))
          .with("days_between", Function.of(DerivedParser::daysBetween))
          .with("date_part", Function.of(DerivedParser::datePart, "part"))
          .with("date_trunc", Function.of(DerivedParser::dateTrunc, "unit"))
          .with("coalesce", Function.of(DerivedParser::coalesce))
          .with("trim", Function.of(c -> text(c, ValueFunctions.TextStep.TRIM)))
          .with("lower", Function.of(c -> text(c, ValueFunctions.TextStep.LOWER)))
          .with("upper", Function.of(c -> text(c, ValueFunctions.TextStep.UPPER)))
          .with("collapse_whitespace",
              Function.of(c -> text(c, ValueFunctions.TextStep.COLLAPSE_WHITESPACE)))
          .with("normalize", Function.of(DerivedParser::normalize, "steps"))
          .with("lookup", Function.of(DerivedParser::lookup, "map", "default"))
          .with("condition", Function.of(DerivedParser::condition, "expr"));

  /** One derived column being read: its node, and what it may read. */
  static final class Column {
    final SpecNodes nodes;
    final JsonNode node;
    final String name;
    final String function;
    final String zone;
    /** The fields and the derived columns above this one, with their types. */
    final Map<String, FieldType> readable;
    private final List<String> below;
    private final List<String> pii;

    Column(SpecNodes nodes, JsonNode node, String name, String function, String zone,
        Map<String, FieldType> readable, List<String> below, List<String> pii) {
      this.nodes = nodes;
      this.node = node;
      this.name = name;
      this.function = function;
      this.zone = zone;
      this.readable = readable;
      this.below = below;
      this.pii = pii;
    }

    /** The {@code args}, which must be {@code count} field names ({@code -2}: two or more). */
    JsonNode args(int count, String shape) {
      JsonNode args = nodes.list(node, "args", true);
      if (count >= 0 ? args.size() != count : args.size() < -count) {
        throw nodes.error(args.size() == 0 ? node : args, function + " takes " + shape);
      }
      for (JsonNode a : args) {
        if (!a.isTextual() || a.asText().isBlank()) {
          throw nodes.error(a, function + ": args are field names");
        }
      }
      return args;
    }

    /** The type of the field or derived column named by {@code arg}, which must be readable. */
    FieldType type(JsonNode arg) {
      return type(arg, arg.asText());
    }

    FieldType type(JsonNode at, String field) {
      checkReadable(at, field);
      FieldType t = readable.get(field);
      if (t == null) {
        throw nodes.error(at, function + ": '" + field + "' is not a field");
      }
      return t;
    }

    void checkReadable(JsonNode at, String field) {
      if (below.contains(field)) {
        throw nodes.error(at, "derived column " + name + " reads '" + field
            + "', a derived column declared below it: declare " + field + " first");
      }
      if (pii.contains(field)) {
        throw nodes.error(at, "derived column " + name + " reads '" + field
            + "', which is hashed, masked or dropped (pii): its value must not reach another column");
      }
    }

    SpecException error(JsonNode at, String message) {
      return nodes.error(at, function + ": " + message);
    }
  }

  private DerivedParser() {}

  /**
   * The derived columns of {@code derivedList} (null: none), over {@code fields}, with timestamps
   * read in {@code zone}; {@code pii} are the hashed and dropped fields.
   */
  static List<Derivation> parse(SpecNodes nodes, JsonNode derivedList, List<FieldDef> fields,
      String zone, List<String> pii) {
    List<Derivation> derived = new ArrayList<>();
    if (derivedList == null) {
      return derived;
    }
    Map<String, FieldType> readable = new LinkedHashMap<>();
    for (FieldDef f : fields) {
      readable.put(f.name(), f.type());
    }
    List<String> below = new ArrayList<>();
    for (JsonNode d : derivedList) {
      JsonNode n = d.isObject() ? d.get("name") : null;
      if (n != null && n.isTextual()) {
        if (below.contains(n.asText())) {
          throw nodes.error(n, "derived column '" + n.asText() + "' is declared twice");
        }
        below.add(n.asText());
      }
    }
    for (JsonNode d : derivedList) {
      Derivation derivation = derivation(nodes, d, fields, zone, readable, below, pii);
      readable.put(derivation.name(), derivation.fieldType());
      below.remove(derivation.name());
      derived.add(derivation);
    }
    return derived;
  }

  private static Derivation derivation(SpecNodes nodes, JsonNode d, List<FieldDef> fields,
      String zone, Map<String, FieldType> readable, List<String> below, List<String> pii) {
    if (!d.isObject()) {
      throw nodes.error(d, "a derived column is a mapping with name, function and args");
    }
    String name = nodes.text(d, "name", true);
    String function = nodes.text(d, "function", true);
    if (SpecNodes.byName(fields, name) != null) {
      throw nodes.error(d.get("name"), "derived column '" + name + "' has the name of a field");
    }
    Function f = FUNCTIONS.get(function);
    if (f == null) {
      throw nodes.error(d.get("function"),
          "unknown function '" + function + "' (known: " + FUNCTIONS.known() + ")");
    }
    List<String> keys = new ArrayList<>(List.of("name", "function"));
    if (!function.equals("condition")) {
      keys.add("args");
    }
    keys.addAll(f.settings);
    nodes.known(d, keys);
    List<String> later = new ArrayList<>(below);
    later.remove(name);
    return f.parser.parse(
        new Column(nodes, d, name, function, zone, Map.copyOf(readable), later, pii));
  }

  private static boolean isTime(FieldType t) {
    return t == FieldType.TIMESTAMP || t == FieldType.DATE;
  }

  private static Derivation hoursBetween(Column c) {
    JsonNode args = c.args(2, "two timestamp fields: [start, end]");
    for (JsonNode a : args) {
      if (c.type(a) != FieldType.TIMESTAMP) {
        throw c.error(a, "'" + a.asText() + "' is not a timestamp field");
      }
    }
    return Derivation.hoursBetween(c.name, args.get(0).asText(), args.get(1).asText());
  }

  private static Derivation daysBetween(Column c) {
    JsonNode args = c.args(2, "two timestamp or date fields: [start, end]");
    for (JsonNode a : args) {
      if (!isTime(c.type(a))) {
        throw c.error(a, "'" + a.asText() + "' is not a timestamp or date field");
      }
    }
    return Derivation.daysBetween(c.name, args.get(0).asText(), args.get(1).asText(), c.zone);
  }

  private static Derivation datePart(Column c) {
    JsonNode arg = c.args(1, "one timestamp or date field: [field]").get(0);
    FieldType type = c.type(arg);
    String partName = c.nodes.text(c.node, "part", true);
    TimeFunctions.Part part = TimeFunctions.Part.named(partName);
    if (part == null) {
      throw c.error(c.node.get("part"), "part must be year, quarter, month, week, day, dow, doy,"
          + " hour or minute, not '" + partName + "'");
    }
    if (!isTime(type) || (part.needsTime() && type != FieldType.TIMESTAMP)) {
      throw c.error(arg, "'" + arg.asText() + "' is not a timestamp"
          + (part.needsTime() ? "" : " or date") + " field");
    }
    return Derivation.datePart(c.name, arg.asText(), part, c.zone);
  }

  private static Derivation dateTrunc(Column c) {
    JsonNode arg = c.args(1, "one timestamp or date field: [field]").get(0);
    if (!isTime(c.type(arg))) {
      throw c.error(arg, "'" + arg.asText() + "' is not a timestamp or date field");
    }
    String unitName = c.nodes.text(c.node, "unit", true);
    TimeFunctions.Unit unit = TimeFunctions.Unit.named(unitName);
    if (unit == null) {
      throw c.error(c.node.get("unit"),
          "unit must be day, week, month, quarter or year, not '" + unitName + "'");
    }
    return Derivation.dateTrunc(c.name, arg.asText(), unit, c.zone);
  }

  private static Derivation coalesce(Column c) {
    JsonNode args = c.args(-2, "two fields or more of one type: [first, second, …]");
    FieldType type = c.type(args.get(0));
    List<String> fields = new ArrayList<>();
    for (JsonNode a : args) {
      FieldType t = c.type(a);
      if (t != type) {
        throw c.error(a, "'" + a.asText() + "' is a " + t.specName() + " field, but '"
            + args.get(0).asText() + "' is a " + type.specName() + ": all must be of one type");
      }
      fields.add(a.asText());
    }
    return Derivation.coalesce(c.name, fields, type);
  }

  private static Derivation text(Column c, ValueFunctions.TextStep step) {
    return Derivation.normalize(c.name, stringArg(c), List.of(step));
  }

  private static String stringArg(Column c) {
    JsonNode arg = c.args(1, "one string field: [field]").get(0);
    if (c.type(arg) != FieldType.STRING) {
      throw c.error(arg, "'" + arg.asText() + "' is not a string field");
    }
    return arg.asText();
  }

  private static Derivation normalize(Column c) {
    String field = stringArg(c);
    JsonNode stepList = c.nodes.list(c.node, "steps", true);
    if (stepList.isEmpty()) {
      throw c.error(stepList, "steps must list at least one of trim, lower, upper,"
          + " collapse_whitespace");
    }
    List<ValueFunctions.TextStep> steps = new ArrayList<>();
    for (JsonNode s : stepList) {
      ValueFunctions.TextStep step = ValueFunctions.TextStep.named(s.asText());
      if (step == null || !s.isTextual()) {
        throw c.error(s, "unknown step '" + s.asText()
            + "' (known: trim, lower, upper, collapse_whitespace)");
      }
      steps.add(step);
    }
    return Derivation.normalize(c.name, field, steps);
  }

  private static Derivation lookup(Column c) {
    JsonNode arg = c.args(1, "one string, whole-number or boolean field: [field]").get(0);
    FieldType keyType = c.type(arg);
    if (keyType != FieldType.STRING && keyType != FieldType.LONG && keyType != FieldType.INT
        && keyType != FieldType.BOOLEAN) {
      throw c.error(arg, "'" + arg.asText() + "' is not a string, whole-number or boolean field");
    }
    JsonNode map = c.node.get("map");
    if (map == null || !map.isObject() || map.isEmpty()) {
      throw c.error(map == null ? c.node : map, "needs a map of the field's values to values");
    }
    List<JsonNode> values = new ArrayList<>();
    map.elements().forEachRemaining(values::add);
    JsonNode fallbackNode = c.node.get("default");
    if (fallbackNode != null && !fallbackNode.isNull()) {
      values.add(fallbackNode);
    }
    FieldType type = lookupType(c, values);
    Map<String, Object> entries = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = map.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      entries.put(key(c, e.getKey(), keyType, e.getValue()), value(e.getValue(), type));
    }
    Object fallback =
        fallbackNode == null || fallbackNode.isNull() ? null : value(fallbackNode, type);
    return Derivation.lookup(c.name, arg.asText(), entries, fallback, type);
  }

  /** The one type of a lookup's values: texts, whole numbers, numbers or booleans. */
  private static FieldType lookupType(Column c, List<JsonNode> values) {
    FieldType type = null;
    for (JsonNode v : values) {
      FieldType t = v.isTextual() ? FieldType.STRING
          : v.isIntegralNumber() ? FieldType.LONG
          : v.isNumber() ? FieldType.DOUBLE
          : v.isBoolean() ? FieldType.BOOLEAN
          : null;
      if (t == null) {
        throw c.error(v, "a value of the map (or the default) must be a text, number or boolean");
      }
      if (type == null || (type == FieldType.LONG && t == FieldType.DOUBLE)) {
        type = t;
      } else if (t != type && !(type == FieldType.DOUBLE && t == FieldType.LONG)) {
        throw c.error(v, "the values of the map and the default must be of one type: '"
            + v.asText() + "' is not a " + type.specName());
      }
    }
    return type;
  }

  private static String key(Column c, String key, FieldType keyType, JsonNode at) {
    if (keyType == FieldType.BOOLEAN) {
      if (!key.equals("true") && !key.equals("false")) {
        throw c.error(at, "key '" + key + "' is not true or false");
      }
      return key;
    }
    if (keyType == FieldType.STRING) {
      return key;
    }
    try {
      return Long.toString(Long.parseLong(key.trim()));
    } catch (NumberFormatException e) {
      throw c.error(at, "key '" + key + "' is not a whole number");
    }
  }

  private static Object value(JsonNode v, FieldType type) {
    switch (type) {
      case LONG:
        return v.asLong();
      case DOUBLE:
        return v.asDouble();
      case BOOLEAN:
        return v.asBoolean();
      default:
        return v.asText();
    }
  }

  private static Derivation condition(Column c) {
    String expr = c.nodes.text(c.node, "expr", true);
    JsonNode at = c.node.get("expr");
    Condition condition;
    try {
      condition = Condition.parse(expr, c.readable, c.zone);
    } catch (Condition.ParseException e) {
      throw c.error(at, e.getMessage() + " at character " + e.position() + " of '" + expr + "'"
          + forwardHint(c, e.getMessage()));
    }
    for (String f : condition.fields()) {
      c.checkReadable(at, f);
    }
    return Derivation.condition(c.name, condition);
  }

  /** A hint when an unknown field of an expression is a derived column declared below. */
  private static String forwardHint(Column c, String message) {
    for (String later : c.below) {
      if (message.equals("unknown field '" + later + "'")) {
        return " (" + later + " is a derived column declared below: declare it first)";
      }
    }
    return "";
  }
}
