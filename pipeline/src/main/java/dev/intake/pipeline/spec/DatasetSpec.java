package dev.intake.pipeline.spec;

import dev.intake.transforms.aggregate.AggregateRows;
import dev.intake.transforms.aggregate.TimeBucket;
import dev.intake.transforms.derive.Derivation;
import dev.intake.transforms.derive.TextMask;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.sinks.lake.Partitioner;
import dev.intake.transforms.sources.ApiSource;
import dev.intake.transforms.validate.Rule;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A dataset as its spec file describes it: fields with types and rules, key, version field,
 * source formats, its API, partitioning, derived columns, PII handling and aggregates. Immutable;
 * built by {@link SpecLoader}, which has checked that every name it holds refers to something that
 * exists.
 */
public final class DatasetSpec implements Serializable {
  /**
   * An aggregate dataset: its name, the transform that computes it from the clean rows, and how
   * the lake stores it. An aggregate is <em>aligned</em> with the lake's partitions when it has a
   * bucket of the partition field whose every bucket lies inside one partition (a day in day, month
   * or year partitions; a month in month or year partitions; a week in none, since weeks cross
   * months and years): it is then partitioned like the clean rows and recomputed per partition a
   * run touches. Any other aggregate must be recomputed whole, from every current row.
   */
  public static final class Aggregate implements Serializable {
    private final String name;
    private final AggregateRows transform;
    private final boolean aligned;

    Aggregate(String name, AggregateRows transform, boolean aligned) {
      this.name = name;
      this.transform = transform;
      this.aligned = aligned;
    }

    public String name() {
      return name;
    }

    /** Computes the aggregate from clean rows; its output schema is {@code outputSchema(clean)}. */
    public AggregateRows transform() {
      return transform;
    }

    /** The name of the aggregate's DATE bucket column, or null when it has no bucket. */
    public String bucketColumn() {
      TimeBucket bucket = transform.bucket();
      return bucket == null ? null : bucket.column();
    }

    /**
     * The partitioning of the aggregate in the lake: {@code clean} (the spec's {@link
     * DatasetSpec#partitioner()}) computed from the bucket column when the aggregate is aligned,
     * else null (it is recomputed whole each run).
     */
    public Partitioner lakePartitioner(Partitioner clean) {
      return aligned ? clean.onField(bucketColumn()) : null;
    }
  }

  final String name;
  final String description;
  final String file;
  final String zone;
  final ApiSource api;
  final List<String> key;
  final String version;
  final String watermark;
  final List<FieldDef> fields;
  final List<Rule> rules;
  final List<Derivation> derived;
  final List<String> hashed;
  final List<String> dropped;
  final String hashKeyEnv;
  final Map<String, RecordFormat> formats;
  final String exportFormat;
  final String jsonLinesFormat;
  final Partitioner partitioner;
  final List<Aggregate> aggregates;
  /** Set once by {@link SpecLoader}, right after construction. */
  boolean history;
  List<Reference> references = List.of();
  final List<String> retired;
  final Map<String, String> renamedFrom;
  /** Masked text fields and their masks, in the spec's order of each field's list. */
  Map<String, List<TextMask>> masked = Map.of();
  /** The data-quality gates, in the spec's order; set once by {@link SpecLoader}. */
  List<Gate> gates = List.of();

  DatasetSpec(
      String name,
      String description,
      String file,
      String zone,
      ApiSource api,
      List<String> key,
      String version,
      String watermark,
      List<FieldDef> fields,
      List<Rule> rules,
      List<Derivation> derived,
      List<String> hashed,
      List<String> dropped,
      String hashKeyEnv,
      Map<String, RecordFormat> formats,
      String exportFormat,
      String jsonLinesFormat,
      Partitioner partitioner,
      List<Aggregate> aggregates,
      List<String> retired,
      Map<String, String> renamedFrom) {
    this.name = name;
    this.description = description;
    this.file = file;
    this.zone = zone;
    this.api = api;
    this.key = List.copyOf(key);
    this.version = version;
    this.watermark = watermark;
    this.fields = List.copyOf(fields);
    this.rules = List.copyOf(rules);
    this.derived = List.copyOf(derived);
    this.hashed = List.copyOf(hashed);
    this.dropped = List.copyOf(dropped);
    this.hashKeyEnv = hashKeyEnv;
    this.formats = Map.copyOf(formats);
    this.exportFormat = exportFormat;
    this.jsonLinesFormat = jsonLinesFormat;
    this.partitioner = partitioner;
    this.aggregates = List.copyOf(aggregates);
    this.retired = List.copyOf(retired);
    this.renamedFrom = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
        renamedFrom));
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  /** The spec file this was read from. */
  public String file() {
    return file;
  }

  public String zone() {
    return zone;
  }

  /**
   * The API the dataset is read from in API modes, as its {@code source} section configured it;
   * null when the spec has no source (it can only be loaded from files).
   */
  public ApiSource api() {
    return api;
  }

  public List<String> key() {
    return key;
  }

  /** The field that decides which version of a key is newest. */
  public String version() {
    return version;
  }

  /**
   * The timestamp field whose newest committed value is the dataset's watermark (it holds the
   * source's window field, e.g. an API's row-change time); null to use the version field.
   */
  public String watermark() {
    return watermark;
  }

  public List<FieldDef> fields() {
    return fields;
  }

  public List<Rule> rules() {
    return rules;
  }

  public List<Derivation> derived() {
    return derived;
  }

  public List<String> hashed() {
    return hashed;
  }

  public List<String> dropped() {
    return dropped;
  }

  /** The environment variable holding the key for hashed fields; null if none are hashed. */
  public String hashKeyEnv() {
    return hashKeyEnv;
  }

  public Map<String, RecordFormat> formats() {
    return formats;
  }

  /** The format of the full-load export file (CSV). */
  public RecordFormat exportFormat() {
    return formats.get(exportFormat);
  }

  /** The format of JSON-lines files, or null when the spec has none. */
  public RecordFormat jsonLinesFormat() {
    return jsonLinesFormat == null ? null : formats.get(jsonLinesFormat);
  }

  public Partitioner partitioner() {
    return partitioner;
  }

  public List<Aggregate> aggregates() {
    return aggregates;
  }

  /**
   * Whether the dataset keeps a version history (SCD type 2, by the version field, which is then a
   * required timestamp): every distinct version of a key with its {@code valid_from}, {@code
   * valid_to} and {@code is_current}.
   */
  public boolean history() {
    return history;
  }

  /** The reference tables the clean rows are joined with, in order (after derived columns). */
  public List<Reference> references() {
    return references;
  }

  /** Fields marked {@code retired: true}: kept in the schema, null from now on. */
  public List<String> retired() {
    return retired;
  }

  /** Field name to its former name, for the fields declared with {@code renamedFrom}. */
  public Map<String, String> renamedFrom() {
    return renamedFrom;
  }

  /** The data-quality gates checked before each commit, in the spec's order; empty if none. */
  public List<Gate> gates() {
    return gates;
  }

  /** The text fields with {@code pii: mask}, each with its masks in order; empty if none. */
  public Map<String, List<TextMask>> masked() {
    return masked;
  }
}
