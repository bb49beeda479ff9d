package dev.intake.pipeline.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The two warehouses the tests run against: the PostgreSQL server at 127.0.0.1:5432 (database
 * {@code test}, a fresh schema per test) and the embedded DuckDB file beside the lake.
 */
public final class Warehouses {
  /** Which warehouse. */
  public enum Kind {
    POSTGRES,
    DUCKDB
  }

  public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

  public final Kind kind;
  public final Path lake;
  public final String schema;

  public Warehouses(Kind kind, Path lake) {
    this(kind, lake, "t");
  }

  /** A warehouse whose PostgreSQL schema is named {@code prefix} and a random suffix. */
  public Warehouses(Kind kind, Path lake, String prefix) {
    this.kind = kind;
    this.lake = lake;
    this.schema =
        kind == Kind.POSTGRES
            ? String.format(Locale.ROOT, "%s_%08x", prefix,
                ThreadLocalRandom.current().nextInt() & 0x7fffffff)
            : "main";
  }

  /** The options that point a run at this warehouse. */
  public List<String> options() {
    if (kind == Kind.POSTGRES) {
      return List.of("--jdbcUrl=" + POSTGRES_URL, "--jdbcUser=postgres", "--jdbcSchema=" + schema);
    }
    return List.of();
  }

  public Connection connect() throws SQLException {
    if (kind == Kind.POSTGRES) {
      return DriverManager.getConnection(POSTGRES_URL, "postgres", "");
    }
    return DriverManager.getConnection("jdbc:duckdb:" + lake + ".duckdb");
  }

  /** {@code schema.table}. */
  public String table(String name) {
    return "\"" + schema + "\".\"" + name + "\"";
  }

  /** {@code schema_raw.table}: a table of the raw layer. */
  public String raw(String name) {
    return "\"" + schema + "_raw\".\"" + name + "\"";
  }

  /** {@code schema_public.view}: a view of the public layer. */
  public String publicView(String name) {
    return "\"" + schema + "_public\".\"" + name + "\"";
  }

  /** Rows as tab-joined text (null as empty). */
  public List<String> query(String sql) throws SQLException {
    try (Connection c = connect()) {
      if (kind == Kind.DUCKDB) {
        try (Statement s = c.createStatement()) {
          s.execute("SET TimeZone = 'UTC'");
        }
      }
      return SqlRows.query(c, sql);
    }
  }

  public void execute(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** An SQL expression giving a timestamp column as ISO-8601 UTC text with seconds. */
  public String iso(String column) {
    if (kind == Kind.POSTGRES) {
      return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
    }
    return "strftime(" + column + ", '%Y-%m-%dT%H:%M:%SZ')";
  }

  /** An SQL expression giving the San Francisco date of a timestamp column. */
  public String sanFranciscoDate(String column) {
    if (kind == Kind.POSTGRES) {
      return "CAST(" + column + " AT TIME ZONE 'America/Los_Angeles' AS DATE)";
    }
    return "CAST(timezone('America/Los_Angeles', " + column + ") AS DATE)";
  }

  /** Drops the test's schemas, all three layers (PostgreSQL). */
  public void dropSchema() throws SQLException {
    if (kind == Kind.POSTGRES) {
      execute("DROP SCHEMA IF EXISTS " + schema + ", " + schema + "_raw, " + schema + "_public"
          + " CASCADE");
    }
  }
}
