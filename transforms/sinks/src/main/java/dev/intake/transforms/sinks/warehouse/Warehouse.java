package dev.intake.transforms.sinks.warehouse;

import static dev.intake.transforms.sinks.warehouse.Dialect.quote;

import dev.intake.transforms.model.FailPoints;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The SQL warehouse of one dataset: its clean table (one row per key), aggregate tables, dead
 * letter table, and Intake's {@code intake_runs} and {@code intake_state} tables.
 *
 * <p>Tables are created from the spec when missing; an existing table whose columns disagree with
 * the spec stops the run before anything is written. A run's rows reach the database in one
 * transaction, {@link #commit}, which also records the run and advances the dataset's watermark,
 * so data and state never disagree: on PostgreSQL from the run's staging tables (loaded by the
 * pipeline with COPY), on DuckDB straight from the run's Parquet files (set-based; DuckDB takes
 * row-by-row loads at about 1k rows/s). The clean table is upserted in version order: a stored
 * row is replaced only by a newer version, or by a different row of the same version (the lake's
 * tie-break decides), so an older version never overwrites a newer one.
 */
public final class Warehouse implements AutoCloseable {
  public static final String RUNS = "intake_runs";
  public static final String STATE = "intake_state";

  private final Dialect dialect;
  private final String schema;
  private final Connection connection;
  private final String url;

  private Warehouse(Dialect dialect, String schema, Connection connection, String url) {
    this.dialect = dialect;
    this.schema = schema;
    this.connection = connection;
    this.url = url;
  }

  /** Connects; the password, if any, is read from the environment variable {@code passwordEnv}. */
  public static Warehouse connect(String url, String user, String passwordEnv, String schema)
      throws SQLException {
    Dialect dialect = Dialect.of(url);
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (passwordEnv != null && System.getenv(passwordEnv) != null) {
      p.setProperty("password", System.getenv(passwordEnv));
    }
    Connection c = DriverManager.getConnection(url, p);
    return new Warehouse(dialect, schema == null ? dialect.defaultSchema : schema, c, url);
  }

  public boolean isPostgres() {
    return dialect == Dialect.POSTGRES;
  }

  /** The URL, for messages (it holds no password: passwords never go in URLs here). */
  public String url() {
    return url;
  }

  /** {@code schema.table}, quoted. */
  public String qualified(String table) {
    return quote(schema) + "." + quote(table);
  }

  /** The name of a run's staging table for {@code table} (PostgreSQL only). */
  public static String stagingName(String table, String runId) {
    return "_stage_" + table + "_" + runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  /**
   * Creates missing tables and checks existing ones against the spec; on PostgreSQL also creates
   * the run's empty staging tables.
   */
  public void prepare(List<WarehouseTable> tables, String runId) throws SQLException {
    connection.setAutoCommit(true);
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
      s.execute("CREATE TABLE IF NOT EXISTS " + qualified(RUNS) + " (run_id " + text()
          + " PRIMARY KEY, dataset " + text() + " NOT NULL, mode " + text() + ", input " + text()
          + ", runner " + text() + ", started_at TIMESTAMP WITH TIME ZONE, finished_at TIMESTAMP"
          + " WITH TIME ZONE, status " + text() + " NOT NULL, read BIGINT, written BIGINT,"
          + " superseded BIGINT, rejected BIGINT, watermark TIMESTAMP WITH TIME ZONE, error "
          + text() + ", summary " + text() + ")");
      s.execute("CREATE TABLE IF NOT EXISTS " + qualified(STATE) + " (dataset " + text()
          + " PRIMARY KEY, watermark TIMESTAMP WITH TIME ZONE, last_run_id " + text()
          + ", updated_at TIMESTAMP WITH TIME ZONE)");
    }
    for (WarehouseTable t : tables) {
      Map<String, String> existing = columns(t.name);
      if (existing.isEmpty()) {
        create(qualified(t.name), t, true);
      } else {
        check(t, existing);
      }
      if (isPostgres()) {
        String staging = qualified(stagingName(t.name, runId));
        try (Statement s = connection.createStatement()) {
          s.execute("DROP TABLE IF EXISTS " + staging);
        }
        create(staging, t, false);
      }
    }
  }

