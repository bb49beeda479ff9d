package dev.intake.transforms.sinks.warehouse;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL: the pipeline loads each run's rows into its own UNLOGGED staging tables (with COPY,
 * or batched INSERTs), and the commit merges them. A retried bundle may have loaded some rows
 * twice, so the merge takes one row per key (the newest version) and distinct rows of the others.
 */
final class PostgresDialect extends Dialect {
  private static final long serialVersionUID = 1L;

  @Override
  String urlPrefix() {
    return "jdbc:postgresql:";
  }

  @Override
  String urlExample() {
    return "jdbc:postgresql://…";
  }

  @Override
  String driverClass() {
    return "org.postgresql.Driver";
  }

  @Override
  public String defaultSchema() {
    return "public";
  }

  @Override
  public boolean supportsRoles() {
    return true;
  }

  @Override
  public boolean loadsInPipeline() {
    return true;
  }

  @Override
  String textType() {
    return "TEXT";
  }

  @Override
  String doubleType() {
    return "DOUBLE PRECISION";
  }

  @Override
  void createStaging(Connection c, String schema, WarehouseTable t, String runId)
      throws SQLException {
    String staging = qualified(schema, stagingName(t.name(), runId));
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + staging);
      s.execute("CREATE UNLOGGED TABLE " + staging + " ("
          + String.join(", ", columnDefinitions(t)) + ")");
    }
  }

  @Override
  void moveTable(Connection c, String from, String to, String table) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE " + qualified(from, table) + " SET SCHEMA " + quote(to));
    }
  }

  @Override
  List<String> leftoverStaging(Connection c, String schema, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    DatabaseMetaData md = c.getMetaData();
    try (ResultSet rs = md.getTables(null, schema, "\\_stage\\_" + table + "\\_%", null)) {
      while (rs.next()) {
        out.add(rs.getString("TABLE_NAME"));
      }
    }
    return out;
  }

  @Override
  void dropStaging(Connection c, String schema, String table, String runId) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + qualified(schema, stagingName(table, runId)));
    }
  }

  @Override
  String runRows(String schema, WarehouseTable t, String runId, String version,
      List<String> files) {
    String staging = qualified(schema, stagingName(t.name(), runId));
    if (t.key().isEmpty()) {
      return "SELECT DISTINCT " + columns(t) + " FROM " + staging;
    }
    String keys = quotedList(t.key());
    return "SELECT DISTINCT ON (" + keys + ") " + columns(t) + " FROM " + staging
        + " ORDER BY " + keys + ", " + quote(version) + " DESC";
  }
}
