package dev.intake.pipeline.spec;

import dev.intake.transforms.join.JoinReference;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.sinks.lake.LakeLayout;
import dev.intake.transforms.sinks.reference.ReadReference;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;

/**
 * A reference table a spec joins its rows with ({@code references} in a spec): where it is (a CSV
 * or Parquet file, or another dataset's clean table in the lake), its key column, the field of the
 * dataset that joins to it, the columns it brings in and their names in the clean rows, and what a
 * miss does. Built by {@link SpecLoader}, which has checked the names and types it holds.
 */
public final class Reference implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String file;
  private final String dataset;
  private final ReadReference.Format format;
  private final FieldDef key;
  private final String joinOn;
  private final List<FieldDef> columns;
  private final LinkedHashMap<String, String> outputNames;
  private final JoinReference.OnMiss onMiss;

  Reference(String name, String file, String dataset, ReadReference.Format format, FieldDef key,
      String joinOn, List<FieldDef> columns, Map<String, String> outputNames,
      JoinReference.OnMiss onMiss) {
    this.name = name;
    this.file = file;
    this.dataset = dataset;
    this.format = format;
    this.key = key;
    this.joinOn = joinOn;
    this.columns = List.copyOf(columns);
    this.outputNames = new LinkedHashMap<>(outputNames);
    this.onMiss = onMiss;
  }

  public String name() {
    return name;
  }

  /**
   * The file's location: a path or pattern ({@code s3://} too), or {@code classpath:<resource>}
   * for a file bundled with Intake; null when the reference is another dataset.
   */
  public String file() {
    return file;
  }

  /** The dataset whose clean table in the lake is the reference; null for a file. */
  public String dataset() {
    return dataset;
  }

  /** The key column and its type. */
  public FieldDef key() {
    return key;
  }

  /** The field (or derived column) of this dataset matched with the key. */
  public String joinOn() {
    return joinOn;
  }

  /** Reference column name → the clean rows' column name, in the order they are appended. */
  public Map<String, String> outputNames() {
    return outputNames;
  }

  public JoinReference.OnMiss onMiss() {
    return onMiss;
  }

  /** Reads the reference's key and columns; a dataset reference from the lake at {@code root}. */
  public ReadReference read(String lakeRoot) {
    String location = file != null ? file
        : new LakeLayout(lakeRoot, dataset).clean() + "*/*.parquet";
    List<FieldDef> read = new ArrayList<>();
    read.add(key);
    for (FieldDef c : columns) {
      if (!c.name().equals(key.name())) {
        read.add(c);
      }
    }
    return ReadReference.of(name, location, format, read);
  }

  /** {@code schema} with the columns of {@code references} appended, in order. */
  public static Schema appendColumns(Schema schema, List<Reference> references) {
    if (references.isEmpty()) {
      return schema;
    }
    Schema.Builder b = Schema.builder().addFields(schema.getFields());
    for (Reference r : references) {
      for (FieldDef c : r.columns) {
        b.addField(r.outputNames.get(c.name()), c.type().beamType());
      }
    }
    return b.build();
  }
}
