package dev.intake.pipeline.spec;

import dev.intake.transforms.aggregate.AggregateDaily;
import dev.intake.transforms.derive.Derivation;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.validate.Rule;
import dev.intake.transforms.sinks.lake.Partitioner;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A dataset as its spec file describes it: fields with types and rules, key, version field,
 * source formats, partitioning, derived columns, PII handling and aggregates. Immutable; built by
 * {@link SpecLoader}, which has checked that every name it holds refers to something that exists.
 */
public final class DatasetSpec implements Serializable {
  /** An aggregate dataset: its name and the transform that computes it. */
  public static final class Aggregate implements Serializable {
    private final String name;
    private final String dayField;
    private final AggregateDaily transform;

    Aggregate(String name, String dayField, AggregateDaily transform) {
      this.name = name;
      this.dayField = dayField;
      this.transform = transform;
    }

    public String name() {
      return name;
    }

    /** The timestamp field whose local date is the aggregate's day. */
    public String dayField() {
      return dayField;
    }

    public AggregateDaily transform() {
      return transform;
    }
  }

  /** Where the dataset's API lives (used by API modes). */
  public static final class Source implements Serializable {
    private final String type;
    private final String domain;
    private final String resource;
    private final String tokenEnv;
    private final String format;
    private final String windowField;
    private final int pageSize;

    Source(String type, String domain, String resource, String tokenEnv, String format,
        String windowField, int pageSize) {
      this.type = type;
      this.domain = domain;
      this.resource = resource;
      this.tokenEnv = tokenEnv;
      this.format = format;
      this.windowField = windowField;
      this.pageSize = pageSize;
    }

    /** The name of the format the API's records are in. */
    public String format() {
      return format;
    }

    /** The API field that windows (and the watermark) filter on, e.g. {@code :updated_at}. */
    public String windowField() {
      return windowField;
    }

    /** Rows per page unless --pageSize says otherwise. */
    public int pageSize() {
      return pageSize;
    }

    public String type() {
      return type;
    }

    public String domain() {
      return domain;
    }

    public String resource() {
      return resource;
    }

    public String tokenEnv() {
      return tokenEnv;
    }
  }

  final String name;
  final String description;
  final String file;
  final String zone;
  final Source source;
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

  DatasetSpec(
      String name,
      String description,
      String file,
      String zone,
      Source source,
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
      List<Aggregate> aggregates) {
    this.name = name;
    this.description = description;
    this.file = file;
    this.zone = zone;
    this.source = source;
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

  public Source source() {
    return source;
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
   * source's window field, e.g. Socrata's {@code :updated_at}); null to use the version field.
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
}
