package dev.intake.transforms.sinks.warehouse;

import static dev.intake.transforms.sinks.warehouse.Dialect.quote;

import dev.intake.transforms.model.FailPoints;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The SQL warehouse of one dataset, from the driver: its clean table (one row per key), aggregate
 * tables, dead-letter table, and Intake's run history and watermarks ({@code intake_runs}, {@code
 * intake_state}), each in its layer ({@link WarehouseLayout}: clean tables in the configured
 * schema, dead letters, staging and Intake's own tables in {@code <schema>_raw}, views without
 * hidden columns in {@code <schema>_public}).
 *
 * <p>Tables are created from the spec when missing; an existing table whose columns disagree with
 * the spec stops the run, with {@link SchemaMismatchException}, before anything is written. A run's
 * rows reach the tables in one transaction, {@link #commit}, which also records the run and
 * advances the dataset's watermark, so data and state never disagree. How the rows get there (the
 * pipeline's staging tables, or the published Parquet files) is the {@link Dialect}'s.
 */
public final class Warehouse implements AutoCloseable {
  /** Intake's run history table. */
  public static final String RUNS = RunLedger.RUNS;
  /** Intake's watermark table. */
  public static final String STATE = RunLedger.STATE;
  /** Intake's schema versions table. */
  public static final String SCHEMAS = RunLedger.SCHEMAS;

  private final WarehouseConfig config;
  private final Dialect dialect;
  private final String schema;
  private final String raw;
  private final WarehouseConfig.Session session;
  private final Connection connection;
  private final RunLedger ledger;
  /** Tables found empty by {@link #prepare}: the commit loads them from the run's files. */
  private final java.util.Set<String> preparedEmpty = new java.util.HashSet<>();

  private Warehouse(WarehouseConfig config, WarehouseConfig.Session session) {
    this.config = config;
    this.dialect = config.dialect();
    this.schema = config.schema();
    this.raw = config.rawSchema();
    this.session = session;
    this.connection = session.connection();
    this.ledger = new RunLedger(connection, raw, dialect);
  }

  /**
   * Connects with {@code config}, and creates or upgrades the warehouse's layers ({@link
   * WarehouseLayout}); a warehouse laid out by a newer Intake is refused with an {@link
   * IllegalStateException} whose message says so.
   */
  public static Warehouse connect(WarehouseConfig config) throws SQLException {
    WarehouseConfig.Session session = config.open();
    try {
      new WarehouseLayout(session.connection(), config).upgrade();
    } catch (SQLException | RuntimeException e) {
      session.close();
      throw e;
    }
    return new Warehouse(config, session);
  }

  /** The table in its layer's schema, quoted. */
  String qualified(WarehouseTable t) {
    return Dialect.qualified(t.raw ? raw : schema, t.name());
  }

  /**
   * Creates Intake's tables and the dataset's missing tables, checks existing ones against the
   * spec, and creates the run's empty staging tables where the dialect has them.
   */
  public void prepare(List<WarehouseTable> tables, String runId) throws SQLException {
    prepare(tables, runId, List.of());
  }

  /**
   * As {@link #prepare(List, String)}, for a run whose commit will apply {@code changes} (a newer
   * schema version): an existing table is checked as it will be once its changes are applied.
   */
  public void prepare(List<WarehouseTable> tables, String runId, List<TableChange> changes)
      throws SQLException {
    connection.setAutoCommit(true);
    ledger.create();
    for (WarehouseTable t : tables) {
      String layer = t.raw ? raw : schema;
      Map<String, String> existing = SchemaCheck.columns(connection, layer, t.name());
      List<TableChange> own = new java.util.ArrayList<>();
      changes.stream().filter(c -> c.table.equals(t.name())).forEach(own::add);
      if (existing.isEmpty()) {
        try (Statement s = connection.createStatement()) {
          s.execute(dialect.createTable(qualified(t), t));
        }
      } else {
        SchemaCheck.check(dialect, layer, t, TableChange.applied(existing, own, dialect));
      }
      if (dialect.loadsEmptyTablesFromFiles() && (existing.isEmpty() || isEmpty(t))) {
        preparedEmpty.add(t.name());
      } else {
        preparedEmpty.remove(t.name());
      }
      // A table still to be changed gets its view in the commit, after the change (applyChanges).
      if (!t.raw && own.isEmpty()) {
        publish(t);
      }
      dialect.createStaging(connection, raw, t, runId);
    }
  }

  /**
   * Creates the public view of clean table {@code t} (its columns less the hidden ones), or
   * replaces one whose columns differ; a view that is already right is left alone, so its grants
   * stay.
   */
  private void publish(WarehouseTable t) throws SQLException {
    List<String> columns = publicColumns(t);
    String view = Dialect.qualified(config.publicSchema(), t.name());
    Map<String, String> existing = SchemaCheck.columns(connection, config.publicSchema(), t.name());
    if (List.copyOf(existing.keySet()).equals(columns)) {
      return;
    }
    execute("DROP VIEW IF EXISTS " + view);
    execute(createView(t));
  }

  private String createView(WarehouseTable t) {
    return "CREATE VIEW " + Dialect.qualified(config.publicSchema(), t.name()) + " AS SELECT "
        + Dialect.quotedList(publicColumns(t)) + " FROM " + qualified(t);
  }

  private static List<String> publicColumns(WarehouseTable t) {
    List<String> columns = new java.util.ArrayList<>();
    t.schema().getFields().forEach(f -> columns.add(f.getName()));
    columns.removeAll(t.hidden);
    return columns;
  }

  /**
   * Applies a newer schema version's table changes (clean-layer tables), inside the commit's
   * transaction. A view over a column blocks changing its type in PostgreSQL, so the public views
   * of the changed tables are dropped first and created again, as the spec now has them, after.
   */
  private void applyChanges(WarehouseCommit c) throws SQLException {
    if (c.changes.isEmpty()) {
      return;
    }
    Map<String, WarehouseTable> tables = new java.util.LinkedHashMap<>();
    tables.put(c.clean.name(), c.clean);
    c.aggregates.keySet().forEach(t -> tables.put(t.name(), t));
    if (c.history != null) {
      tables.put(c.history.name(), c.history);
    }
    java.util.Set<String> changed = new java.util.LinkedHashSet<>();
    c.changes.forEach(change -> changed.add(change.table));
    for (String t : changed) {
      execute("DROP VIEW IF EXISTS " + Dialect.qualified(config.publicSchema(), t));
    }
    for (TableChange change : c.changes) {
      execute(change.sql(dialect, Dialect.qualified(schema, change.table)));
    }
    for (String t : changed) {
      if (tables.containsKey(t)) {
        execute(createView(tables.get(t)));
      }
    }
  }

  /**
   * The pipeline step that loads {@code table}'s rows of run {@code runId} into its staging table,
   * or empty when the commit reads the run's rows from its published Parquet files instead: always
   * for a dialect that does not load in the pipeline (DuckDB), and for a table that {@link
   * #prepare} found empty where the dialect {@linkplain Dialect#loadsEmptyTablesFromFiles() loads
   * empty tables from files} (PostgreSQL: a first load is one COPY into the table, at commit).
   */
  public Optional<LoadStagingTable> stagingLoad(WarehouseTable table, String runId,
      LoadMethod method) {
    if (!dialect.loadsInPipeline() || preparedEmpty.contains(table.name())) {
      return Optional.empty();
    }
    return Optional.of(
        LoadStagingTable.into(config,
                Dialect.qualified(raw, Dialect.stagingName(table.name(), runId)))
            .withMethod(method));
  }

  /** The newest schema version recorded for {@code dataset}, or null before its first. */
  public SchemaRecord latestSchema(String dataset) throws SQLException {
    ledger.create();
    return ledger.latestSchema(dataset);
  }

  /** The names of {@code table}'s columns, in table order; empty when it does not exist. */
  public List<String> columns(String table) throws SQLException {
    return List.copyOf(SchemaCheck.columns(connection, schema, table).keySet());
  }

  /** True when {@code runId} is recorded as committed. */
  public boolean committed(String runId) throws SQLException {
    return ledger.committed(runId);
  }

  /**
   * Applies the run's table changes (a newer schema version), merges the run's rows into the clean
   * table, replaces what each aggregate's rows replace, appends its dead letters, advances the
   * watermark (never backwards), records the run and the schema version it holds, in one
   * transaction; then drops the run's staging tables. Does nothing if the run is already recorded
   * as committed, so it can be repeated.
   *
   * <p>First the run's staging is checked against the rows the run wrote ({@link
   * WarehouseCommit.Builder#rows}): a staging table found short (PostgreSQL empties unlogged
   * tables when it recovers from a crash) is loaded again from the run's published Parquet files,
   * said on {@code log}; rows that cannot be restored stop the commit with an {@link
   * IllegalStateException} before its transaction, naming the run, the table and the counts.
   */
  public void commit(WarehouseCommit c, Consumer<String> log) throws SQLException {
    if (committed(c.runId)) {
      return;
    }
    java.util.Set<WarehouseTable> fromFiles = emptyTargets(c);
    new StagingGuard(connection, dialect, raw).check(c, log, fromFiles);
    connection.setAutoCommit(false);
    try {
      applyChanges(c);
      claimEmpty(c, fromFiles);
      if (fromFiles.contains(c.clean)) {
        copyFiles(c, c.clean);
      } else {
        String rows = dialect.runRows(raw, c.clean, c.runId, c.version, c.filesOf(c.clean));
        if (rows != null) {
          execute(dialect.upsert(qualified(c.clean), c.clean, c.version, rows));
        }
      }
      for (Map.Entry<WarehouseTable, Replacement> a : c.aggregates.entrySet()) {
        if (fromFiles.contains(a.getKey())) {
          copyFiles(c, a.getKey());
        } else {
          replace(a.getKey(), a.getValue());
          append(a.getKey(), c);
        }
      }
      if (c.deadLetters != null) {
        if (fromFiles.contains(c.deadLetters)) {
          copyFiles(c, c.deadLetters);
        } else {
          replaceRun(c.deadLetters, c);
        }
      }
      if (c.tombstones != null) {
        if (fromFiles.contains(c.tombstones)) {
          copyFiles(c, c.tombstones);
        } else {
          replaceRun(c.tombstones, c);
        }
        deleteTombstoned(c);
      }
      if (c.history != null) {
        if (fromFiles.contains(c.history)) {
          copyFiles(c, c.history);
        } else {
          String history = dialect.runRows(raw, c.history, c.runId,
              c.history.key().get(c.history.key().size() - 1), c.filesOf(c.history));
          if (history != null) {
            execute(dialect.replaceRows(qualified(c.history), c.history, history));
          }
        }
      }
      ledger.advanceWatermark(c.run);
      ledger.record(c.run);
      if (c.schema != null) {
        ledger.recordSchema(c.schema, c.run.finishedAt);
      }
      FailPoints.check("commit.insideDb");
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      // The cause is e: a rollback or an auto-commit switch that fails afterwards (DuckDB's "no
      // transaction is active" once a commit failed) is secondary and must not replace it.
      quietly(e, connection::rollback);
      quietly(e, () -> connection.setAutoCommit(true));
      throw e;
    }
    connection.setAutoCommit(true);
    List<String> names = new java.util.ArrayList<>();
    names.add(c.clean.name());
    c.aggregates.keySet().forEach(t -> names.add(t.name()));
    if (c.deadLetters != null) {
      names.add(c.deadLetters.name());
    }
    if (c.tombstones != null) {
      names.add(c.tombstones.name());
    }
    if (c.history != null) {
      names.add(c.history.name());
    }
    dropStaging(names, c.runId);
  }

  /**
   * The tables of {@code c} that are empty and that the dialect loads from the run's published
   * files when empty (checked before the transaction; {@link #claimEmpty} checks again inside it).
   * For such a table a merge has nothing to compare with, replace or delete: the rows are simply
   * added, with one COPY, and its staging table (which the pipeline did not load if the table was
   * already empty when the run was prepared) is not read.
   */
  private java.util.Set<WarehouseTable> emptyTargets(WarehouseCommit c) throws SQLException {
    java.util.Set<WarehouseTable> empty = new java.util.LinkedHashSet<>();
    if (!dialect.loadsEmptyTablesFromFiles()) {
      return empty;
    }
    connection.setAutoCommit(true);
    for (WarehouseTable t : c.tables()) {
      if (!c.filesOf(t).isEmpty() && isEmpty(t)) {
        empty.add(t);
      }
    }
    return empty;
  }

  /**
   * Inside the commit's transaction, locks each of {@code tables} against other writers (readers
   * go on) and checks it is still empty; one that received rows meanwhile (only another writer than
   * Intake can, the run holds the dataset's lock) stops the commit before it changed anything.
   */
  private void claimEmpty(WarehouseCommit c, java.util.Set<WarehouseTable> tables)
      throws SQLException {
    for (WarehouseTable t : tables) {
      execute("LOCK TABLE " + qualified(t) + " IN EXCLUSIVE MODE");
      if (!isEmpty(t)) {
        throw new IllegalStateException("run " + c.runId + ": table " + qualified(t)
            + " received rows from another writer as the commit began; the warehouse was not"
            + " changed; run intake again to merge into it");
      }
    }
  }

  private boolean isEmpty(WarehouseTable t) throws SQLException {
    try (Statement s = connection.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT 1 FROM " + qualified(t) + " LIMIT 1")) {
      return !rs.next();
    }
  }

  /**
   * Loads the run's published Parquet files of empty table {@code t} into it (one COPY, inside the
   * transaction); files that cannot be read, or that hold fewer rows than the run wrote, stop the
   * commit with a one-line {@link IllegalStateException} naming the run, the table and the counts.
   */
  private void copyFiles(WarehouseCommit c, WarehouseTable t) throws SQLException {
    List<String> files = c.filesOf(t);
    long copied;
    try {
      copied = dialect.copyFiles(connection, qualified(t), t, files);
    } catch (java.io.IOException e) {
      IllegalStateException failed = new IllegalStateException("run " + c.runId + ": reading the"
          + " published Parquet files of " + t.name() + " failed (" + e.getMessage()
          + "); the warehouse was not changed");
      failed.addSuppressed(e);
      throw failed;
    }
    Long wrote = c.rows.get(t.name());
    if (wrote != null && copied < wrote) {
      throw new IllegalStateException(String.format(java.util.Locale.ROOT,
          "run %s: the published Parquet files of %s hold %d of the %d rows the run wrote (%d"
              + " file(s)); the warehouse was not changed", c.runId, t.name(), copied, wrote,
          files.size()));
    }
  }

  /** Appends the run's rows of {@code t}, replacing those of an earlier try of the run. */
  private void replaceRun(WarehouseTable t, WarehouseCommit c) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(
        "DELETE FROM " + qualified(t) + " WHERE run_id = ?")) {
      ps.setString(1, c.runId);
      ps.executeUpdate();
    }
    append(t, c);
  }

  /** Deletes the clean rows the run's tombstones remove: their key, a version not after them. */
  private void deleteTombstoned(WarehouseCommit c) throws SQLException {
    String clean = qualified(c.clean);
    StringBuilder same = new StringBuilder();
    for (String k : c.clean.key()) {
      same.append(" AND d.").append(quote(k)).append(" = ").append(clean).append('.')
          .append(quote(k));
    }
    try (PreparedStatement ps = connection.prepareStatement(
        "DELETE FROM " + clean + " WHERE EXISTS (SELECT 1 FROM " + qualified(c.tombstones)
            + " d WHERE d.run_id = ?" + same + " AND (" + clean + "." + quote(c.version)
            + " IS NULL OR " + clean + "." + quote(c.version) + " <= d.deleted_at))")) {
      ps.setString(1, c.runId);
      ps.executeUpdate();
    }
  }

  private interface SqlAction {
    void run() throws SQLException;
  }

  private static void quietly(Exception cause, SqlAction action) {
    try {
      action.run();
    } catch (SQLException | RuntimeException secondary) {
      cause.addSuppressed(secondary);
    }
  }

  private void replace(WarehouseTable t, Replacement r) throws SQLException {
    if (r.column() == null) {
      execute("DELETE FROM " + qualified(t));
      return;
    }
    for (LocalDate[] range : r.rangesList()) {
      try (PreparedStatement ps =
          connection.prepareStatement(
              "DELETE FROM " + qualified(t) + " WHERE " + quote(r.column()) + " >= ? AND "
                  + quote(r.column()) + " < ?")) {
        ps.setObject(1, range[0]);
        ps.setObject(2, range[1]);
        ps.executeUpdate();
      }
    }
  }

  private void append(WarehouseTable t, WarehouseCommit c) throws SQLException {
    String rows = dialect.runRows(raw, t, c.runId, null, c.filesOf(t));
    if (rows != null) {
      execute("INSERT INTO " + qualified(t) + " (" + Dialect.columns(t) + ") " + rows);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  /** Records a run (any status) in {@code intake_runs}, replacing an earlier record of it. */
  public void recordRun(RunRecord r) throws SQLException {
    ledger.record(r);
  }

  /**
   * The {@code read} or {@code written} count of the dataset's last {@code n} succeeded runs in
   * {@code intake_runs}, newest first.
   */
  public List<Long> recentCounts(String dataset, String column, int n) throws SQLException {
    return ledger.recentCounts(dataset, column, n);
  }

  /** The dataset's watermark, or null before its first committed run. */
  public Timestamp watermark(String dataset) throws SQLException {
    return ledger.watermark(dataset);
  }

  /** Drops the staging tables of {@code runId} for these tables, where the dialect has them. */
  public void dropStaging(List<String> tables, String runId) throws SQLException {
    for (String t : tables) {
      dialect.dropStaging(connection, raw, t, runId);
    }
  }

  /** Names of staging tables of {@code table} left by runs that did not finish. */
  public List<String> stagingTables(String table) throws SQLException {
    return dialect.leftoverStaging(connection, raw, table);
  }

  /**
   * Lets {@code role} read the clean layer's {@code tables} and their public views (and use those
   * two schemas), and nothing of the raw layer: its USAGE on the raw schema and any SELECT on the
   * raw {@code tables} are revoked. Run by the tables' owner (the loader), it needs no superuser.
   *
   * @throws UnsupportedOperationException if the database has no roles
   */
  public void grantReader(String role, List<WarehouseTable> tables) throws SQLException {
    if (!dialect.supportsRoles()) {
      throw new UnsupportedOperationException(dialect + " has no roles to grant to");
    }
    String r = quote(role);
    try (Statement s = connection.createStatement()) {
      s.execute("GRANT USAGE ON SCHEMA " + quote(schema) + ", " + quote(config.publicSchema())
          + " TO " + r);
      s.execute("REVOKE ALL ON SCHEMA " + quote(raw) + " FROM " + r);
      for (WarehouseTable t : tables) {
        if (t.raw) {
          s.execute("REVOKE ALL ON " + qualified(t) + " FROM " + r);
        } else {
          s.execute("GRANT SELECT ON " + qualified(t) + ", "
              + Dialect.qualified(config.publicSchema(), t.name()) + " TO " + r);
        }
      }
      for (String own : List.of(RUNS, STATE, RunLock.LOCKS)) {
        s.execute("REVOKE ALL ON " + Dialect.qualified(raw, own) + " FROM " + r);
      }
    }
  }

  /** Drops a staging table of the raw layer by name, if it exists. */
  public void dropTable(String table) throws SQLException {
    execute("DROP TABLE IF EXISTS " + Dialect.qualified(raw, table));
  }

  @Override
  public void close() throws SQLException {
    session.close();
  }
}
