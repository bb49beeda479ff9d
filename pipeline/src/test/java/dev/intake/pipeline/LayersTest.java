package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.SqlRows;
import dev.intake.pipeline.testing.TestData;
import dev.intake.pipeline.testing.Warehouses;
import dev.intake.pipeline.testing.Warehouses.Kind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The warehouse's layers: clean tables in {@code --jdbcSchema}, dead letters, tombstones, staging
 * and Intake's own tables in {@code <schema>_raw}, views in {@code <schema>_public}; the layout's
 * version, the upgrade of a warehouse written before layers, the refusal of a newer one, and what
 * a reader role may read, on the real PostgreSQL server and DuckDB.
 */
class LayersTest {
  private static final String LOADER = "intake_loader_test";
  private static final String READER = "intake_reader_test";
  private static final String[] CLEAN_ROWS =
      {"101\tOpen", "102\tClosed", "103\tClosed", "110\tOpen"};
  private static final List<String> RAW_TABLES =
      List.of("intake_runs", "intake_state", "intake_locks", "sf311_deadletter",
          "sf311_tombstones");

  @TempDir Path tmp;
  private Warehouses db;

  @AfterEach
  void dropSchemas() throws Exception {
    if (db != null) {
      db.dropSchema();
    }
  }

  private Cli load(String runId, List<String> warehouse) {
    List<String> args = new ArrayList<>(List.of("run", "--dataset=sf311",
        "--inputFile=" + TestData.file("rules_export.csv"), "--lakePath=" + tmp.resolve("lake"),
        "--runId=" + runId, "--maxRejectedRatio=1"));
    args.addAll(warehouse);
    return Cli.run(args.toArray(new String[0]));
  }

