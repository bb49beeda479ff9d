import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares two lakes row for row with DuckDB: for the clean dataset and each aggregate, the rows of
 * one lake that the other lacks, both ways (EXCEPT ALL), ignoring the columns that name the run
 * (run id, load time). Prints one line per table and exits 1 if any table differs.
 *
 * <pre>java -cp runners/target/intake.jar runners/bench/compare-lakes.java LAKE_A LAKE_B [dataset=sf311]</pre>
 */
public class CompareLakes {
  public static void main(String[] args) throws Exception {
    String a = args[0];
    String b = args[1];
    String dataset = args.length > 2 ? args[2] : "sf311";
    List<String> tables = new ArrayList<>();
    tables.add("clean/" + dataset);
    for (java.io.File f : new java.io.File(a, "aggregates").listFiles()) {
      tables.add("aggregates/" + f.getName());
    }
    boolean same = true;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      for (String t : tables) {
        String ra = "read_parquet('" + a + "/" + t + "/**/*.parquet', hive_partitioning=true)";
        String rb = "read_parquet('" + b + "/" + t + "/**/*.parquet', hive_partitioning=true)";
        List<String> runColumns = new ArrayList<>();
        try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + ra)) {
          while (r.next()) {
            String col = r.getString(1);
            if (col.matches("(?i).*(run_id|ingested_at|loaded_at|_run)$")) {
              runColumns.add('"' + col + '"');
            }
          }
        }
        String cols = runColumns.isEmpty() ? "*" : "* EXCLUDE (" + String.join(", ", runColumns) + ")";
        long rowsA = count(s, "SELECT count(*) FROM " + ra);
        long rowsB = count(s, "SELECT count(*) FROM " + rb);
        long onlyA = count(s, "SELECT count(*) FROM (SELECT " + cols + " FROM " + ra
            + " EXCEPT ALL SELECT " + cols + " FROM " + rb + ")");
        long onlyB = count(s, "SELECT count(*) FROM (SELECT " + cols + " FROM " + rb
            + " EXCEPT ALL SELECT " + cols + " FROM " + ra + ")");
        same &= onlyA == 0 && onlyB == 0;
        System.out.printf("%-40s rows %d vs %d; only in A %d, only in B %d%s%n", t, rowsA, rowsB,
            onlyA, onlyB, runColumns.isEmpty() ? "" : " (ignoring " + runColumns + ")");
      }
    }
    System.out.println(same ? "identical" : "DIFFERENT");
    System.exit(same ? 0 : 1);
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
