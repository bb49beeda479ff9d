package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.options.InvalidOptionsException;
import dev.intake.transforms.aggregate.AggregateDaily;
import dev.intake.transforms.aggregate.Measure;
import dev.intake.transforms.derive.Derivation;
import dev.intake.transforms.derive.DeriveColumns;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.Schemas;
import dev.intake.transforms.validate.Rule;
import dev.intake.transforms.sinks.lake.Partitioner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Reads a dataset spec (YAML or JSON) and checks it: every error names the spec file and line.
 * {@code --dataset} is either the name of a spec bundled with Intake or the path of a spec file.
 */
public final class SpecLoader {
  /** The specs bundled with Intake, under {@code specs/} on the classpath. */
  public static final List<String> BUNDLED = List.of("sf311");

  private final String file;
  private final LocatedTree tree;

  private SpecLoader(String file, LocatedTree tree) {
    this.file = file;
    this.tree = tree;
  }

  /** Loads the bundled spec called {@code dataset}, or the spec file at that path. */
  public static DatasetSpec load(String dataset) {
    Path path = Path.of(dataset);
    String lower = dataset.toLowerCase(Locale.ROOT);
    boolean looksLikeFile =
        lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
    if (Files.isRegularFile(path)) {
      try {
        return parse(dataset, Files.readString(path, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new InvalidOptionsException("--dataset=" + dataset + ": cannot read: " + e.getMessage());
      }
    }
    if (looksLikeFile) {
      throw new InvalidOptionsException("--dataset=" + dataset + ": no such spec file");
    }
    String resource = "specs/" + dataset + ".yaml";
    try (InputStream in = SpecLoader.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null || !dataset.matches("[A-Za-z0-9_-]+")) {
        throw new InvalidOptionsException(
            "--dataset=" + dataset + " is not a known dataset (bundled: "
                + String.join(", ", BUNDLED) + ") nor a spec file");
      }
      return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new InvalidOptionsException("--dataset=" + dataset + ": cannot read: " + e.getMessage());
    }
  }

  /** Parses spec text; {@code file} names it in error messages. */
  public static DatasetSpec parse(String file, String text) {
    boolean yaml = !file.toLowerCase(Locale.ROOT).endsWith(".json");
    LocatedTree tree;
    try {
      tree = LocatedTree.parse(text, yaml);
    } catch (IOException e) {
      int line = 0;
      if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
        com.fasterxml.jackson.core.JsonLocation loc =
            ((com.fasterxml.jackson.core.JsonProcessingException) e).getLocation();
        line = loc == null ? 0 : loc.getLineNr();
      }
      throw new SpecException(file, line, "not valid " + (yaml ? "YAML" : "JSON") + ": "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    return new SpecLoader(file, tree).build();
  }

  private SpecException error(JsonNode at, String message) {
    return new SpecException(file, tree.lineOf(at), message);
  }

  private DatasetSpec build() {
    JsonNode root = tree.root();
    if (!root.isObject()) {
      throw error(root, "a spec is a mapping of settings");
    }
    known(root, "name", "description", "zone", "source", "key", "version", "watermark", "fields", "derived",
        "piiHashKeyEnv", "formats", "fullLoad", "partition", "aggregates");
    String name = text(root, "name", true);
    String zone = text(root, "zone", true);
    try {
      ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      throw error(root.get("zone"), "unknown time zone '" + zone + "' (e.g. America/Los_Angeles)");
    }

    List<FieldDef> fields = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    List<String> hashed = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    Map<String, JsonNode> fieldNodes = new LinkedHashMap<>();
    JsonNode fieldList = list(root, "fields", true);
    for (JsonNode f : fieldList) {
      FieldDef def = field(f, fieldNodes);
      fields.add(def);
    }
    for (JsonNode f : fieldList) {
      rules(f, fieldNodes, rules);
      String pii = text(f, "pii", false);
      if (pii != null) {
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
            throw error(f.get("pii"), "pii must be keep, hash or drop, not '" + pii + "'");
        }
      }
    }

    List<String> key = new ArrayList<>();
    JsonNode keyNode = root.get("key");
    if (keyNode == null) {
      throw error(root, "missing 'key' (the field or fields that identify a record)");
    }
    for (JsonNode k : keyNode.isArray() ? keyNode : List.of(keyNode)) {
      if (!fieldNodes.containsKey(k.asText())) {
        throw error(k, "key field '" + k.asText() + "' is not among the fields");
      }
      key.add(k.asText());
    }
    if (key.isEmpty()) {
      throw error(keyNode, "'key' must name at least one field");
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
    String version = text(root, "version", true);
    FieldDef versionDef = byName(fields, version);
    if (versionDef == null) {
      throw error(root.get("version"), "version field '" + version + "' is not among the fields");
    }
    if (versionDef.type() != FieldType.TIMESTAMP
        && versionDef.type() != FieldType.LONG
        && versionDef.type() != FieldType.INT) {
      throw error(root.get("version"), "version field '" + version + "' must be a timestamp or a number");
    }

    String watermark = text(root, "watermark", false);
    if (watermark != null) {
      FieldDef w = byName(fields, watermark);
      if (w == null || w.type() != FieldType.TIMESTAMP) {
        throw error(root.get("watermark"), "watermark field '" + watermark + "' is not a timestamp field");
      }
    }
    String hashKeyEnv = text(root, "piiHashKeyEnv", false);
    if (!hashed.isEmpty() && hashKeyEnv == null) {
      throw error(root, "fields " + hashed + " have pii: hash, so 'piiHashKeyEnv' must name the "
          + "environment variable that holds the hash key");
    }

    List<Derivation> derived = new ArrayList<>();
    JsonNode derivedList = list(root, "derived", false);
    for (String k : key) {
      if (hashed.contains(k) || dropped.contains(k) || version.equals(k)) {
        throw error(keyNode, "key field '" + k + "' cannot be hashed, dropped or the version field");
      }
    }
    if (hashed.contains(version) || dropped.contains(version)) {
      throw error(root.get("version"), "version field '" + version + "' cannot be hashed or dropped");
    }
    if (derivedList != null) {
      for (JsonNode d : derivedList) {
        derived.add(derivation(d, fields));
      }
    }
    Schema cleanSchema;
    try {
      cleanSchema =
          DeriveColumns.of(derived).withHashed(hashed, hashKeyEnv).withDropped(dropped)
              .outputSchema(Schemas.of(fields));
    } catch (IllegalArgumentException e) {
      throw error(derivedList == null ? root : derivedList, e.getMessage());
    }

    Map<String, RecordFormat> formats = new LinkedHashMap<>();
    JsonNode formatsNode = root.get("formats");
    if (formatsNode == null || !formatsNode.isObject() || formatsNode.isEmpty()) {
      throw error(root, "missing 'formats' (how the source files or API encode the records)");
    }
    Iterator<Map.Entry<String, JsonNode>> it = formatsNode.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      formats.put(e.getKey(), format(e.getKey(), e.getValue(), zone, fieldNodes));
    }
    JsonNode fullLoad = root.get("fullLoad");
    String exportFormat = null;
    String jsonLinesFormat = null;
    if (fullLoad != null) {
      known(fullLoad, "csv", "jsonLines");
      exportFormat = formatRef(fullLoad, "csv", formats, RecordFormat.Kind.CSV);
      jsonLinesFormat = formatRef(fullLoad, "jsonLines", formats, RecordFormat.Kind.JSON);
    }

    Partitioner partitioner = partition(root, fields);
    if (dropped.contains(partitioner.field())) {
      throw error(root.get("partition"), "partition field '" + partitioner.field() + "' is dropped (pii: drop)");
    }
    List<DatasetSpec.Aggregate> aggregates = new ArrayList<>();
    JsonNode aggList = list(root, "aggregates", false);
    if (aggList != null) {
      for (JsonNode a : aggList) {
        aggregates.add(aggregate(a, zone, cleanSchema, partitioner.field()));
      }
    }
    return new DatasetSpec(
        name,
        text(root, "description", false),
        file,
        zone,
        source(root.get("source"), formats),
        key,
        version,
        watermark,
        fields,
        rules,
        derived,
        hashed,
        dropped,
        hashKeyEnv,
        formats,
        exportFormat,
        jsonLinesFormat,
        partitioner,
        aggregates);
  }

  private FieldDef field(JsonNode f, Map<String, JsonNode> fieldNodes) {
    if (!f.isObject()) {
      throw error(f, "a field is a mapping with at least name and type");
    }
    known(f, "name", "type", "required", "min", "max", "oneOf", "pattern", "notBefore",
        "nullValues", "pii", "description");
    String name = text(f, "name", true);
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw error(f.get("name"), "field name '" + name + "' must be letters, digits and '_'");
    }
    if (fieldNodes.containsKey(name)) {
      throw error(f.get("name"), "field '" + name + "' is declared twice");
    }
    String typeName = text(f, "type", true);
    FieldType type = FieldType.named(typeName);
    if (type == null) {
      throw error(f.get("type"), "unknown type '" + typeName + "' for field '" + name
          + "' (known: string, long, int, double, boolean, timestamp)");
    }
    fieldNodes.put(name, f);
    List<String> nulls = new ArrayList<>();
    JsonNode nv = f.get("nullValues");
    if (nv != null) {
      if (!nv.isArray()) {
        throw error(nv, "nullValues must be a list");
      }
      nv.forEach(v -> nulls.add(v.asText()));
    }
    return FieldDef.of(name, type).withNullValues(nulls);
  }