  private List<String> tablesIn(String schema) throws SQLException {
    return db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
        + schema + "' ORDER BY 1");
  }

  /** Moves the raw layer back into the clean schema: the layout Intake wrote before layers. */
  private void layOutAsBeforeLayers() throws SQLException {
    for (String t : RAW_TABLES) {
      if (db.kind == Kind.POSTGRES) {
        db.execute("ALTER TABLE " + db.raw(t) + " SET SCHEMA " + db.schema);
      } else {
        db.execute("CREATE TABLE " + db.table(t) + " AS SELECT * FROM " + db.raw(t));
      }
    }
    db.execute("DROP SCHEMA " + db.schema + "_raw CASCADE");
    db.execute("DROP SCHEMA " + db.schema + "_public CASCADE");
  }

  /** PostgreSQL: a loader without superuser rights, and a reader role, both able to log in. */
  private List<String> loaderOptions() throws SQLException {
    for (String role : List.of(LOADER, READER)) {
      db.execute("DO $$ BEGIN CREATE ROLE " + role + " LOGIN NOSUPERUSER NOCREATEROLE;"
          + " EXCEPTION WHEN duplicate_object THEN NULL; END $$");
      db.execute("ALTER ROLE " + role + " LOGIN NOSUPERUSER NOCREATEROLE");
    }
    db.execute("GRANT CREATE ON DATABASE test TO " + LOADER);
    assertThat(db.query("SELECT rolsuper FROM pg_roles WHERE rolname = '" + LOADER + "'"),
        contains("f"));
    return List.of("--jdbcUrl=" + Warehouses.POSTGRES_URL, "--jdbcUser=" + LOADER,
        "--jdbcSchema=" + db.schema);
  }

  /**
   * One warehouse's life: written before layers (by today's Intake, then moved back into one
   * schema), upgraded by the next run, read by a reader role (PostgreSQL), and refused once a
   * newer Intake has written a higher layout version.
   */
  @ParameterizedTest
  @EnumSource(Kind.class)
  void aWarehouseBeforeLayersIsUpgradedReadOnlyWhereAllowedAndANewerOneRefused(Kind kind)
      throws Exception {
    db = new Warehouses(kind, tmp.resolve("lake"));
    List<String> options = kind == Kind.POSTGRES ? loaderOptions() : db.options();
    Cli first = load("before", options);
    assertThat(first.toString(), first.exitCode, is(0));
    layOutAsBeforeLayers();
    assertThat(tablesIn(db.schema),
        contains("intake_locks", "intake_runs", "intake_state", "sf311", "sf311_daily",
            "sf311_deadletter", "sf311_monthly_by_source", "sf311_tombstones"));

    List<String> upgrading = new ArrayList<>(options);
    if (kind == Kind.POSTGRES) {
      upgrading.add("--readerRole=" + READER);
    }
    Cli upgraded = load("after", upgrading);
    assertThat(upgraded.toString(), upgraded.exitCode, is(0));
    assertThat(tablesIn(db.schema), contains("sf311", "sf311_daily", "sf311_monthly_by_source"));
    assertThat(tablesIn(db.schema + "_raw"), contains("intake_layout_version", "intake_locks",
        "intake_runs", "intake_schemas", "intake_state", "sf311_deadletter", "sf311_tombstones"));
    assertThat(tablesIn(db.schema + "_public"),
        contains("sf311", "sf311_daily", "sf311_monthly_by_source"));
    assertThat(db.query("SELECT version FROM " + db.raw("intake_layout_version")), contains("1"));
    assertThat(db.query("SELECT run_id, status FROM " + db.raw("intake_runs") + " ORDER BY 1"),
        contains("after\tsucceeded", "before\tsucceeded"));
    assertThat(db.query("SELECT run_id, count(*) FROM " + db.raw("sf311_deadletter")
        + " GROUP BY 1 ORDER BY 1"), contains("after\t7", "before\t7"));
    assertThat(db.query("SELECT service_request_id, status_description FROM "
        + db.publicView("sf311") + " ORDER BY 1"), contains(CLEAN_ROWS));
    assertThat(db.query("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
        + db.schema + "_public' AND table_name = 'sf311'"),
        not(hasItem("socrata_updated_at")));
    assertThat(db.query("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
        + db.schema + "' AND table_name = 'sf311'"), hasItem("socrata_updated_at"));
    if (kind == Kind.POSTGRES) {
      assertThat(db.query("SELECT tableowner FROM pg_tables WHERE schemaname = '" + db.schema
          + "_raw' AND tablename = 'intake_runs'"), contains(LOADER));
      assertTheReaderReadsCleanAndPublicOnly();
    }

    db.execute("INSERT INTO " + db.raw("intake_layout_version")
        + " VALUES (7, '2030-01-01T00:00:00Z', 'from a newer Intake')");
    Cli refused = load("older", options);
    assertThat(refused.toString(), refused.exitCode, is(2));
    assertThat(refused.errorLines(), contains("intake: error: cannot connect to the warehouse "
        + (kind == Kind.POSTGRES ? Warehouses.POSTGRES_URL
            : "jdbc:duckdb:" + tmp.resolve("lake") + ".duckdb")
        + ": the warehouse's schema " + db.schema + " has layout version 7, newer than this"
        + " Intake's 1; use an Intake of that version or newer"));
    assertThat(db.query("SELECT run_id FROM " + db.raw("intake_runs") + " ORDER BY 1"),
        contains("after", "before"));
  }

  private void assertTheReaderReadsCleanAndPublicOnly() throws SQLException {
    try (Connection reader = DriverManager.getConnection(Warehouses.POSTGRES_URL, READER, "")) {
      assertThat(SqlRows.query(reader, "SELECT service_request_id, status_description FROM "
          + db.table("sf311") + " ORDER BY 1"), contains(CLEAN_ROWS));
      assertThat(SqlRows.query(reader, "SELECT service_request_id, status_description FROM "
          + db.publicView("sf311") + " ORDER BY 1"), contains(CLEAN_ROWS));
      assertThat(SqlRows.query(reader, "SELECT count(*) FROM " + db.table("sf311_daily")),
          not(contains("0")));
      assertThat(SqlRows.query(reader, "SELECT count(*) FROM " + db.publicView("sf311_daily")),
          not(contains("0")));
      for (String hidden : RAW_TABLES) {
        SQLException denied = assertThrows(SQLException.class,
            () -> SqlRows.query(reader, "SELECT * FROM " + db.raw(hidden)));
        assertThat(denied.getMessage(), containsString("permission denied for schema "
            + db.schema + "_raw"));
      }
      assertThat(SqlRows.query(reader, "SELECT count(*) FROM information_schema.tables"
          + " WHERE table_schema = '" + db.schema + "_raw'"), contains("0"));
    }
  }
}
