package dev.intake.transforms.sinks.warehouse;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;

/**
 * A table Intake keeps: its name, the schema of its rows, its key columns (may be none) and its
 * layer. A table is in the clean layer unless made a raw one ({@link #inRawLayer}); a clean table
 * has a view of the same name in the public layer, without the columns {@link #hiddenFromPublic}
 * names.
 */
public final class WarehouseTable {
  final String name;
  final Schema schema;
  final List<String> key;
  final boolean raw;
  final List<String> hidden;

  public WarehouseTable(String name, Schema schema, List<String> key) {
    this(name, schema, key, false, List.of());
  }

  private WarehouseTable(String name, Schema schema, List<String> key, boolean raw,
      List<String> hidden) {
    this.name = name;
    this.schema = schema;
    this.key = List.copyOf(key);
    this.raw = raw;
    this.hidden = List.copyOf(hidden);
  }

  /** This table in the raw layer (dead letters, tombstones): no public view. */
  public WarehouseTable inRawLayer() {
    return new WarehouseTable(name, schema, key, true, List.of());
  }

  /** This clean table, whose public view leaves out {@code columns} (those it has). */
  public WarehouseTable hiddenFromPublic(List<String> columns) {
    return new WarehouseTable(name, schema, key, raw,
        columns.stream().filter(schema::hasField).toList());
  }

  public String name() {
    return name;
  }

  public Schema schema() {
    return schema;
  }

  /** The key columns; empty for a table without a key. */
  public List<String> key() {
    return key;
  }

  /** True for a table of the raw layer. */
  public boolean raw() {
    return raw;
  }

  /** The columns the public view leaves out. */
  public List<String> hidden() {
    return hidden;
  }
}
