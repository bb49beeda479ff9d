package dev.intake.transforms.sinks.warehouse;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run's commit writes: the table changes of a newer schema version, the clean table's new
 * versions, each aggregate table's new rows and what they replace, the dead letters, the tombstones
 * (deletions), the run's record and the schema version. Tables are named; {@link #files} gives
 * per table name the run's published Parquet files (read by dialects that load at commit, and to
 * reload a staging table found short), {@link #rows} the rows the run wrote for it (checked against
 * its staging before the merge).
 */
public final class WarehouseCommit {
  final String runId;
  final WarehouseTable clean;
  final String version;
  final Map<WarehouseTable, Replacement> aggregates;
  final WarehouseTable deadLetters;
  final WarehouseTable tombstones;
  final WarehouseTable history;
  final Map<String, List<String>> files;
  final Map<String, Long> rows;
  final RunRecord run;
  final List<TableChange> changes;
  final SchemaRecord schema;

  private WarehouseCommit(Builder b) {
    this.changes = List.copyOf(b.changes);
    this.schema = b.schema;
    this.runId = b.run.runId;
    this.clean = b.clean;
    this.version = b.version;
    this.aggregates = Collections.unmodifiableMap(new LinkedHashMap<>(b.aggregates));
    this.deadLetters = b.deadLetters;
    this.tombstones = b.tombstones;
    this.history = b.history;
    this.files = Map.copyOf(b.files);
    this.rows = Map.copyOf(b.rows);
    this.run = b.run;
  }

  /** A commit of {@code run} that upserts {@code clean} in order of {@code version}. */
  public static Builder of(RunRecord run, WarehouseTable clean, String version) {
    return new Builder(run, clean, version);
  }

  List<String> filesOf(WarehouseTable t) {
    return files.getOrDefault(t.name(), List.of());
  }

  /** Every table the commit writes: the clean one first, then as the builder was told. */
  List<WarehouseTable> tables() {
    List<WarehouseTable> all = new java.util.ArrayList<>();
    all.add(clean);
    all.addAll(aggregates.keySet());
    for (WarehouseTable t : new WarehouseTable[] {deadLetters, tombstones, history}) {
      if (t != null) {
        all.add(t);
      }
    }
    return all;
  }

  /** Builds a {@link WarehouseCommit}. */
  public static final class Builder {
    private final RunRecord run;
    private final WarehouseTable clean;
    private final String version;
    private final Map<WarehouseTable, Replacement> aggregates = new LinkedHashMap<>();
    private final Map<String, List<String>> files = new LinkedHashMap<>();
    private final Map<String, Long> rows = new LinkedHashMap<>();
    private WarehouseTable deadLetters;
    private WarehouseTable tombstones;
    private WarehouseTable history;
    private final List<TableChange> changes = new java.util.ArrayList<>();
    private SchemaRecord schema;

    private Builder(RunRecord run, WarehouseTable clean, String version) {
      this.run = run;
      this.clean = clean;
      this.version = version;
    }

    /** The aggregate {@code table}'s new rows replace what {@code replacement} selects. */
    public Builder aggregate(WarehouseTable table, Replacement replacement) {
      aggregates.put(table, replacement);
      return this;
    }

    /** The run's dead letters are appended to {@code table} (replacing an earlier try of the run). */
    public Builder deadLetters(WarehouseTable table) {
      this.deadLetters = table;
      return this;
    }

    /**
     * The run's tombstones (key fields, {@code deleted_at}, {@code run_id}) are appended to {@code
     * table}, and every clean row of their keys whose version is at or before its {@code
     * deleted_at} is deleted.
     */
    public Builder tombstones(WarehouseTable table) {
      this.tombstones = table;
      return this;
    }

    /**
     * The run's version-history rows (every history row of the partitions the run rewrote, among
     * them the whole recomputed history of every key it touched) are upserted into {@code table} by
     * its primary key (the key fields and {@code valid_from}): a touched key's rows are replaced by
     * the recomputed ones, the others are written again unchanged.
     */
    public Builder history(WarehouseTable table) {
      this.history = table;
      return this;
    }

    /** Applies {@code changes} to the tables first, in this order (a newer schema version). */
    public Builder changes(List<TableChange> changes) {
      this.changes.addAll(changes);
      return this;
    }

    /** Records {@code schema} as the version of the dataset's schema the tables now hold. */
    public Builder schema(SchemaRecord schema) {
      this.schema = schema;
      return this;
    }

    /** The run's published Parquet files holding the new rows of the table named {@code table}. */
    public Builder files(String table, List<String> paths) {
      files.put(table, List.copyOf(paths));
      return this;
    }

    /**
     * The run wrote {@code rows} rows for the table named {@code table} (to its Parquet files, and
     * at least as many to its staging table: a retried bundle may load its rows twice). The commit
     * checks the staging holds them before it merges; a table not named here is not checked.
     */
    public Builder rows(String table, long rows) {
      if (rows < 0) {
        throw new IllegalArgumentException("rows must be >= 0, but was " + rows);
      }
      this.rows.put(table, rows);
      return this;
    }

    public WarehouseCommit build() {
      return new WarehouseCommit(this);
    }
  }
}
