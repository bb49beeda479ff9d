package dev.intake.bench;

import dev.intake.transforms.sinks.warehouse.Warehouse;
import dev.intake.transforms.sinks.warehouse.WarehouseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the PostgreSQL benchmarks share: their common arguments ({@code --rows=1000000}, {@code
 * --jdbcUrl=jdbc:postgresql://127.0.0.1:5432/test}, {@code --jdbcUser=postgres}, {@code
 * --psql=/usr/bin/psql}, those being the defaults), the warehouse and the psql reference they
 * point at, and the clean-up of a benchmark's schemas.
 */
final class PostgresBench {
  long rows = 1_000_000;
  String url = "jdbc:postgresql://127.0.0.1:5432/test";
  String user = "postgres";
  String psql = "/usr/bin/psql";

  /** Takes {@code arg} if it is one of the common arguments; false for any other. */
  boolean accept(String arg) {
    if (arg.startsWith("--rows=")) {
      rows = Long.parseLong(arg.substring(7));
    } else if (arg.startsWith("--jdbcUrl=")) {
      url = arg.substring(10);
    } else if (arg.startsWith("--jdbcUser=")) {
      user = arg.substring(11);
    } else if (arg.startsWith("--psql=")) {
      psql = arg.substring(7);
    } else {
      return false;
    }
    return true;
  }

  /** The common arguments; any other is refused. */
  static PostgresBench parse(String[] args) {
    PostgresBench pg = new PostgresBench();
    for (String a : args) {
      if (!pg.accept(a)) {
        throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    return pg;
  }

  /** Intake's warehouse in schema {@code schema} (and its {@code _raw}, {@code _public}). */
  Warehouse connect(String schema) throws SQLException {
    return Warehouse.connect(WarehouseConfig.of(url).withUser(user).withSchema(schema));
  }

  Psql reference() {
    return new Psql(psql, url, user);
  }

  /** Drops Intake's schemas named after {@code schema} and the psql reference's. */
  void dropSchemas(String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + ", " + schema + "_raw, " + schema
          + "_public, " + schema + "_psql CASCADE");
    }
  }
}
