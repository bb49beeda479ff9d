package dev.intake.transforms.sinks.warehouse;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;

/** A table Intake keeps: its name, the schema of its rows, and its key columns (may be none). */
public final class WarehouseTable {
  final String name;
  final Schema schema;
  final List<String> key;

  public WarehouseTable(String name, Schema schema, List<String> key) {
    this.name = name;
    this.schema = schema;
    this.key = List.copyOf(key);
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
}
