import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The DuckDB commit's merge of a full load, alone, for its memory: the clean rows of LAKE (its
 * clean/sf311 Parquet) merged into a fresh keyed table in a fresh database file, first into the
 * empty table, then the same rows again, each in one transaction, as the warehouse commit does.
 * Prints wall times, the process's peak RSS and the table's count. MODE is merge (MERGE INTO, what
 * the commit runs) or onconflict (INSERT … ON CONFLICT, what it ran before); LIMIT a DuckDB
 * memory_limit such as 1GB, or none.
 *
 *   java -Xmx256m -cp runners/target/intake.jar runners/bench/duckdb-merge-memory.java \
 *       LAKE DB_FILE MODE LIMIT [THREADS]
 */
public class DuckdbMergeMemory {
  public static void main(String[] a) throws Exception {
    if (a.length < 4) {
      System.err.println("usage: LAKE DB_FILE merge|onconflict LIMIT|none [THREADS]");
      System.exit(2);
    }
    String rows = "SELECT * FROM read_parquet('" + a[0] + "/clean/sf311/**/*.parquet')";
    String db = a[1];
    boolean merge = a[2].equals("merge");
    Files.deleteIfExists(Path.of(db));
    Files.deleteIfExists(Path.of(db + ".wal"));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      if (!a[3].equals("none")) {
        s.execute("SET memory_limit = '" + a[3] + "'");
      }
      if (a.length > 4) {
        s.execute("SET threads = " + Integer.parseInt(a[4]));
      }
      List<String> cols = new ArrayList<>();
      List<String> defs = new ArrayList<>();
      try (ResultSet r = s.executeQuery("DESCRIBE " + rows)) {
        while (r.next()) {
          cols.add('"' + r.getString(1) + '"');
          defs.add('"' + r.getString(1) + "\" " + r.getString(2));
        }
      }
      s.execute("CREATE TABLE sf311 (" + String.join(", ", defs)
          + ", PRIMARY KEY (service_request_id))");
      List<String> sets = new ArrayList<>();
      List<String> differs = new ArrayList<>();
      for (String col : cols) {
        if (!col.equals("\"service_request_id\"")) {
          sets.add(col + " = s." + col);
          differs.add("t." + col + " IS DISTINCT FROM s." + col);
        }
      }
      String v = "\"updated_datetime\"";
      String when = "t." + v + " < s." + v + " OR (t." + v + " = s." + v + " AND ("
          + String.join(" OR ", differs) + "))";
      String sql = merge
          ? "MERGE INTO sf311 AS t USING (" + rows + ") AS s ON (t.service_request_id ="
              + " s.service_request_id) WHEN MATCHED AND (" + when + ") THEN UPDATE SET "
              + String.join(", ", sets) + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", cols)
              + ") VALUES (s." + String.join(", s.", cols) + ")"
          : "INSERT INTO sf311 AS t (" + String.join(", ", cols) + ") " + rows
              + " ON CONFLICT (service_request_id) DO UPDATE SET "
              + String.join(", ", sets).replace("= s.", "= excluded.") + " WHERE "
              + when.replace("s.", "excluded.");
      for (String pass : new String[] {"first load", "same rows again"}) {
        long t0 = System.nanoTime();
        c.setAutoCommit(false);
        s.execute(sql);
        c.commit();
        c.setAutoCommit(true);
        System.out.printf("%s %s: %.1f s, peak RSS %s%n", a[2], pass,
            (System.nanoTime() - t0) / 1e9, peak());
      }
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM sf311")) {
        r.next();
        System.out.println("rows " + r.getLong(1));
      }
    }
  }

  private static String peak() throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmHWM")) {
        return l.substring(6).trim();
      }
    }
    return "?";
  }
}
