package dev.intake.bench;

import dev.intake.transforms.sinks.warehouse.Dialect;
import dev.intake.transforms.sinks.warehouse.WarehouseTable;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference a PostgreSQL user would reach for, run with the psql client: {@code \copy} of a
 * CSV file into a plain table, then one {@code INSERT … SELECT … ON CONFLICT DO UPDATE} into a
 * keyed table. Its tables live in schema {@code <schema>_psql}, the target made {@code LIKE}
 * Intake's (same columns, types and primary key).
 */
final class Psql {
  private static final Pattern URL =
      Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+).*");

  private final String psql;
  private final String url;
  private final String user;
  private final String host;
  private final String port;
  private final String database;

  Psql(String psql, String url, String user) {
    Matcher m = URL.matcher(url);
    if (!m.matches()) {
      throw new IllegalArgumentException("--jdbcUrl=" + url
          + " is not of the form jdbc:postgresql://host[:port]/database");
    }
    this.psql = psql;
    this.url = url;
    this.user = user;
    this.host = m.group(1);
    this.port = m.group(2) == null ? "5432" : m.group(2);
    this.database = m.group(3);
  }

  /** Creates the reference's target (like Intake's {@code table} in {@code schema}) and staging. */
  void prepare(String schema, WarehouseTable table) throws SQLException {
    String own = Dialect.quote(schema + "_psql");
    String target = Dialect.quote(schema) + "." + Dialect.quote(table.name());
    jdbc("CREATE SCHEMA " + own,
        "CREATE TABLE " + own + "." + Dialect.quote(table.name()) + " (LIKE " + target
            + " INCLUDING ALL)",
        "CREATE TABLE " + own + ".stage (LIKE " + target + ")");
  }

  /** Empties the staging table, then times psql's {@code \copy} of {@code csv} into it. */
  double copy(String schema, Path csv, long rows, String label)
      throws SQLException, IOException, InterruptedException {
    String stage = Dialect.quote(schema + "_psql") + ".stage";
    jdbc("TRUNCATE " + stage);
    long start = System.nanoTime();
    run("\\copy " + stage + " FROM '" + csv.toString().replace("'", "''")
        + "' WITH (FORMAT csv)");
    return WarehouseLoadBenchmark.report(label, rows, start);
  }

  /** Times psql's {@code \copy} of {@code csv} into {@code table} (qualified and quoted). */
  double copyInto(String table, Path csv, long rows, String label)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    run("\\copy " + table + " FROM '" + csv.toString().replace("'", "''")
        + "' WITH (FORMAT csv)");
    return WarehouseLoadBenchmark.report(label, rows, start);
  }

  /** Times one {@code INSERT … ON CONFLICT DO UPDATE} of the staging table into the target. */
  double upsert(String schema, WarehouseTable table, long rows, String label)
      throws IOException, InterruptedException {
    String own = Dialect.quote(schema + "_psql");
    List<String> sets = new ArrayList<>();
    table.schema().getFieldNames().stream()
        .filter(f -> !table.key().contains(f))
        .forEach(f -> sets.add(Dialect.quote(f) + " = excluded." + Dialect.quote(f)));
    List<String> key = new ArrayList<>();
    table.key().forEach(k -> key.add(Dialect.quote(k)));
    long start = System.nanoTime();
    run("INSERT INTO " + own + "." + Dialect.quote(table.name()) + " SELECT * FROM " + own
        + ".stage ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET "
        + String.join(", ", sets));
    return WarehouseLoadBenchmark.report(label, rows, start);
  }

  /** Prints whether Intake's table and the reference's hold the same rows, row for row. */
  void checkSame(String schema, WarehouseTable table) throws SQLException {
    String key = String.join(", ", table.key().stream().map(Dialect::quote).toList());
    String[] digests = new String[2];
    String[] schemas = {schema, schema + "_psql"};
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      for (int i = 0; i < 2; i++) {
        try (ResultSet rs = s.executeQuery("SELECT count(*), md5(string_agg(t::text, '|' ORDER BY "
            + key + ")) FROM " + Dialect.quote(schemas[i]) + "." + Dialect.quote(table.name())
            + " t")) {
          rs.next();
          digests[i] = rs.getLong(1) + " rows, md5 " + rs.getString(2);
        }
      }
    }
    System.out.printf(Locale.ROOT, "tables %s: intake %s, psql %s%n",
        digests[0].equals(digests[1]) ? "identical" : "DIFFER", digests[0], digests[1]);
  }

  private void jdbc(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private void run(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p",
            port, "-U", user, "-d", database, "-c", command)
        .redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("psql failed: " + out.strip());
    }
  }
}