  private void rules(JsonNode f, Map<String, JsonNode> fieldNodes, List<Rule> rules) {
    String name = f.get("name").asText();
    FieldType type = FieldType.named(f.get("type").asText());
    JsonNode req = f.get("required");
    if (req != null) {
      if (!req.isBoolean()) {
        throw error(req, "required must be true or false");
      }
      if (req.asBoolean()) {
        rules.add(Rule.required(name));
      }
    }
    JsonNode min = f.get("min");
    JsonNode max = f.get("max");
    if (min != null || max != null) {
      if (type != FieldType.DOUBLE && type != FieldType.LONG && type != FieldType.INT) {
        throw error(min != null ? min : max, "min/max apply to numeric fields, and '" + name
            + "' is a " + type.name().toLowerCase(Locale.ROOT));
      }
      for (JsonNode b : new JsonNode[] {min, max}) {
        if (b != null && !b.isNumber()) {
          throw error(b, "min/max of '" + name + "' must be numbers");
        }
      }
      try {
        rules.add(Rule.range(name, min == null ? null : min.asDouble(), max == null ? null : max.asDouble()));
      } catch (IllegalArgumentException e) {
        throw error(min, e.getMessage());
      }
    }
    JsonNode oneOf = f.get("oneOf");
    if (oneOf != null) {
      if (!oneOf.isArray() || oneOf.isEmpty()) {
        throw error(oneOf, "oneOf of '" + name + "' must be a non-empty list");
      }
      List<String> values = new ArrayList<>();
      oneOf.forEach(v -> values.add(v.asText()));
      rules.add(Rule.oneOf(name, values));
    }
    JsonNode pattern = f.get("pattern");
    if (pattern != null) {
      try {
        Pattern.compile(pattern.asText());
      } catch (PatternSyntaxException e) {
        throw error(pattern, "pattern of '" + name + "' is not a valid regular expression: "
            + e.getDescription());
      }
      rules.add(Rule.pattern(name, pattern.asText()));
    }
    JsonNode notBefore = f.get("notBefore");
    if (notBefore != null) {
      JsonNode other = fieldNodes.get(notBefore.asText());
      if (type != FieldType.TIMESTAMP || other == null
          || FieldType.named(other.get("type").asText()) != FieldType.TIMESTAMP) {
        throw error(notBefore, "notBefore needs '" + name + "' and '" + notBefore.asText()
            + "' to be timestamp fields");
      }
      rules.add(Rule.notBefore(name, notBefore.asText()));
    }
  }

