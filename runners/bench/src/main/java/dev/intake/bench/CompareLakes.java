package dev.intake.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Compares two lakes row for row with DuckDB: for every dataset folder under {@code clean/} and
 * {@code aggregates/} of either lake, the rows of one that the other lacks ({@code EXCEPT ALL}, both
 * ways). Prints one line per folder and exits 1 if any folder differs, 2 on bad arguments.
 *
 * <pre>
 * java -cp runners/target/intake.jar:runners/bench/target/intake-bench.jar \
 *     dev.intake.bench.CompareLakes /tmp/lakeA /tmp/lakeB
 * </pre>
 */
public final class CompareLakes {
  private CompareLakes() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: CompareLakes LAKE_A LAKE_B");
      System.exit(2);
    }
    Path a = Paths.get(args[0]);
    Path b = Paths.get(args[1]);
    List<String> folders = new ArrayList<>();
    for (String top : List.of("clean", "aggregates")) {
      for (Path lake : List.of(a, b)) {
        Path dir = lake.resolve(top);
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (Stream<Path> s = Files.list(dir)) {
          s.filter(Files::isDirectory).map(p -> top + "/" + p.getFileName())
              .filter(f -> !folders.contains(f)).sorted().forEach(folders::add);
        }
      }
    }
    boolean same = !folders.isEmpty();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      for (String folder : folders) {
        if (!Files.isDirectory(a.resolve(folder)) || !Files.isDirectory(b.resolve(folder))) {
          System.out.printf("%-40s in one lake only: DIFFERENT%n", folder);
          same = false;
          continue;
        }
        String ra = rows(a.resolve(folder));
        String rb = rows(b.resolve(folder));
        long na = count(st, "SELECT count(*) FROM " + ra);
        long nb = count(st, "SELECT count(*) FROM " + rb);
        long onlyA = count(st, "SELECT count(*) FROM (SELECT * FROM " + ra
            + " EXCEPT ALL SELECT * FROM " + rb + ")");
        long onlyB = count(st, "SELECT count(*) FROM (SELECT * FROM " + rb
            + " EXCEPT ALL SELECT * FROM " + ra + ")");
        boolean ok = na == nb && onlyA == 0 && onlyB == 0;
        same &= ok;
        System.out.printf("%-40s rows %d / %d, only in first %d, only in second %d: %s%n",
            folder, na, nb, onlyA, onlyB, ok ? "same" : "DIFFERENT");
      }
    }
    System.out.println(same ? "lakes: same rows" : "lakes: DIFFERENT");
    System.exit(same ? 0 : 1);
  }

  private static String rows(Path folder) {
    // The partition value is the folder's name; the rows also hold the field it comes from.
    return "read_parquet('" + folder.toString().replace("'", "''")
        + "/*/*.parquet', union_by_name = true)";
  }

  private static long count(Statement st, String sql) throws SQLException {
    try (ResultSet r = st.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
