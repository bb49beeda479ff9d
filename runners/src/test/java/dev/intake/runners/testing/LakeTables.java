package dev.intake.runners.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an sf311 lake on local disk the way a user would, with DuckDB over its Parquet files. Rows
 * come back as their columns' text joined by tabs (null as empty), in a total order, without the
 * columns that name the run ({@code run_id}, {@code recorded_at}, the {@code run=} folder).
 */
public final class LakeTables {
  private final Path root;

  public LakeTables(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public List<String> cleanRows() throws SQLException {
    return rows("clean/sf311/*/*.parquet");
  }

  public List<String> aggregateRows() throws SQLException {
    return rows("aggregates/sf311_daily/*/*.parquet");
  }

  public List<String> deadLetterRows() throws SQLException {
    return rows("deadletter/sf311/*/*.parquet");
  }

  /**
   * Any query over the lake; {@code {clean}}, {@code {aggregates}}, {@code {deadletters}} name its
   * tables.
   */
  public List<String> query(String sql) throws SQLException {
    return run(
        sql.replace("{clean}", table("clean/sf311/*/*.parquet"))
            .replace("{aggregates}", table("aggregates/sf311_daily/*/*.parquet"))
            .replace("{deadletters}", table("deadletter/sf311/*/*.parquet")));
  }

  private String table(String glob) {
    return "read_parquet('" + root.resolve(glob) + "', hive_partitioning = true)";
  }

  private List<String> rows(String glob) throws SQLException {
    List<String> columns =
        run("SELECT column_name FROM (DESCRIBE SELECT * FROM " + table(glob) + ")");
    List<String> kept = new ArrayList<>();
    for (String c : columns) {
      if (!List.of("run_id", "recorded_at", "run").contains(c)) {
        kept.add("\"" + c + "\"");
      }
    }
    return run("SELECT " + String.join(", ", kept) + " FROM " + table(glob) + " ORDER BY ALL");
  }

  private static List<String> run(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      try (ResultSet rs = s.executeQuery(sql)) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          StringBuilder sb = new StringBuilder();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            if (i > 1) {
              sb.append('\t');
            }
            String v = rs.getString(i);
            sb.append(v == null ? "" : v);
          }
          rows.add(sb.toString());
        }
        return rows;
      }
    }
  }
}
