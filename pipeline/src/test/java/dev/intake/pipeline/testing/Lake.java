package dev.intake.pipeline.testing;

import dev.intake.pipeline.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads a lake the way a user would: with DuckDB over its Parquet files. */
public final class Lake {
  public final Path root;

  public Lake(Path root) {
    this.root = root;
  }

  public String clean() {
    return "read_parquet('" + root + "/clean/sf311/*/*.parquet', hive_partitioning = true)";
  }

  public String aggregates() {
    return "read_parquet('" + root + "/aggregates/sf311_daily/*/*.parquet', hive_partitioning = true)";
  }

  /** The Parquet files of the sf311 aggregate called {@code name}. */
  public String aggregate(String name) {
    return "read_parquet('" + root + "/aggregates/sf311_" + name
        + "/*/*.parquet', hive_partitioning = true)";
  }

  public String deadLetters() {
    return "read_parquet('" + root + "/deadletter/sf311/*/*.parquet', hive_partitioning = true)";
  }

  /** Every row of the query, each as its columns' text joined by tabs (null as empty). */
  public List<String> query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      return SqlRows.query(c, sql);
    }
  }

  public long count(String sql) throws SQLException {
    return Long.parseLong(query(sql).get(0));
  }

  /** The run summaries the lake holds. */
  public List<RunSummary> summaries() throws IOException {
    Path dir = root.resolve("runs/sf311");
    List<RunSummary> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        out.add(RunSummary.fromJson(Files.readString(p)));
      }
    }
    return out;
  }

  public RunSummary summary(String runId) throws IOException {
    return RunSummary.fromJson(Files.readString(root.resolve("runs/sf311/" + runId + ".json")));
  }

  /** Relative paths of every file under the lake, sorted. */
  public List<String> files() throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }
}
