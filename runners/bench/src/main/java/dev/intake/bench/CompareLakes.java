package dev.intake.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Compares two lakes of one dataset row for row, with DuckDB: the clean rows, every aggregate and
 * the dead letters ({@code EXCEPT ALL} both ways; a dead letter's run id and time are
 * left out, as they differ between runs by design). Prints one line per output with the rows
 * each side holds and the rows only one side holds; exits 1 if any output differs, so a
 * performance change can be checked to leave a load's outputs unchanged.
 *
 * <pre>
 * java -cp runners/target/intake.jar:runners/bench/target/intake-bench.jar dev.intake.bench.CompareLakes \
 *     --left=LAKE --right=LAKE [--dataset=sf311]
 * </pre>
 */
public final class CompareLakes {
  private CompareLakes() {}

  public static void main(String[] args) throws Exception {
    String left = null;
    String right = null;
    String name = "sf311";
    for (String a : args) {
      if (a.startsWith("--left=")) {
        left = a.substring(7);
      } else if (a.startsWith("--right=")) {
        right = a.substring(8);
      } else if (a.startsWith("--dataset=")) {
        name = a.substring(10);
      } else {
        System.err.println("CompareLakes: unknown argument " + a
            + " (use --left=LAKE --right=LAKE [--dataset=NAME])");
        System.exit(2);
      }
    }
    if (left == null || right == null) {
      System.err.println("CompareLakes: --left=LAKE and --right=LAKE are required");
      System.exit(2);
    }
    String dataset = name;
    List<String[]> outputs = new ArrayList<>();
    outputs.add(new String[] {"clean", "clean/" + dataset, "*"});
    Path aggregates = Path.of(left, "aggregates");
    if (Files.isDirectory(aggregates)) {
      try (Stream<Path> dirs = Files.list(aggregates)) {
        dirs.filter(d -> d.getFileName().toString().startsWith(dataset + "_")).sorted()
            .forEach(d -> outputs.add(new String[] {"aggregate " + d.getFileName(),
                "aggregates/" + d.getFileName(), "*"}));
      }
    }
    outputs.add(new String[] {"deadletter", "deadletter/" + dataset,
        "* EXCLUDE (run_id, recorded_at)"});
    boolean same = true;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      for (String[] o : outputs) {
        String l = "(SELECT " + o[2] + " FROM " + files(left, o[1]) + ")";
        String r = "(SELECT " + o[2] + " FROM " + files(right, o[1]) + ")";
        long nl = count(s, "SELECT count(*) FROM " + l);
        long nr = count(s, "SELECT count(*) FROM " + r);
        long onlyLeft = count(s, "SELECT count(*) FROM (" + l + " EXCEPT ALL " + r + ")");
        long onlyRight = count(s, "SELECT count(*) FROM (" + r + " EXCEPT ALL " + l + ")");
        boolean equal = nl == nr && onlyLeft == 0 && onlyRight == 0;
        same &= equal;
        System.out.printf("%-32s left %9d  right %9d  only left %7d  only right %7d  %s%n",
            o[0], nl, nr, onlyLeft, onlyRight, equal ? "same" : "DIFFERENT");
      }
    }
    System.exit(same ? 0 : 1);
  }

  private static String files(String lake, String folder) {
    return "read_parquet('" + Path.of(lake, folder) + "/**/*.parquet', hive_partitioning = false,"
        + " union_by_name = true)";
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
