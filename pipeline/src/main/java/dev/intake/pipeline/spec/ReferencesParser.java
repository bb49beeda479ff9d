package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.join.JoinReference;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.sinks.reference.ReadReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Reads a spec's {@code references}: reference tables the clean rows are joined with, after the
 * derived columns.
 *
 * <pre>
 * - name: countries
 *   file: references/iso3166_countries.csv   # or dataset: other_dataset (its clean table)
 *   key: {column: name, type: string}
 *   joinOn: country                          # a field or derived column of this spec
 *   prefix: country_                         # optional, before every output name
 *   columns:
 *     - {name: alpha2, type: string, as: code}   # → country_code
 *     - {name: region, type: string}             # → country_region
 *   onMiss: keep                             # or reject (a dead letter reference:countries)
 * </pre>
 *
 * <p>A relative {@code file} is relative to the spec file (for a bundled spec, bundled beside
 * it); the format is {@code csv} or {@code parquet}, from the file's extension unless {@code
 * format} says. A {@code dataset} reference must name a bundled dataset or a spec file, whose clean
 * schema must have the key and the columns with the declared types.
 */
final class ReferencesParser {
  static final String CLASSPATH = "classpath:";
  private static final Set<FieldType> TYPES = Set.of(FieldType.STRING, FieldType.LONG,
      FieldType.INT, FieldType.DOUBLE, FieldType.BOOLEAN, FieldType.DATE);

  private final SpecNodes nodes;
  private final String base;
  private final Set<String> loading;

  private ReferencesParser(SpecNodes nodes, String base, Set<String> loading) {
    this.nodes = nodes;
    this.base = base;
    this.loading = loading;
  }

  /**
   * The references of {@code root.references} (none when absent), joined to rows of {@code
   * schema} (the fields and derived columns). {@code base} is where relative files are; {@code
   * loading} the datasets being loaded, to refuse a cycle of dataset references.
   */
  static List<Reference> parse(SpecNodes nodes, JsonNode root, Schema schema, String base,
      Set<String> loading) {
    ReferencesParser parser = new ReferencesParser(nodes, base, loading);
    List<Reference> references = new ArrayList<>();
    JsonNode list = nodes.list(root, "references", false);
    if (list == null) {
      return references;
    }
    Schema joined = schema;
    for (JsonNode r : list) {
      Reference ref = parser.reference(r, schema, joined);
      for (Reference other : references) {
        if (other.name().equals(ref.name())) {
          throw nodes.error(r.get("name"), "reference '" + ref.name() + "' is declared twice");
        }
      }
      references.add(ref);
      joined = Reference.appendColumns(schema, references);
    }
    return references;
  }