  private Derivation derivation(JsonNode d, List<FieldDef> fields) {
    known(d, "name", "function", "args");
    String name = text(d, "name", true);
    String function = text(d, "function", true);
    JsonNode args = list(d, "args", true);
    if (byName(fields, name) != null) {
      throw error(d.get("name"), "derived column '" + name + "' has the name of a field");
    }
    if (function.equals("hours_between")) {
      if (args.size() != 2) {
        throw error(args, "hours_between takes two timestamp fields: [start, end]");
      }
      for (JsonNode a : args) {
        FieldDef def = byName(fields, a.asText());
        if (def == null || def.type() != FieldType.TIMESTAMP) {
          throw error(a, "hours_between: '" + a.asText() + "' is not a timestamp field");
        }
      }
      return Derivation.hoursBetween(name, args.get(0).asText(), args.get(1).asText());
    }
    throw error(d.get("function"), "unknown function '" + function + "' (known: hours_between)");
  }

  private RecordFormat format(String name, JsonNode f, String zone, Map<String, JsonNode> fieldNodes) {
    known(f, "kind", "timestampPatterns", "columns");
    String kind = text(f, "kind", true);
    RecordFormat.Kind k;
    try {
      k = RecordFormat.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw error(f.get("kind"), "format kind must be csv or json, not '" + kind + "'");
    }
    List<String> patterns = new ArrayList<>();
    JsonNode p = list(f, "timestampPatterns", true);
    for (JsonNode pat : p) {
      try {
        java.time.format.DateTimeFormatter.ofPattern(pat.asText());
      } catch (IllegalArgumentException e) {
        throw error(pat, "not a timestamp pattern: " + e.getMessage());
      }
      patterns.add(pat.asText());
    }
    if (patterns.isEmpty()) {
      throw error(p, "timestampPatterns must hold at least one pattern");
    }
    Map<String, String> columns = new LinkedHashMap<>();
    JsonNode c = f.get("columns");
    if (c != null) {
      if (!c.isObject()) {
        throw error(c, "columns maps source column names to field names");
      }
      Iterator<Map.Entry<String, JsonNode>> it = c.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!fieldNodes.containsKey(e.getValue().asText())) {
          throw error(e.getValue(), "format " + name + ": column '" + e.getKey()
              + "' maps to '" + e.getValue().asText() + "', which is not a field");
        }
        columns.put(e.getKey(), e.getValue().asText());
      }
    }
    return RecordFormat.of(name, k, columns, patterns, zone);
  }

  private String formatRef(
      JsonNode parent, String key, Map<String, RecordFormat> formats, RecordFormat.Kind kind) {
    String ref = text(parent, key, false);
    if (ref == null) {
      return null;
    }
    RecordFormat f = formats.get(ref);
    if (f == null || f.kind() != kind) {
      throw error(parent.get(key), "fullLoad." + key + " must name a "
          + kind.name().toLowerCase(Locale.ROOT) + " format among " + formats.keySet());
    }
    return ref;
  }

  private Partitioner partition(JsonNode root, List<FieldDef> fields) {
    JsonNode p = root.get("partition");
    if (p == null) {
      throw error(root, "missing 'partition' (field, granularity and name of the lake partitions)");
    }
    known(p, "field", "granularity", "name");
    String field = text(p, "field", true);
    FieldDef def = byName(fields, field);
    if (def == null || def.type() != FieldType.TIMESTAMP) {
      throw error(p.get("field"), "partition field '" + field + "' is not a timestamp field");
    }
    String g = text(p, "granularity", true);
    Partitioner.Granularity granularity;
    try {
      granularity = Partitioner.Granularity.valueOf(g.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw error(p.get("granularity"), "granularity must be day, month or year, not '" + g + "'");
    }
    String name = text(p, "name", true);
    return Partitioner.of(name, field, granularity, text(root, "zone", true));
  }

  private DatasetSpec.Aggregate aggregate(
      JsonNode a, String zone, Schema cleanSchema, String partitionField) {
    known(a, "name", "day", "groupBy", "measures");
    String name = text(a, "name", true);
    String day = text(a, "day", true);
    if (!cleanSchema.hasField(day)
        || cleanSchema.getField(day).getType().getTypeName() != Schema.TypeName.DATETIME) {
      throw error(a.get("day"), "aggregate " + name + ": day '" + day + "' is not a timestamp field");
    }
    List<String> groups = new ArrayList<>();
    JsonNode g = list(a, "groupBy", false);
    if (g != null) {
      for (JsonNode f : g) {
        if (!cleanSchema.hasField(f.asText())) {
          throw error(f, "aggregate " + name + ": groupBy field '" + f.asText() + "' is not a column");
        }
        groups.add(f.asText());
      }
    }
    List<Measure> measures = new ArrayList<>();
    for (JsonNode m : list(a, "measures", true)) {
      measures.add(measure(m, name, cleanSchema));
    }
    if (measures.isEmpty()) {
      throw error(a, "aggregate " + name + " has no measures");
    }
    if (!day.equals(partitionField)) {
      throw error(a.get("day"), "aggregate " + name + ": day must be the partition field '"
          + partitionField + "', so that a day's aggregate is recomputed with its partition");
    }
    return new DatasetSpec.Aggregate(name, day, AggregateDaily.of(day, zone, groups, measures));
  }

  private Measure measure(JsonNode m, String aggregate, Schema cleanSchema) {
    known(m, "name", "fn", "field", "q");
    String name = text(m, "name", true);
    String fn = text(m, "fn", true);
    String field = text(m, "field", false);
    if (field != null && !cleanSchema.hasField(field)) {
      throw error(m.get("field"), "aggregate " + aggregate + ": '" + field + "' is not a column");
    }
    if (!fn.equals("count") && field == null) {
      throw error(m, "measure " + name + ": " + fn + " needs a field");
    }
    if (!fn.equals("count")
        && !cleanSchema.getField(field).getType().getTypeName().isNumericType()) {
      throw error(m.get("field"), "measure " + name + ": " + fn + " needs a numeric field");
    }
    switch (fn) {
      case "count":
        return field == null ? Measure.count(name) : Measure.countOf(name, field);
      case "median":
        return Measure.quantile(name, field, 0.5);
      case "quantile":
        JsonNode q = m.get("q");
        if (q == null || !q.isNumber() || q.asDouble() < 0 || q.asDouble() > 1) {
          throw error(q == null ? m : q, "measure " + name + ": quantile needs q between 0 and 1");
        }
        return Measure.quantile(name, field, q.asDouble());
      default:
        throw error(m.get("fn"), "unknown measure function '" + fn + "' (known: count, median, quantile)");
    }
  }

  private DatasetSpec.Source source(JsonNode s, Map<String, RecordFormat> formats) {
    if (s == null) {
      return null;
    }
    known(s, "type", "domain", "resource", "tokenEnv", "format", "windowField", "pageSize");
    String type = text(s, "type", true);
    if (!Set.of("socrata").contains(type)) {
      throw error(s.get("type"), "unknown source type '" + type + "' (known: socrata)");
    }
    String format = text(s, "format", true);
    RecordFormat f = formats.get(format);
    if (f == null || f.kind() != RecordFormat.Kind.JSON) {
      throw error(s.get("format"), "source format '" + format + "' must name a json format among "
          + formats.keySet());
    }
    JsonNode pageSize = s.get("pageSize");
    int size = pageSize == null ? 1000 : pageSize.asInt();
    if (pageSize != null && (!pageSize.isIntegralNumber() || size <= 0 || size > 50_000)) {
      throw error(pageSize, "pageSize must be a whole number between 1 and 50000");
    }
    return new DatasetSpec.Source(
        type, text(s, "domain", true), text(s, "resource", true), text(s, "tokenEnv", false),
        format, text(s, "windowField", true), size);
  }

  private void known(JsonNode node, String... keys) {
    if (!node.isObject()) {
      throw error(node, "expected a mapping with " + String.join(", ", keys));
    }
    List<String> allowed = List.of(keys);
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!allowed.contains(n)) {
        throw error(node.get(n), "unknown setting '" + n + "' (known here: " + String.join(", ", keys) + ")");
      }
    }
  }

  private String text(JsonNode node, String key, boolean required) {
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

  private JsonNode list(JsonNode node, String key, boolean required) {
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

  private static FieldDef byName(List<FieldDef> fields, String name) {
    for (FieldDef f : fields) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }
}
