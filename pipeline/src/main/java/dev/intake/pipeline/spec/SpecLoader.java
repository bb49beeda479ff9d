package dev.intake.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.options.InvalidOptionsException;
import dev.intake.transforms.derive.Derivation;
import dev.intake.transforms.derive.DeriveColumns;
import dev.intake.transforms.model.Schemas;
import dev.intake.transforms.sources.ApiSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Reads a dataset spec (YAML or JSON) and checks it: every error names the spec file and line.
 * {@code --dataset} is either the name of a spec bundled with Intake or the path of a spec file.
 *
 * <p>Each section has its parser: {@link FieldsParser} (fields, their rule keys from {@link
 * RuleParsers}, key, version, watermark), {@link PiiParser}, {@link DerivedParser} (derived
 * columns and their functions), {@link FormatsParser} (formats and fullLoad), {@link
 * PartitionParser}, {@link AggregatesParser} (with {@link MeasuresParser}) and {@link
 * SourceParser} (source types found with {@link java.util.ServiceLoader}); this class reads the
 * file and assembles the {@link DatasetSpec} in the order the sections depend on each other.
 */
public final class SpecLoader {
  /** The specs bundled with Intake, under {@code specs/} on the classpath. */
  public static final List<String> BUNDLED = List.of("sf311", "crunchbase_organizations");

  private static final int MAX_REFERENCE_DEPTH = 4;

  private SpecLoader() {}

  /** Loads the bundled spec called {@code dataset}, or the spec file at that path. */
  public static DatasetSpec load(String dataset) {
    return load(dataset, Set.of());
  }

