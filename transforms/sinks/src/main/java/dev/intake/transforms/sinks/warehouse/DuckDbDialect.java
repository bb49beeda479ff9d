package dev.intake.transforms.sinks.warehouse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * DuckDB, the embedded warehouse: the commit reads a run's rows straight from its published
 * Parquet files with {@code read_parquet}, set-based, because row-by-row loads into DuckDB run at
 * about 1,000 rows/s. The files already hold one row per key, so nothing is deduplicated here, and
 * there are no staging tables.
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

  @Override
  public String defaultSchema() {
    return "main";
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

  private static String readParquet(List<String> files) {
    List<String> quoted = new ArrayList<>();
    files.forEach(f -> quoted.add("'" + f.replace("'", "''") + "'"));
    return "read_parquet([" + String.join(", ", quoted) + "])";
  }
}
