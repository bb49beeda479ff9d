package dev.intake.transforms.sinks.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dataset run lock against the real PostgreSQL server, in a fresh schema per test. */
class RunLockTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final Duration STALE = Duration.ofMinutes(2);
  private final String schema =
      String.format(Locale.ROOT, "l_%08x", ThreadLocalRandom.current().nextInt() & 0x7fffffff);
  private final WarehouseConfig config =
      WarehouseConfig.of(URL).withUser("postgres").withSchema(schema);
  private final List<String> log = new ArrayList<>();

  @AfterEach
  void dropSchema() throws SQLException {
    execute("DROP SCHEMA IF EXISTS " + schema + "_raw CASCADE");
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private List<String> holders() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(URL, "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT dataset, run_id FROM " + schema
            + "_raw.intake_locks ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1) + " " + rs.getString(2));
      }
    }
    return out;
  }

  @Test
  void aSecondRunOfTheDatasetIsRefusedNamingTheFirstButAnotherDatasetIsNot() throws Exception {
    try (RunLock first = RunLock.acquire(config, "sf311", "first", STALE, log::add);
        RunLock other = RunLock.acquire(config, "orgs", "other", STALE, log::add)) {
      RunLock.LockHeldException e = assertThrows(RunLock.LockHeldException.class,
          () -> RunLock.acquire(config, "sf311", "second", STALE, log::add));
      assertThat(e.holder().runId(), is("first"));
      assertThat(e.holder().pid(), is(ProcessHandle.current().pid()));
      assertThat(e.getMessage(), containsString("sf311 is being loaded by run first (pid "
          + ProcessHandle.current().pid() + " on host " + RunLock.host() + ", since "));
      assertThat(holders(), contains("orgs other", "sf311 first"));
    }
    assertThat(holders(), empty());
    assertThat(log, empty());
  }

  @Test
  void aStaleLockIsTakenOverOnceAndItsOldHolderLearnsItAtVerify() throws Exception {
    RunLock stalled = RunLock.acquire(config, "sf311", "stalled", STALE, log::add);
    stalled.verify();
    String old = Instant.now().minus(Duration.ofMinutes(10)).toString();
    execute("UPDATE " + schema + "_raw.intake_locks SET heartbeat_at = '" + old + "'");

    try (RunLock taker = RunLock.acquire(config, "sf311", "taker", STALE, log::add)) {
      assertThat(log.size(), is(1));
      assertThat(log.get(0), containsString("took over the lock of sf311 from run stalled"));
      assertThat(log.get(0), containsString("which sent no heartbeat for 600 s"));
      SQLException lost = assertThrows(SQLException.class, stalled::verify);
      assertThat(lost.getMessage(), is("the run lock of sf311 is no longer held by run stalled:"
          + " another run took it over after this one's heartbeat stopped"));
      // The old holder's release leaves the new holder's lock alone.
      stalled.close();
      assertThat(holders(), contains("sf311 taker"));
      taker.verify();
    }
    assertThat(holders(), empty());
  }

  @Test
  void aFreshLockOfALiveProcessIsNotStaleButOneOfADeadProcessIs() throws Exception {
    String now = Instant.now().toString();
    RunLock.Holder live = new RunLock.Holder("r", RunLock.host(), ProcessHandle.current().pid(),
        now, now);
    assertThat(RunLock.gone(live, STALE), nullValue());
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    RunLock.Holder dead = new RunLock.Holder("r", RunLock.host(), p.pid(), now, now);
    assertThat(RunLock.gone(dead, STALE), is("whose process is no longer running"));
    RunLock.Holder elsewhere = new RunLock.Holder("r", "elsewhere", p.pid(), now, now);
    assertThat(RunLock.gone(elsewhere, STALE), nullValue());
  }
}
