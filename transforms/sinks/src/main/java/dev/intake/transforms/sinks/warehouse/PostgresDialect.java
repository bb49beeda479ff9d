package dev.intake.transforms.sinks.warehouse;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;

/**
 * PostgreSQL: the pipeline loads each run's rows into its own UNLOGGED staging tables (with COPY,
 * or batched INSERTs), and the commit merges them. A retried bundle may have loaded some rows
 * twice, so the merge takes one row per key (the newest version) and distinct rows of the others.
 * The merge sends on only the delta: a run's row whose key is stored with a newer version, or with
 * the same version and the same values, is left out before the upsert, so a re-run of unchanged rows
 * neither updates nor locks the stored ones.
 *
 * <p>UNLOGGED tables skip the write-ahead log, and PostgreSQL empties them when it recovers from a
 * crash of its own; the commit therefore counts a staging table before merging it and, when it is
 * short, {@linkplain #reloadStaging reloads} it from the run's published Parquet files.
 */
final class PostgresDialect extends Dialect {
  private static final long serialVersionUID = 1L;
  /** The SQLSTATE of a relation that does not exist. */
  private static final String UNDEFINED_TABLE = "42P01";
  /**
   * Threads that read and encode Parquet files for one COPY: the server stores a row in about the
   * time it takes to decode one, so two keep it busy.
   */
  private static final int COPY_THREADS = 2;

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

  /**
   * The upsert of the rows that change something: the anti-join drops the rows the upsert's own
   * condition would skip, which ON CONFLICT would otherwise still visit and lock one by one. Rows
   * whose comparison is unknown (a null version) stay, and the upsert's condition decides them.
   */
  @Override
  String upsert(String target, WarehouseTable t, String version, String rows) {
    List<String> stored = new ArrayList<>();
    List<String> run = new ArrayList<>();
    StringBuilder sameKey = new StringBuilder();
    for (Schema.Field f : t.schema().getFields()) {
      String col = quote(f.getName());
      if (t.key().contains(f.getName())) {
        sameKey.append(sameKey.length() == 0 ? "" : " AND ").append("o.").append(col)
            .append(" = r.").append(col);
      } else {
        stored.add("o." + col);
        run.add("r." + col);
      }
    }
    String v = quote(version);
    String delta = "SELECT r.* FROM (" + rows + ") r WHERE NOT EXISTS (SELECT 1 FROM " + target
        + " o WHERE " + sameKey + " AND (o." + v + " > r." + v + " OR (o." + v + " = r." + v
        + " AND (" + String.join(", ", stored) + ") IS NOT DISTINCT FROM ("
        + String.join(", ", run) + "))))";
    return super.upsert(target, t, version, delta);
  }

  @Override
  long stagedRows(Connection c, String schema, WarehouseTable t, String runId,
      List<String> files) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT count(*) FROM " + qualified(schema, stagingName(t.name(), runId)))) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      if (UNDEFINED_TABLE.equals(e.getSQLState())) {
        return -1;
      }
      throw e;
    }
  }

  @Override
  long reloadStaging(Connection c, String schema, WarehouseTable t, String runId,
      List<String> files) throws SQLException, IOException {
    createStaging(c, schema, t, runId);
    return copyFiles(c, qualified(schema, stagingName(t.name(), runId)), t, files);
  }

  @Override
  boolean loadsEmptyTablesFromFiles() {
    return true;
  }

  /** One binary COPY on {@code c}, the files read and encoded on up to two threads. */
  @Override
  long copyFiles(Connection c, String target, WarehouseTable t, List<String> files)
      throws SQLException, IOException {
    return ParquetCopy.copy(c, target, t.schema(), files, COPY_THREADS);
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
