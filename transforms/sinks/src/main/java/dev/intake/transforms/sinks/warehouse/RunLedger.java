package dev.intake.transforms.sinks.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;

/**
 * Intake's own tables: {@code intake_runs} (one row per run, any status), {@code intake_state}
 * (each dataset's watermark, which only moves forward) and {@code intake_schemas} (each dataset's
 * schema versions, see {@link SchemaRecord}). Statements run on the caller's connection,
 * inside its transaction when it has one.
 */
final class RunLedger {
  static final String RUNS = "intake_runs";
  static final String STATE = "intake_state";
  static final String SCHEMAS = "intake_schemas";
  private static final String INSTANT = "CAST(? AS TIMESTAMP WITH TIME ZONE)";

  private final Connection connection;
  private final String schema;
  private final String text;

  RunLedger(Connection connection, String schema, Dialect dialect) {
    this.connection = connection;
    this.schema = schema;
    this.text = dialect.textType();
  }

  void create() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + table(RUNS) + " (run_id " + text
          + " PRIMARY KEY, dataset " + text + " NOT NULL, mode " + text + ", input " + text
          + ", runner " + text + ", started_at TIMESTAMP WITH TIME ZONE, finished_at TIMESTAMP"
          + " WITH TIME ZONE, status " + text + " NOT NULL, read BIGINT, written BIGINT,"
          + " superseded BIGINT, rejected BIGINT, watermark TIMESTAMP WITH TIME ZONE, error "
          + text + ", summary " + text + ")");
      s.execute("CREATE TABLE IF NOT EXISTS " + table(STATE) + " (dataset " + text
          + " PRIMARY KEY, watermark TIMESTAMP WITH TIME ZONE, last_run_id " + text
          + ", updated_at TIMESTAMP WITH TIME ZONE)");
      s.execute("CREATE TABLE IF NOT EXISTS " + table(SCHEMAS) + " (dataset " + text
          + " NOT NULL, version INTEGER NOT NULL, fingerprint " + text + " NOT NULL, content "
          + text + " NOT NULL, pending " + text + ", run_id " + text + ", recorded_at TIMESTAMP"
          + " WITH TIME ZONE, PRIMARY KEY (dataset, version))");
    }
  }

  /** The newest schema version recorded for {@code dataset}, or null before its first. */
  SchemaRecord latestSchema(String dataset) throws SQLException {
    if (SchemaCheck.columns(connection, schema, SCHEMAS).isEmpty()) {
      return null;
    }
    try (PreparedStatement ps = connection.prepareStatement("SELECT version, fingerprint, content,"
        + " pending, run_id FROM " + table(SCHEMAS) + " WHERE dataset = ? ORDER BY version DESC"
        + " LIMIT 1")) {
      ps.setString(1, dataset);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? new SchemaRecord(dataset, rs.getInt(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5))
            : null;
      }
    }
  }

  /** Records a schema version, replacing an earlier record of the same version. */
  void recordSchema(SchemaRecord r, String at) throws SQLException {
    try (PreparedStatement del = connection.prepareStatement(
        "DELETE FROM " + table(SCHEMAS) + " WHERE dataset = ? AND version = ?")) {
      del.setString(1, r.dataset);
      del.setInt(2, r.version);
      del.executeUpdate();
    }
    try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table(SCHEMAS)
        + " (dataset, version, fingerprint, content, pending, run_id, recorded_at) VALUES (?, ?,"
        + " ?, ?, ?, ?, " + INSTANT + ")")) {
      ps.setString(1, r.dataset);
      ps.setInt(2, r.version);
      ps.setString(3, r.fingerprint);
      ps.setString(4, r.content);
      ps.setString(5, r.pending);
      ps.setString(6, r.runId);
      ps.setString(7, at);
      ps.executeUpdate();
    }
  }

  private String table(String name) {
    return Dialect.qualified(schema, name);
  }

  /**
   * The {@code column} ({@code read} or {@code written}) of the dataset's last {@code n} succeeded
   * runs, newest first.
   */
  java.util.List<Long> recentCounts(String dataset, String column, int n) throws SQLException {
    if (!column.equals("read") && !column.equals("written")) {
      throw new IllegalArgumentException("column must be read or written, but was " + column);
    }
    java.util.List<Long> out = new java.util.ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement("SELECT " + column + " FROM "
        + table(RUNS) + " WHERE dataset = ? AND status = 'succeeded' ORDER BY finished_at DESC"
        + " LIMIT " + n)) {
      ps.setString(1, dataset);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  boolean committed(String runId) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT status FROM " + table(RUNS) + " WHERE run_id = ?")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && "succeeded".equals(rs.getString(1));
      }
    }
  }

  /** Records a run, replacing an earlier record of it. */
  void record(RunRecord r) throws SQLException {
    try (PreparedStatement del =
        connection.prepareStatement("DELETE FROM " + table(RUNS) + " WHERE run_id = ?")) {
      del.setString(1, r.runId);
      del.executeUpdate();
    }
    try (PreparedStatement ps =
        connection.prepareStatement(
            "INSERT INTO " + table(RUNS) + " (run_id, dataset, mode, input, runner, started_at,"
                + " finished_at, status, read, written, superseded, rejected, watermark, error,"
                + " summary) VALUES (?, ?, ?, ?, ?, " + INSTANT + ", " + INSTANT + ", ?, ?, ?, ?,"
                + " ?, " + INSTANT + ", ?, ?)")) {
      Object[] values = {r.runId, r.dataset, r.mode, r.input, r.runner, r.startedAt,
          r.finishedAt, r.status, r.read, r.written, r.superseded, r.rejected, r.watermark,
          r.error, r.summary};
      for (int i = 0; i < values.length; i++) {
        if (values[i] instanceof Long n) {
          ps.setLong(i + 1, n);
        } else {
          ps.setString(i + 1, (String) values[i]);
        }
      }
      ps.executeUpdate();
    }
  }

  /** Moves the dataset's watermark to the run's, never backwards; nothing if the run has none. */
  void advanceWatermark(RunRecord r) throws SQLException {
    if (r.watermark == null) {
      return;
    }
    try (PreparedStatement ps =
        connection.prepareStatement(
            "INSERT INTO " + table(STATE) + " AS s (dataset, watermark, last_run_id, updated_at)"
                + " VALUES (?, " + INSTANT + ", ?, " + INSTANT + ")"
                + " ON CONFLICT (dataset) DO UPDATE SET watermark = GREATEST(s.watermark,"
                + " excluded.watermark), last_run_id = excluded.last_run_id,"
                + " updated_at = excluded.updated_at")) {
      ps.setString(1, r.dataset);
      ps.setString(2, r.watermark);
      ps.setString(3, r.runId);
      ps.setString(4, r.finishedAt);
      ps.executeUpdate();
    }
  }

  /** The dataset's watermark, or null before its first committed run. */
  Timestamp watermark(String dataset) throws SQLException {
    if (SchemaCheck.columns(connection, schema, STATE).isEmpty()) {
      return null;
    }
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT watermark FROM " + table(STATE) + " WHERE dataset = ?")) {
      ps.setString(1, dataset);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getTimestamp(1) : null;
      }
    }
  }
}