  private String text() {
    return dialect.typeOf(Schema.FieldType.STRING);
  }

  private void create(String name, WarehouseTable t, boolean withKey) throws SQLException {
    List<String> cols = new ArrayList<>();
    for (Schema.Field f : t.schema.getFields()) {
      cols.add(quote(f.getName()) + " " + dialect.typeOf(f.getType()));
    }
    if (withKey && !t.key.isEmpty()) {
      List<String> key = new ArrayList<>();
      t.key.forEach(k -> key.add(quote(k)));
      cols.add("PRIMARY KEY (" + String.join(", ", key) + ")");
    }
    String unlogged = !withKey && isPostgres() ? "UNLOGGED " : "";
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE " + unlogged + "TABLE " + name + " (" + String.join(", ", cols) + ")");
    }
  }

  private Map<String, String> columns(String table) throws SQLException {
    Map<String, String> cols = new LinkedHashMap<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cols.put(rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT));
        }
      }
    }
    return cols;
  }

  private void check(WarehouseTable t, Map<String, String> existing) {
    List<String> problems = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Schema.Field f : t.schema.getFields()) {
      String type = existing.get(f.getName());
      if (type == null) {
        missing.add(f.getName());
      } else if (!type.equals(dialect.reportedTypeOf(f.getType()))) {
        problems.add(f.getName() + " is " + type + " where the spec says "
            + dialect.reportedTypeOf(f.getType()));
      }
    }
    List<String> extra = new ArrayList<>();
    for (String c : existing.keySet()) {
      if (!t.schema.hasField(c)) {
        extra.add(c);
      }
    }
    if (!missing.isEmpty()) {
      problems.add(0, "missing columns " + missing);
    }
    if (!extra.isEmpty()) {
      problems.add("columns not in the spec " + extra);
    }
    if (!problems.isEmpty()) {
      throw new SchemaMismatchException("table " + schema + "." + t.name
          + " does not match the dataset spec: " + String.join("; ", problems)
          + " (migrate or drop the table)");
    }
  }

  /** What {@link #commit} writes. */
  public static final class Commit {
    public String runId;
    public String dataset;
    public WarehouseTable clean;
    public String version;
    public List<WarehouseTable> aggregates = new ArrayList<>();
    public String aggregateDayColumn;
    /** Per aggregate table, the day ranges {@code [start, end)} whose rows are replaced. */
    public List<LocalDate[]> dayRanges = new ArrayList<>();
    /** Null when there is no dead-letter table (benchmarks). */
    public WarehouseTable deadLetters;
    /** DuckDB: per table name, the Parquet files holding its new rows. */
    public Map<String, List<String>> parquetFiles = new LinkedHashMap<>();
    public RunRecord run;
  }

  /** The row of {@code intake_runs}. */
  public static final class RunRecord {
    public String runId;
    public String dataset;
    public String mode;
    public String input;
    public String runner;
    public String startedAt;
    public String finishedAt;
    public String status;
    public long read;
    public long written;
    public long superseded;
    public long rejected;
    public String watermark;
    public String error;
    public String summary;
  }

  /** True when {@code runId} is recorded as committed. */
  public boolean committed(String runId) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT status FROM " + qualified(RUNS) + " WHERE run_id = ?")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && "succeeded".equals(rs.getString(1));
      }
    }
  }

  /**
   * Merges the run's rows, replaces the touched days' aggregates, appends its dead letters,
   * advances the watermark (never backwards) and records the run, in one transaction. Does
   * nothing if the run is already recorded as committed, so it can be repeated.
   */
  public void commit(Commit c) throws SQLException {
    if (committed(c.runId)) {
      return;
    }
    connection.setAutoCommit(false);
    try {
      mergeClean(c);
      for (WarehouseTable agg : c.aggregates) {
        for (LocalDate[] range : c.dayRanges) {
          try (PreparedStatement ps =
              connection.prepareStatement(
                  "DELETE FROM " + qualified(agg.name) + " WHERE " + quote(c.aggregateDayColumn)
                      + " >= ? AND " + quote(c.aggregateDayColumn) + " < ?")) {
            ps.setObject(1, range[0]);
            ps.setObject(2, range[1]);
            ps.executeUpdate();
          }
        }
        insertAll(agg, c);
      }
      if (c.deadLetters != null) {
        try (PreparedStatement ps =
            connection.prepareStatement(
                "DELETE FROM " + qualified(c.deadLetters.name) + " WHERE run_id = ?")) {
          ps.setString(1, c.runId);
          ps.executeUpdate();
        }
        insertAll(c.deadLetters, c);
      }
      advanceWatermark(c.run);
      recordRun(c.run);
      FailPoints.check("commit.insideDb");
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
    dropStaging(c);
  }

  private String source(WarehouseTable t, Commit c) {
    if (isPostgres()) {
      return qualified(stagingName(t.name, c.runId));
    }
    List<String> files = c.parquetFiles.getOrDefault(t.name, List.of());
    List<String> quoted = new ArrayList<>();
    files.forEach(f -> quoted.add("'" + f.replace("'", "''") + "'"));
    return "read_parquet([" + String.join(", ", quoted) + "])";
  }

  private boolean hasSource(WarehouseTable t, Commit c) {
    return isPostgres() || !c.parquetFiles.getOrDefault(t.name, List.of()).isEmpty();
  }

  private static String columnList(Schema schema, String prefix) {
    List<String> cols = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      cols.add(prefix + quote(f.getName()));
    }
    return String.join(", ", cols);
  }

  private void mergeClean(Commit c) throws SQLException {
    WarehouseTable t = c.clean;
    if (!hasSource(t, c)) {
      return;
    }
    List<String> key = new ArrayList<>();
    t.key.forEach(k -> key.add(quote(k)));
    String keys = String.join(", ", key);
    List<String> sets = new ArrayList<>();
    List<String> differs = new ArrayList<>();
    for (Schema.Field f : t.schema.getFields()) {
      String col = quote(f.getName());
      if (!t.key.contains(f.getName())) {
        sets.add(col + " = excluded." + col);
        differs.add("t." + col + " IS DISTINCT FROM excluded." + col);
      }
    }
    String v = quote(c.version);
    String select =
        isPostgres()
            ? "SELECT DISTINCT ON (" + keys + ") " + columnList(t.schema, "") + " FROM "
                + source(t, c) + " ORDER BY " + keys + ", " + v + " DESC"
            : "SELECT " + columnList(t.schema, "") + " FROM " + source(t, c);
    String sql =
        "INSERT INTO " + qualified(t.name) + " AS t (" + columnList(t.schema, "") + ") " + select
            + " ON CONFLICT (" + keys + ") DO UPDATE SET " + String.join(", ", sets)
            + " WHERE t." + v + " < excluded." + v + " OR (t." + v + " = excluded." + v
            + " AND (" + String.join(" OR ", differs) + "))";
    try (Statement s = connection.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  private void insertAll(WarehouseTable t, Commit c) throws SQLException {
    if (!hasSource(t, c)) {
      return;
    }
    String select =
        isPostgres()
            ? "SELECT DISTINCT " + columnList(t.schema, "") + " FROM " + source(t, c)
            : "SELECT " + columnList(t.schema, "") + " FROM " + source(t, c);
    try (Statement s = connection.createStatement()) {
      s.executeUpdate(
          "INSERT INTO " + qualified(t.name) + " (" + columnList(t.schema, "") + ") " + select);
    }
  }

  private void advanceWatermark(RunRecord r) throws SQLException {
    if (r.watermark == null) {
      return;
    }
    String sql =
        "INSERT INTO " + qualified(STATE) + " AS s (dataset, watermark, last_run_id, updated_at)"
            + " VALUES (?, CAST(? AS TIMESTAMP WITH TIME ZONE), ?, CAST(? AS TIMESTAMP WITH TIME ZONE))"
            + " ON CONFLICT (dataset) DO UPDATE SET watermark = GREATEST(s.watermark,"
            + " excluded.watermark), last_run_id = excluded.last_run_id,"
            + " updated_at = excluded.updated_at";
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setString(1, r.dataset);
      ps.setString(2, r.watermark);
      ps.setString(3, r.runId);
      ps.setString(4, r.finishedAt);
      ps.executeUpdate();
    }
  }

  /** Records a run (any status) in {@code intake_runs}, replacing an earlier record of it. */
  public void recordRun(RunRecord r) throws SQLException {
    try (PreparedStatement del =
        connection.prepareStatement("DELETE FROM " + qualified(RUNS) + " WHERE run_id = ?")) {
      del.setString(1, r.runId);
      del.executeUpdate();
    }
    try (PreparedStatement ps =
        connection.prepareStatement(
            "INSERT INTO " + qualified(RUNS) + " (run_id, dataset, mode, input, runner, started_at,"
                + " finished_at, status, read, written, superseded, rejected, watermark, error,"
                + " summary) VALUES (?, ?, ?, ?, ?, CAST(? AS TIMESTAMP WITH TIME ZONE),"
                + " CAST(? AS TIMESTAMP WITH TIME ZONE), ?, ?, ?, ?, ?,"
                + " CAST(? AS TIMESTAMP WITH TIME ZONE), ?, ?)")) {
      ps.setString(1, r.runId);
      ps.setString(2, r.dataset);
      ps.setString(3, r.mode);
      ps.setString(4, r.input);
      ps.setString(5, r.runner);
      ps.setString(6, r.startedAt);
      ps.setString(7, r.finishedAt);
      ps.setString(8, r.status);
      ps.setLong(9, r.read);
      ps.setLong(10, r.written);
      ps.setLong(11, r.superseded);
      ps.setLong(12, r.rejected);
      ps.setString(13, r.watermark);
      ps.setString(14, r.error);
      ps.setString(15, r.summary);
      ps.executeUpdate();
    }
  }

  /** The dataset's watermark, or null before its first committed run. */
  public Timestamp watermark(String dataset) throws SQLException {
    if (columns(STATE).isEmpty()) {
      return null;
    }
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT watermark FROM " + qualified(STATE) + " WHERE dataset = ?")) {
      ps.setString(1, dataset);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getTimestamp(1) : null;
      }
    }
  }

  /** Drops the run's staging tables (PostgreSQL). */
  public void dropStaging(Commit c) throws SQLException {
    List<String> tables = new ArrayList<>();
    tables.add(c.clean.name);
    c.aggregates.forEach(a -> tables.add(a.name));
    if (c.deadLetters != null) {
      tables.add(c.deadLetters.name);
    }
    dropStaging(tables, c.runId);
  }

  /** Drops the staging tables of {@code runId} for these tables (PostgreSQL). */
  public void dropStaging(List<String> tables, String runId) throws SQLException {
    if (!isPostgres()) {
      return;
    }
    try (Statement s = connection.createStatement()) {
      for (String t : tables) {
        s.execute("DROP TABLE IF EXISTS " + qualified(stagingName(t, runId)));
      }
    }
  }

  /** Names of staging tables of {@code table} left in the database (PostgreSQL). */
  public List<String> stagingTables(String table) throws SQLException {
    List<String> out = new ArrayList<>();
    if (!isPostgres()) {
      return out;
    }
    DatabaseMetaData md = connection.getMetaData();
    try (ResultSet rs = md.getTables(null, schema, "\\_stage\\_" + table + "\\_%", null)) {
      while (rs.next()) {
        out.add(rs.getString("TABLE_NAME"));
      }
    }
    return out;
  }

  /**
   * Lets {@code role} read {@code readable} (and use the schema), and nothing else of Intake's:
   * its SELECT on {@code hidden} is revoked. PostgreSQL only.
   */
  public void grantReader(String role, List<String> readable, List<String> hidden)
      throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("GRANT USAGE ON SCHEMA " + quote(schema) + " TO " + quote(role));
      for (String t : readable) {
        s.execute("GRANT SELECT ON " + qualified(t) + " TO " + quote(role));
      }
      for (String t : hidden) {
        s.execute("REVOKE ALL ON " + qualified(t) + " FROM " + quote(role));
      }
    }
  }

  /** Drops a table by name, if it exists. */
  public void dropTable(String table) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + qualified(table));
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
