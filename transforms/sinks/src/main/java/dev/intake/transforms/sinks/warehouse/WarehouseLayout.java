package dev.intake.transforms.sinks.warehouse;

import static dev.intake.transforms.sinks.warehouse.Dialect.qualified;
import static dev.intake.transforms.sinks.warehouse.Dialect.quote;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The warehouse's layers and their versioned migrations. Three schemas: the clean layer ({@code
 * <schema>}: clean, aggregate and history tables), the raw layer ({@code <schema>_raw}: dead
 * letters, tombstones, staging tables, run history, watermarks, locks and this layout's version
 * table {@code intake_layout_version}) and the public layer ({@code <schema>_public}: views).
 *
 * <p>{@link #upgrade} brings a warehouse to {@link #CURRENT}, one numbered migration after the
 * other, each recorded in the version table in the transaction that applies it. A warehouse
 * written by a newer Intake (a higher version) is refused with {@link NewerLayoutException}, before
 * anything is changed.
 */
final class WarehouseLayout {
  /** The version this Intake writes. */
  static final int CURRENT = 1;
  /** The version table, in the raw layer. */
  static final String VERSIONS = "intake_layout_version";

  private final Connection connection;
  private final WarehouseConfig config;
  private final String text;

  /** A warehouse laid out by a newer Intake. */
  static final class NewerLayoutException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NewerLayoutException(String schema, int found) {
      super("the warehouse's schema " + schema + " has layout version " + found + ", newer than"
          + " this Intake's " + CURRENT + "; use an Intake of that version or newer");
    }
  }

  WarehouseLayout(Connection connection, WarehouseConfig config) {
    this.connection = connection;
    this.config = config;
    this.text = config.dialect().textType();
  }

  /** Creates the layers' schemas and applies the migrations the warehouse has not had yet. */
  void upgrade() throws SQLException {
    connection.setAutoCommit(true);
    try (Statement s = connection.createStatement()) {
      for (String schema : List.of(config.rawSchema(), config.schema(), config.publicSchema())) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
      }
      s.execute("CREATE TABLE IF NOT EXISTS " + qualified(config.rawSchema(), VERSIONS)
          + " (version INTEGER PRIMARY KEY, applied_at " + text + ", description " + text + ")");
    }
    int found = version();
    if (found > CURRENT) {
      throw new NewerLayoutException(config.schema(), found);
    }
    if (found < 1) {
      apply(1, "layers: Intake's own tables, dead letters, tombstones and staging tables moved"
          + " from " + config.schema() + " to " + config.rawSchema(), this::separateRawLayer);
    }
  }

  /** The highest version applied; 0 for a warehouse laid out before versions. */
  int version() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT max(version) FROM " + qualified(config.rawSchema(), VERSIONS))) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private interface Migration {
    void run() throws SQLException;
  }

  private void apply(int version, String description, Migration m) throws SQLException {
    connection.setAutoCommit(false);
    try {
      m.run();
      try (PreparedStatement ps = connection.prepareStatement("INSERT INTO "
          + qualified(config.rawSchema(), VERSIONS) + " VALUES (?, ?, ?)")) {
        ps.setInt(1, version);
        ps.setString(2, Instant.now().toString());
        ps.setString(3, description);
        ps.executeUpdate();
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException secondary) {
        e.addSuppressed(secondary);
      }
      // Another run (of another dataset) may have applied it at the same moment: then its
      // version row is there and this run goes on.
      try {
        connection.setAutoCommit(true);
        if (version() >= version) {
          return;
        }
      } catch (SQLException secondary) {
        e.addSuppressed(secondary);
      }
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /**
   * Migration 1: before layers everything was in one schema. Intake's tables of the raw layer
   * found there move to the raw schema (their rows into the raw layer's own table where one
   * exists already).
   */
  private void separateRawLayer() throws SQLException {
    new RunLedger(connection, config.rawSchema(), config.dialect()).create();
    RunLock.createTable(connection, config);
    for (String table : tables(config.schema())) {
      if (!isRaw(table)) {
        continue;
      }
      String from = qualified(config.schema(), table);
      if (tables(config.rawSchema()).contains(table)) {
        try (Statement s = connection.createStatement()) {
          s.execute("INSERT INTO " + qualified(config.rawSchema(), table) + " SELECT * FROM "
              + from);
          s.execute("DROP TABLE " + from);
        }
      } else {
        config.dialect().moveTable(connection, config.schema(), config.rawSchema(), table);
      }
    }
  }

  /** Whether an Intake table of the one-schema layout belongs to the raw layer. */
  static boolean isRaw(String table) {
    return table.equals(RunLedger.RUNS) || table.equals(RunLedger.STATE)
        || table.equals(RunLock.LOCKS) || table.endsWith("_deadletter")
        || table.endsWith("_tombstones") || table.startsWith("_stage_");
  }

  private List<String> tables(String schema) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement("SELECT table_name FROM"
        + " information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
