package dev.intake.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.transforms.derive.Derivation;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.sinks.lake.Partitioner;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The content of one version of a dataset's schema, as the lake and the warehouse record it: the
 * clean columns with their types (spec type names), which of them are derived, the key, the
 * partitioning, each aggregate's columns, the retired fields and the declared renames. Its {@link
 * #fingerprint} is the SHA-256 of its canonical JSON (keys sorted), so reordering a spec's fields
 * or editing its comments does not make a new version.
 */
@JsonPropertyOrder({"key", "partition", "fields", "derived", "aggregates", "retired",
    "renamedFrom"})
public final class SchemaVersion {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CANONICAL = new ObjectMapper()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  public List<String> key = new ArrayList<>();
  /** As a spec writes it: "{field: opened, granularity: month, name: opened_month}". */
  public String partition;
  /** Clean columns that are not derived (the spec's fields after PII handling) to their type. */
  public Map<String, String> fields = new LinkedHashMap<>();
  /** Derived columns to their type. */
  public Map<String, String> derived = new LinkedHashMap<>();
  /** Aggregate name to its columns and their types. */
  public Map<String, Map<String, String>> aggregates = new LinkedHashMap<>();
  public List<String> retired = new ArrayList<>();
  /** Field name to its former name. */
  public Map<String, String> renamedFrom = new LinkedHashMap<>();

  /** The schema {@code spec} describes. */
  static SchemaVersion of(DatasetSpec spec) {
    SchemaVersion v = new SchemaVersion();
    v.key.addAll(spec.key());
    Partitioner p = spec.partitioner();
    v.partition = "{field: " + p.field() + ", granularity: "
        + p.granularity().name().toLowerCase(Locale.ROOT) + ", name: " + p.name() + "}";
    Schema clean = IntakePipeline.cleanSchema(spec);
    List<String> derivedNames = new ArrayList<>();
    spec.derived().forEach(d -> derivedNames.add(d.name()));
    for (Schema.Field f : clean.getFields()) {
      (derivedNames.contains(f.getName()) ? v.derived : v.fields)
          .put(f.getName(), typeName(f.getType()));
    }
    for (DatasetSpec.Aggregate a : spec.aggregates()) {
      Map<String, String> columns = new LinkedHashMap<>();
      for (Schema.Field f : a.transform().outputSchema(clean).getFields()) {
        columns.put(f.getName(), typeName(f.getType()));
      }
      v.aggregates.put(a.name(), columns);
    }
    v.retired.addAll(spec.retired());
    v.renamedFrom.putAll(spec.renamedFrom());
    return v;
  }

  private static String typeName(Schema.FieldType type) {
    FieldType t = FieldType.of(type);
    if (t == null) {
      throw new IllegalStateException("no spec type for column type " + type);
    }
    return t.specName();
  }

  /** The derivations of {@code spec} whose columns are in {@code names}. */
  static List<Derivation> derivations(DatasetSpec spec, List<String> names) {
    List<Derivation> out = new ArrayList<>();
    spec.derived().stream().filter(d -> names.contains(d.name())).forEach(out::add);
    return out;
  }

  /** The first 16 hex digits of the SHA-256 of the canonical JSON. */
  public String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(CANONICAL.writeValueAsString(this).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static SchemaVersion fromJson(String json) {
    try {
      return JSON.readValue(json, SchemaVersion.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not a schema version: " + e.getOriginalMessage(), e);
    }
  }
}
