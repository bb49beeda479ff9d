package dev.intake.transforms.sinks.warehouse;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The run lock of one dataset, held in the warehouse's raw layer beside Intake's run history: one
 * row of {@code intake_locks} per dataset with the holder's run id, host, process id, when it took
 * the lock and its last heartbeat (ISO-8601 UTC, the holder's clock). The lock has its own connection,
 * so a heartbeat (every {@code staleAfter / 4}, at most every 10 s) never shares the run's.
 *
 * <p>A second run of the dataset is refused with {@link LockHeldException}. A lock whose holder is
 * gone (a process id that no longer runs on this host, or no heartbeat for {@code staleAfter}) is
 * taken over with a compare-and-set on the old holder's row, so two runs racing for a stale lock
 * cannot both win. Closing releases the lock (only if it is still this run's).
 */
public final class RunLock implements AutoCloseable {
  /** The lock table. */
  public static final String LOCKS = "intake_locks";

  private final WarehouseConfig.Session session;
  private final Connection connection;
  private final String table;
  private final String dataset;
  private final String runId;
  private final ScheduledExecutorService heartbeat;

  /** The holder of a lock, as its row says. */
  public record Holder(String runId, String host, long pid, String acquiredAt,
      String heartbeatAt) {
    /** "run X (pid N on host H, since T, last heartbeat T')". */
    public String describe() {
      return "run " + runId + " (pid " + pid + " on host " + host + ", since " + acquiredAt
          + ", last heartbeat " + heartbeatAt + ")";
    }
  }

  /** Another run holds the lock and looks alive. */
  public static final class LockHeldException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Holder holder;

    LockHeldException(String dataset, Holder holder, Duration staleAfter) {
      super(dataset + " is being loaded by " + holder.describe() + "; this run did not start."
          + " Wait for it to finish; if that process is gone, its lock is taken over after "
          + staleAfter.toSeconds() + " s without a heartbeat");
      this.holder = holder;
    }

    public Holder holder() {
      return holder;
    }
  }

  private RunLock(WarehouseConfig.Session session, String table, String dataset, String runId,
      Duration staleAfter) {
    this.session = session;
    this.connection = session.connection();
    this.table = table;
    this.dataset = dataset;
    this.runId = runId;
    long every = Math.max(1, Math.min(10_000, staleAfter.toMillis() / 4));
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "intake-lock-heartbeat");
      t.setDaemon(true);
      return t;
    });
    heartbeat.scheduleWithFixedDelay(this::beatQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lock of {@code dataset} for {@code runId}, or throws {@link LockHeldException} naming
   * the live holder. {@code log} hears of a stale lock taken over.
   */
  public static RunLock acquire(WarehouseConfig config, String dataset, String runId,
      Duration staleAfter, Consumer<String> log) throws SQLException, LockHeldException {
    if (staleAfter.isNegative() || staleAfter.isZero()) {
      throw new IllegalArgumentException("staleAfter must be > 0, but was " + staleAfter);
    }
    WarehouseConfig.Session session = config.open();
    try {
      Connection c = session.connection();
      c.setAutoCommit(true);
      String table = Dialect.qualified(config.rawSchema(), LOCKS);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + Dialect.quote(config.rawSchema()));
      }
      createTable(c, config);
      for (int attempt = 0; ; attempt++) {
        String now = Instant.now().toString();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
            + " (dataset, run_id, host, pid, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (dataset) DO NOTHING")) {
          bind(ps, dataset, runId, host(), pid(), now, now);
          if (ps.executeUpdate() == 1) {
            return new RunLock(session, table, dataset, runId, staleAfter);
          }
        }
        Holder h = holder(c, table, dataset);
        if (h == null) {
          continue;
        }
        String gone = gone(h, staleAfter);
        if (gone == null || attempt > 2) {
          throw new LockHeldException(dataset, h, staleAfter);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET run_id = ?,"
            + " host = ?, pid = ?, acquired_at = ?, heartbeat_at = ? WHERE dataset = ? AND"
            + " run_id = ? AND heartbeat_at = ?")) {
          bind(ps, runId, host(), pid(), now, now, dataset, h.runId(), h.heartbeatAt());
          if (ps.executeUpdate() == 1) {
            log.accept("took over the lock of " + dataset + " from " + h.describe() + ", "
                + gone);
            return new RunLock(session, table, dataset, runId, staleAfter);
          }
        }
      }
    } catch (SQLException | LockHeldException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** Creates the lock table in the raw layer if it is missing. */
  static void createTable(Connection c, WarehouseConfig config) throws SQLException {
    String text = config.dialect().textType();
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + Dialect.qualified(config.rawSchema(), LOCKS)
          + " (dataset " + text + " PRIMARY KEY, run_id " + text + " NOT NULL, host " + text
          + ", pid BIGINT, acquired_at " + text + ", heartbeat_at " + text + ")");
    }
  }

  /** Why the holder is gone, or null if it may still be running. */
  static String gone(Holder h, Duration staleAfter) {
    if (h.host().equals(host()) && h.pid() != pid() && ProcessHandle.of(h.pid()).isEmpty()) {
      return "whose process is no longer running";
    }
    Duration silent = Duration.between(Instant.parse(h.heartbeatAt()), Instant.now());
    if (silent.compareTo(staleAfter) > 0) {
      return "which sent no heartbeat for " + silent.toSeconds() + " s";
    }
    return null;
  }

  /** The current holder of {@code dataset}'s lock, or null if it is free. */
  static Holder holder(Connection c, String table, String dataset) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT run_id, host, pid, acquired_at,"
        + " heartbeat_at FROM " + table + " WHERE dataset = ?")) {
      ps.setString(1, dataset);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? new Holder(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                rs.getString(5))
            : null;
      }
    }
  }

  /**
   * Proves, now, that the database answers and that this run still holds the lock (its heartbeat
   * is written); throws {@link SQLException} saying which is not so.
   */
  public synchronized void verify() throws SQLException {
    if (!beat()) {
      throw new SQLException("the run lock of " + dataset + " is no longer held by run " + runId
          + ": another run took it over after this one's heartbeat stopped");
    }
  }

  private synchronized boolean beat() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("UPDATE " + table
        + " SET heartbeat_at = ? WHERE dataset = ? AND run_id = ?")) {
      bind(ps, Instant.now().toString(), dataset, runId);
      return ps.executeUpdate() == 1;
    }
  }

  private void beatQuietly() {
    try {
      beat();
    } catch (SQLException | RuntimeException e) {
      // A missed heartbeat only ages the lock; verify() before the commit is what decides.
    }
  }

  /**
   * Releases the lock if this run still holds it, and closes its connection. Never fails: a run
   * that committed must not be reported as failed because its lock could not be deleted (the
   * database went away at the end); a lock left behind is taken over as soon as its process has
   * ended, or after {@code staleAfter} from another host.
   */
  @Override
  public synchronized void close() {
    heartbeat.shutdownNow();
    try (PreparedStatement ps = connection.prepareStatement(
        "DELETE FROM " + table + " WHERE dataset = ? AND run_id = ?")) {
      bind(ps, dataset, runId);
      ps.executeUpdate();
    } catch (SQLException | RuntimeException e) {
      // Left to go stale, as above.
    } finally {
      try {
        session.close();
      } catch (SQLException | RuntimeException e) {
        // The connection is gone already.
      }
    }
  }

  private static void bind(PreparedStatement ps, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof Long n) {
        ps.setLong(i + 1, n);
      } else {
        ps.setString(i + 1, (String) values[i]);
      }
    }
  }

  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  static long pid() {
    return ProcessHandle.current().pid();
  }
}
