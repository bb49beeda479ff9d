package dev.intake.transforms.sinks.warehouse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;

/**
 * DuckDB, the embedded warehouse: the commit reads a run's rows straight from its published
 * Parquet files with {@code read_parquet}, set-based, because row-by-row loads into DuckDB run at
 * about 1,000 rows/s. The files already hold one row per key, so nothing is deduplicated here, and
 * there are no staging tables.
 *
 * <p>DuckDB runs inside Intake's JVM, so its memory adds to the process's: each session sets the
 * database's {@code memory_limit} (and {@code threads}) it is given, and keyed rows are merged with
 * {@code MERGE INTO}, which keeps within that limit, rather than {@code INSERT … ON CONFLICT},
 * whose transaction-local index of the inserted rows does not (a 3M-row full load's upsert needed
 * 2.4 GB, and failed with a 512 MiB limit that {@code MERGE} ran within).
 */
final class DuckDbDialect extends Dialect {
  private static final long serialVersionUID = 1L;

  @Override
  String urlPrefix() {
    return "jdbc:duckdb:";
  }

  @Override
  String urlExample() {
    return "jdbc:duckdb:<file>";
  }

  @Override
  String driverClass() {
    return "org.duckdb.DuckDBDriver";
  }

  @Override
  public String missingDatabase(String jdbcUrl) {
    String file = jdbcUrl.substring(urlPrefix().length()).replaceFirst("\\?.*$", "");
    if (file.isEmpty() || file.startsWith(":memory:")) {
      return "the in-memory database " + jdbcUrl + " holds nothing between processes";
    }
    return java.nio.file.Files.exists(java.nio.file.Path.of(file))
        ? null
        : "the database file " + file + " does not exist";
  }

  /** {@code SET memory_limit} and {@code SET threads}, for the whole database, where given. */
  @Override
  void configure(Connection c, Long memoryLimitBytes, Integer threads) throws SQLException {
    try (Statement s = c.createStatement()) {
      if (memoryLimitBytes != null) {
        // In MiB, rounded up: DuckDB reads sizes with units, and at least 1 MiB.
        long mib = Math.max(1, (memoryLimitBytes + (1L << 20) - 1) >> 20);
        s.execute("SET memory_limit = '" + mib + "MiB'");
      }
      if (threads != null) {
        s.execute("SET threads = " + threads);
      }
    }
  }

  @Override
  public String defaultSchema() {
    return "main";
  }

  @Override
  public boolean embedded() {
    return true;
  }

  @Override
  public boolean supportsRoles() {
    return false;
  }

  @Override
  public boolean loadsInPipeline() {
    return false;
  }

  @Override
  String textType() {
    return "VARCHAR";
  }

  @Override
  String doubleType() {
    return "DOUBLE";
  }

  @Override
  void createStaging(Connection c, String schema, WarehouseTable t, String runId) {}

  /** DuckDB cannot move a table to another schema: a copy, then the original dropped. */
  @Override
  void moveTable(Connection c, String from, String to, String table) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + qualified(to, table) + " AS SELECT * FROM "
          + qualified(from, table));
      s.execute("DROP TABLE " + qualified(from, table));
    }
  }

  @Override
  List<String> leftoverStaging(Connection c, String schema, String table) {
    return List.of();
  }

  @Override
  void dropStaging(Connection c, String schema, String table, String runId) {}

  /** The rows of the run's files, from their footers. */
  @Override
  long stagedRows(Connection c, String schema, WarehouseTable t, String runId,
      List<String> files) throws SQLException {
    if (files.isEmpty()) {
      return 0;
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + readParquet(files))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  String runRows(String schema, WarehouseTable t, String runId, String version,
      List<String> files) {
    if (files.isEmpty()) {
      return null;
    }
    return "SELECT " + columns(t) + " FROM " + readParquet(files);
  }

  /** As the base upsert, as a {@code MERGE INTO}, which keeps within DuckDB's memory limit. */
  @Override
  String upsert(String target, WarehouseTable t, String version, String rows) {
    String v = quote(version);
    return merge(target, t, rows, "t." + v + " < s." + v + " OR (t." + v + " = s." + v + " AND ("
        + differs(t) + "))");
  }

  /** As the base replacement, as a {@code MERGE INTO}. */
  @Override
  String replaceRows(String target, WarehouseTable t, String rows) {
    return merge(target, t, rows, differs(t));
  }

  /**
   * Merges {@code rows} (one per key) into {@code target}: a row whose key is stored replaces the
   * stored one where {@code replaceWhen} holds (over the stored row {@code t} and the new row
   * {@code s}), and a row whose key is not stored is inserted.
   */
  private static String merge(String target, WarehouseTable t, String rows, String replaceWhen) {
    List<String> on = new ArrayList<>();
    List<String> sets = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (Schema.Field f : t.schema().getFields()) {
      String col = quote(f.getName());
      values.add("s." + col);
      if (t.key().contains(f.getName())) {
        on.add("t." + col + " = s." + col);
      } else {
        sets.add(col + " = s." + col);
      }
    }
    String matched = sets.isEmpty() ? ""
        : " WHEN MATCHED AND (" + replaceWhen + ") THEN UPDATE SET " + String.join(", ", sets);
    return "MERGE INTO " + target + " AS t USING (" + rows + ") AS s ON ("
        + String.join(" AND ", on) + ")" + matched + " WHEN NOT MATCHED THEN INSERT ("
        + columns(t) + ") VALUES (" + String.join(", ", values) + ")";
  }

  /** Whether the stored row {@code t} and the new row {@code s} differ in a non-key column. */
  private static String differs(WarehouseTable t) {
    List<String> differs = new ArrayList<>();
    for (Schema.Field f : t.schema().getFields()) {
      if (!t.key().contains(f.getName())) {
        String col = quote(f.getName());
        differs.add("t." + col + " IS DISTINCT FROM s." + col);
      }
    }
    return differs.isEmpty() ? "false" : String.join(" OR ", differs);
  }

  private static String readParquet(List<String> files) {
    List<String> quoted = new ArrayList<>();
    files.forEach(f -> quoted.add("'" + f.replace("'", "''") + "'"));
    return "read_parquet([" + String.join(", ", quoted) + "])";
  }
}
