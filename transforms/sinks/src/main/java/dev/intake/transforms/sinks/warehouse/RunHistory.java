package dev.intake.transforms.sinks.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what the warehouse records about runs, without changing anything: the rows of {@code
 * intake_runs}, a dataset's watermark in {@code intake_state}, and the holder of its lock in {@code
 * intake_locks}, all in the raw layer. A warehouse where Intake never ran (no tables, or an
 * embedded database file that does not exist) reads as empty; such a file is not created.
 */
public final class RunHistory implements AutoCloseable {
  private final WarehouseConfig config;
  private final WarehouseConfig.Session session;
  private final Connection connection;

  private RunHistory(WarehouseConfig config, WarehouseConfig.Session session) {
    this.config = config;
    this.session = session;
    this.connection = session == null ? null : session.connection();
  }

  /** Opens the warehouse of {@code config} for reading; its layers are not created or upgraded. */
  public static RunHistory open(WarehouseConfig config) throws SQLException {
    if (config.dialect().missingDatabase(config.url()) != null) {
      return new RunHistory(config, null);
    }
    return new RunHistory(config, config.open());
  }

  /** Why nothing can be recorded here yet (see {@link Dialect#missingDatabase}), or null. */
  public String missing() {
    return config.dialect().missingDatabase(config.url());
  }

  /**
   * The newest {@code last} runs, newest first, of {@code dataset} (null: of every dataset). The
   * records carry no summary JSON.
   */
  public List<RunRecord> runs(String dataset, int last) throws SQLException {
    if (last <= 0) {
      throw new IllegalArgumentException("last must be > 0, but was " + last);
    }
    return select(dataset == null ? "" : " WHERE dataset = ?", dataset, last);
  }

  /** The newest run of {@code dataset} that succeeded, if any. */
  public Optional<RunRecord> lastSucceeded(String dataset) throws SQLException {
    return select(" WHERE dataset = ? AND status = 'succeeded'", dataset, 1).stream().findFirst();
  }

  /** The newest run of {@code dataset} that did not succeed (failed or refused), if any. */
  public Optional<RunRecord> lastFailed(String dataset) throws SQLException {
    return select(" WHERE dataset = ? AND status <> 'succeeded'", dataset, 1).stream().findFirst();
  }

  /** The dataset's watermark, or null before its first committed run that had one. */
  public Timestamp watermark(String dataset) throws SQLException {
    return connection == null ? null
        : new RunLedger(connection, config.rawSchema(), config.dialect()).watermark(dataset);
  }

  /** The run holding {@code dataset}'s lock, if one does (it may be stale). */
  public Optional<RunLock.Holder> lockHolder(String dataset) throws SQLException {
    if (connection == null
        || SchemaCheck.columns(connection, config.rawSchema(), RunLock.LOCKS).isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(RunLock.holder(connection,
        Dialect.qualified(config.rawSchema(), RunLock.LOCKS), dataset));
  }

  private List<RunRecord> select(String where, String dataset, int limit) throws SQLException {
    List<RunRecord> out = new ArrayList<>();
    if (connection == null
        || SchemaCheck.columns(connection, config.rawSchema(), RunLedger.RUNS).isEmpty()) {
      return out;
    }
    try (PreparedStatement ps = connection.prepareStatement("SELECT run_id, dataset, mode, input,"
        + " runner, started_at, finished_at, status, read, written, superseded, rejected,"
        + " watermark, error FROM " + Dialect.qualified(config.rawSchema(), RunLedger.RUNS) + where
        + " ORDER BY started_at DESC, run_id DESC LIMIT " + limit)) {
      if (dataset != null) {
        ps.setString(1, dataset);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          RunRecord r = new RunRecord();
          r.runId = rs.getString(1);
          r.dataset = rs.getString(2);
          r.mode = rs.getString(3);
          r.input = rs.getString(4);
          r.runner = rs.getString(5);
          r.startedAt = instant(rs.getTimestamp(6));
          r.finishedAt = instant(rs.getTimestamp(7));
          r.status = rs.getString(8);
          r.read = rs.getLong(9);
          r.written = rs.getLong(10);
          r.superseded = rs.getLong(11);
          r.rejected = rs.getLong(12);
          r.watermark = instant(rs.getTimestamp(13));
          r.error = rs.getString(14);
          out.add(r);
        }
      }
    }
    return out;
  }

  private static String instant(Timestamp t) {
    return t == null ? null : t.toInstant().toString();
  }

  @Override
  public void close() throws SQLException {
    if (session != null) {
      session.close();
    }
  }
}