  private Reference reference(JsonNode r, Schema schema, Schema joined) {
    nodes.known(r, "name", "file", "dataset", "format", "key", "joinOn", "prefix", "columns",
        "onMiss", "description");
    String name = nodes.text(r, "name", true);
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw nodes.error(r.get("name"), "reference name '" + name
          + "' must be letters, digits and '_'");
    }
    String file = nodes.text(r, "file", false);
    String dataset = nodes.text(r, "dataset", false);
    if ((file == null) == (dataset == null)) {
      throw nodes.error(r, "reference '" + name + "' needs either file (a CSV or Parquet file) or"
          + " dataset (another dataset's clean table), not " + (file == null ? "neither" : "both"));
    }
    ReadReference.Format format = format(r, file);
    JsonNode keyNode = r.get("key");
    if (keyNode == null || !keyNode.isObject()) {
      throw nodes.error(keyNode == null ? r : keyNode,
          "reference '" + name + "': key must be a mapping {column: <name>, type: <type>}");
    }
    nodes.known(keyNode, "column", "type");
    FieldDef key = column(keyNode, "column");
    String joinOn = nodes.text(r, "joinOn", true);
    if (!schema.hasField(joinOn)) {
      throw nodes.error(r.get("joinOn"), "reference '" + name + "': joinOn '" + joinOn
          + "' is not a field or derived column (known: " + String.join(", ",
              schema.getFieldNames()) + ")");
    }
    Schema.FieldType joinType = schema.getField(joinOn).getType();
    if (!joinType.withNullable(true).equals(key.type().beamType())) {
      throw nodes.error(keyNode.get("type"), "reference '" + name + "': key " + key.name()
          + " is " + key.type().specName() + " but joinOn field '" + joinOn + "' is "
          + specName(joinType) + "; they must have the same type");
    }
    String prefix = nodes.text(r, "prefix", false);
    List<FieldDef> columns = new ArrayList<>();
    Map<String, String> outputNames = new LinkedHashMap<>();
    JsonNode columnList = nodes.list(r, "columns", true);
    if (columnList.isEmpty()) {
      throw nodes.error(columnList, "reference '" + name + "': columns must name at least one");
    }
    for (JsonNode c : columnList) {
      nodes.known(c, "name", "type", "as");
      FieldDef def = column(c, "name");
      if (outputNames.containsKey(def.name())) {
        throw nodes.error(c.get("name"), "reference '" + name + "': column '" + def.name()
            + "' is named twice");
      }
      if (def.name().equals(key.name()) && def.type() != key.type()) {
        throw nodes.error(c.get("type"), "reference '" + name + "': column '" + def.name()
            + "' is the key, of type " + key.type().specName());
      }
      String as = nodes.text(c, "as", false);
      String out = (prefix == null ? "" : prefix) + (as == null ? def.name() : as);
      if (!out.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw nodes.error(c, "reference '" + name + "': column name '" + out
            + "' must be letters, digits and '_'");
      }
      if (joined.hasField(out) || outputNames.containsValue(out)) {
        throw nodes.error(c, "reference '" + name + "': column '" + out
            + "' is already a column of the clean rows; rename it with as or prefix");
      }
      columns.add(def);
      outputNames.put(def.name(), out);
    }
    if (dataset != null) {
      dataset = checkDataset(r, name, dataset, key, columns);
    }
    return new Reference(name, file == null ? null : resolve(file), dataset, format, key, joinOn,
        columns, outputNames, onMiss(r, name));
  }

  private FieldDef column(JsonNode c, String nameKey) {
    String column = nodes.text(c, nameKey, true);
    String typeName = nodes.text(c, "type", true);
    FieldType type = FieldType.named(typeName);
    if (type == null || !TYPES.contains(type)) {
      throw nodes.error(c.get("type"), (type == null ? "unknown" : "unsupported") + " type '"
          + typeName + "' for reference column '" + column
          + "' (known: string, long, int, double, boolean, date)");
    }
    return FieldDef.of(column, type);
  }

  private JoinReference.OnMiss onMiss(JsonNode r, String name) {
    String onMiss = nodes.text(r, "onMiss", false);
    if (onMiss == null || onMiss.equals("keep")) {
      return JoinReference.OnMiss.KEEP;
    }
    if (onMiss.equals("reject")) {
      return JoinReference.OnMiss.REJECT;
    }
    throw nodes.error(r.get("onMiss"), "reference '" + name + "': unknown onMiss '" + onMiss
        + "' (known: keep, reject)");
  }

  private ReadReference.Format format(JsonNode r, String file) {
    String format = nodes.text(r, "format", false);
    if (format == null && file != null) {
      String lower = file.toLowerCase(Locale.ROOT);
      format = lower.endsWith(".csv") ? "csv" : lower.endsWith(".parquet") ? "parquet" : null;
      if (format == null) {
        throw nodes.error(r.get("file"), "cannot tell the format of '" + file
            + "' from its name: give format: csv or format: parquet");
      }
    }
    if (format == null || format.equals("parquet")) {
      return ReadReference.Format.PARQUET;
    }
    if (format.equals("csv") && file != null) {
      return ReadReference.Format.CSV;
    }
    throw nodes.error(r.get("format"), "unknown format '" + format + "' (known: csv, parquet"
        + (file == null ? "; a dataset reference is always parquet" : "") + ")");
  }

  /** A relative file is relative to the spec's folder (on the classpath for a bundled spec). */
  String resolve(String file) {
    if (file.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") || file.startsWith(CLASSPATH)
        || Path.of(file).isAbsolute()) {
      return file;
    }
    if (base.startsWith(CLASSPATH)) {
      String resource = Path.of(base.substring(CLASSPATH.length())).resolve(file).normalize()
          .toString();
      return CLASSPATH + resource;
    }
    return Path.of(base).resolve(file).normalize().toString();
  }

  /** Checks a dataset reference's key and columns; returns the dataset's name (its lake folder). */
  private String checkDataset(JsonNode r, String name, String dataset, FieldDef key,
      List<FieldDef> columns) {
    if (loading.contains(dataset)) {
      throw nodes.error(r.get("dataset"), "reference '" + name + "': dataset '" + dataset
          + "' refers back to this dataset");
    }
    DatasetSpec spec;
    try {
      spec = SpecLoader.load(dataset, loading);
    } catch (RuntimeException e) {
      throw nodes.error(r.get("dataset"), "reference '" + name + "': cannot use dataset '"
          + dataset + "': " + e.getMessage());
    }
    Schema other = SpecLoader.cleanSchema(spec);
    List<FieldDef> all = new ArrayList<>(columns);
    all.add(0, key);
    for (FieldDef c : all) {
      if (!other.hasField(c.name())) {
        throw nodes.error(r.get("dataset"), "reference '" + name + "': dataset '" + dataset
            + "' has no column '" + c.name() + "' (its columns: "
            + String.join(", ", other.getFieldNames()) + ")");
      }
      if (!other.getField(c.name()).getType().withNullable(true).equals(c.type().beamType())) {
        throw nodes.error(r.get("dataset"), "reference '" + name + "': column '" + c.name()
            + "' of dataset '" + dataset + "' is " + specName(other.getField(c.name()).getType())
            + ", not " + c.type().specName());
      }
    }
    return spec.name();
  }

  private static String specName(Schema.FieldType type) {
    for (FieldType t : FieldType.values()) {
      if (t.beamType().equals(type.withNullable(true))) {
        return t.specName();
      }
    }
    return type.getTypeName().toString().toLowerCase(Locale.ROOT);
  }
}
