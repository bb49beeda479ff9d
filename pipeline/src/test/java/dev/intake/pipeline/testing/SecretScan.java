package dev.intake.pipeline.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Looks for known secret values everywhere a run leaves something: every file under a folder (the
 * bytes, gzip files decompressed, and every value of every Parquet file read back through DuckDB,
 * whose pages may be compressed), every value of every table of some database schemas, and text
 * (console output). Each finding names where the secret was.
 */
public final class SecretScan {
  private final List<String> secrets;
  private final List<String> findings = new ArrayList<>();
  private int filesScanned;
  private int valuesScanned;

  public SecretScan(List<String> secrets) {
    this.secrets = List.copyOf(secrets);
  }

  public List<String> findings() {
    return findings;
  }

  public int filesScanned() {
    return filesScanned;
  }

  public int valuesScanned() {
    return valuesScanned;
  }

  private void check(String where, String text) {
    for (String s : secrets) {
      if (text != null && text.contains(s)) {
        findings.add(where + " holds " + s);
      }
    }
  }

  /** Scans some text, e.g. a run's console output. */
  public SecretScan text(String where, String text) {
    check(where, text);
    return this;
  }

  /** Scans every file under {@code dir}. */
  public SecretScan files(Path dir) throws IOException, SQLException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      filesScanned++;
      byte[] bytes = Files.readAllBytes(f);
      check(f.toString(), new String(bytes, StandardCharsets.ISO_8859_1));
      if (f.toString().endsWith(".gz")) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
          check(f + " (gunzipped)", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      } else if (f.toString().endsWith(".parquet")) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
          rows(c, "SELECT * FROM read_parquet('" + f.toString().replace("'", "''") + "')",
              f.toString());
        }
      } else if (f.toString().endsWith(".duckdb")) {
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + f, readOnly)) {
          tables(c, null, f.toString());
        }
      }
    }
    return this;
  }

  /**
   * Scans every table and view of the schemas whose names start with {@code schemaPrefix} (all
   * schemas when null) on {@code c}.
   */
  public SecretScan tables(Connection c, String schemaPrefix, String where) throws SQLException {
    List<String[]> tables = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT table_schema, table_name FROM"
            + " information_schema.tables WHERE table_schema NOT IN ('information_schema',"
            + " 'pg_catalog')")) {
      while (rs.next()) {
        if (schemaPrefix == null || rs.getString(1).startsWith(schemaPrefix)) {
          tables.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    for (String[] t : tables) {
      rows(c, "SELECT * FROM \"" + t[0] + "\".\"" + t[1] + "\"", where + " " + t[0] + "." + t[1]);
    }
    return this;
  }

  private void rows(Connection c, String sql, String where) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          valuesScanned++;
          check(where + " column " + rs.getMetaData().getColumnName(i), rs.getString(i));
        }
      }
    }
  }
}