  /** As {@link #load(String)}, inside the loading of the datasets {@code loading} (references). */
  static DatasetSpec load(String dataset, Set<String> loading) {
    if (loading.size() > MAX_REFERENCE_DEPTH) {
      throw new InvalidOptionsException("dataset references nest deeper than "
          + MAX_REFERENCE_DEPTH + ": " + loading);
    }
    Path path = Path.of(dataset);
    String lower = dataset.toLowerCase(Locale.ROOT);
    boolean looksLikeFile =
        lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
    if (Files.isRegularFile(path)) {
      try {
        Path dir = path.toAbsolutePath().getParent();
        return parse(dataset, Files.readString(path, StandardCharsets.UTF_8),
            dir == null ? "" : dir.toString(), loading);
      } catch (IOException e) {
        throw new InvalidOptionsException(
            "--dataset=" + dataset + ": cannot read: " + e.getMessage());
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
      return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8),
          ReferencesParser.CLASSPATH + "specs", loading);
    } catch (IOException e) {
      throw new InvalidOptionsException(
          "--dataset=" + dataset + ": cannot read: " + e.getMessage());
    }
  }

  /** Parses spec text; {@code file} names it in error messages. */
  public static DatasetSpec parse(String file, String text) {
    Path dir = Path.of(file).toAbsolutePath().getParent();
    return parse(file, text, dir == null ? "" : dir.toString(), Set.of());
  }

  /**
   * Parses spec text; {@code file} names it in error messages, {@code base} is the folder its
   * relative reference files are in ({@code classpath:specs} for a bundled spec).
   */
  static DatasetSpec parse(String file, String text, String base, Set<String> loading) {
    boolean yaml = !file.toLowerCase(Locale.ROOT).endsWith(".json");
    LocatedTree tree;
    try {
      tree = LocatedTree.parse(text, yaml);
    } catch (IOException e) {
      int line = 0;
      if (e instanceof JsonProcessingException) {
        JsonLocation loc = ((JsonProcessingException) e).getLocation();
        line = loc == null ? 0 : loc.getLineNr();
      }
      throw new SpecException(file, line, "not valid " + (yaml ? "YAML" : "JSON") + ": "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    return assemble(new SpecNodes(file, tree), file, base, loading);
  }

  /** The clean rows' schema: fields after PII handling, derived columns, reference columns. */
  public static Schema cleanSchema(DatasetSpec spec) {
    return Reference.appendColumns(
        DeriveColumns.of(spec.derived()).withHashed(spec.hashed(), spec.hashKeyEnv())
            .withDropped(spec.dropped()).outputSchema(Schemas.of(spec.fields())),
        spec.references());
  }

  private static DatasetSpec assemble(SpecNodes nodes, String file, String base,
      Set<String> loading) {
    JsonNode root = nodes.root();
    if (!root.isObject()) {
      throw nodes.error(root, "a spec is a mapping of settings");
    }
    nodes.known(root, "name", "description", "zone", "source", "key", "version", "watermark",
        "fields", "derived", "piiHashKeyEnv", "maskPatterns", "formats", "fullLoad", "partition",
        "aggregates", "history", "references", "gates");
    String name = nodes.text(root, "name", true);
    if (loading.contains(name)) {
      throw nodes.error(root.get("name"), "dataset '" + name + "' is its own reference, through "
          + "the references of " + loading);
    }
    String zone = nodes.text(root, "zone", true);
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw nodes.error(
          root.get("zone"), "unknown time zone '" + zone + "' (e.g. America/Los_Angeles)");
    }

    PiiParser pii = new PiiParser(nodes);
    FieldsParser fields = FieldsParser.parse(nodes, root, pii);
    List<String> key = fields.key(root);
    String version = fields.version(root);
    String watermark = fields.watermark(root);
    String hashKeyEnv = pii.hashKeyEnv(root);
    pii.masks(root);

    JsonNode derivedList = nodes.list(root, "derived", false);
    pii.checkReadable(root, key, version);
    List<String> hiddenFields = new ArrayList<>(pii.hashed);
    hiddenFields.addAll(pii.dropped);
    hiddenFields.addAll(pii.masked.keySet());
    List<Derivation> derived =
        DerivedParser.parse(nodes, derivedList, fields.fields, zone, hiddenFields);
    Schema cleanSchema;
    try {
      cleanSchema =
          DeriveColumns.of(derived).withHashed(pii.hashed, hashKeyEnv).withDropped(pii.dropped)
              .outputSchema(Schemas.of(fields.fields));
    } catch (IllegalArgumentException e) {
      throw nodes.error(derivedList == null ? root : derivedList, e.getMessage());
    }
    Set<String> within = new HashSet<>(loading);
    within.add(name);
    List<Reference> references =
        ReferencesParser.parse(nodes, root, cleanSchema, base, within);
    cleanSchema = Reference.appendColumns(cleanSchema, references);

    FormatsParser formats = FormatsParser.parse(nodes, root, zone, fields.fieldNodes);
    PartitionParser partition =
        PartitionParser.parse(nodes, root, zone, fields.fields, pii.dropped);
    List<DatasetSpec.Aggregate> aggregates =
        AggregatesParser.parse(nodes, root, zone, cleanSchema, partition);
    ApiSource api = SourceParser.parse(nodes, root.get("source"), formats.formats);
    if (api != null && api.deletions() != null
        && cleanSchema.getField(version).getType().getTypeName() != Schema.TypeName.DATETIME) {
      throw nodes.error(root.get("version"), "version '" + version + "' must be a timestamp field:"
          + " the source reports deletions, whose time is compared with each version");
    }
    boolean history = HistoryParser.parse(nodes, root, cleanSchema, version, fields.rules);
    DatasetSpec spec = new DatasetSpec(
        name,
        nodes.text(root, "description", false),
        file,
        zone,
        api,
        key,
        version,
        watermark,
        fields.fields,
        fields.rules,
        derived,
        pii.hashed,
        pii.dropped,
        hashKeyEnv,
        formats.formats,
        formats.exportFormat,
        formats.jsonLinesFormat,
        partition.partitioner,
        aggregates,
        fields.retired,
        fields.renamedFrom);
    spec.history = history;
    spec.references = List.copyOf(references);
    spec.masked = java.util.Collections.unmodifiableMap(pii.masked);
    spec.gates = List.copyOf(GatesParser.parse(nodes, root, cleanSchema));
    return spec;
  }
}
