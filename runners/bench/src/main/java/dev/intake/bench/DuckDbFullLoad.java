package dev.intake.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The reference for the full-load benchmark: DuckDB (the JDBC driver Intake embeds) doing the job
 * of an sf311 full load on the same export, in SQL. Reads the CSV as text, types it (floating
 * {@code MM/dd/yyyy hh:mm:ss a} times in San Francisco's zone, {@code 0} locations as null),
 * rejects what the spec's rules reject, keeps the newest version of each case (ties broken by the
 * row's values), derives the spec's four columns, drops {@code media_url}, and writes the clean
 * rows (month partitions), the daily aggregate (count, closed count, median and p90 of hours to
 * close) and the monthly cases-by-source pivot as Snappy Parquet. Prints the counts and the wall
 * time; the calling script measures the process's peak RSS.
 *
 * <pre>
 * java -cp runners/target/intake.jar:runners/bench/target/intake-bench.jar dev.intake.bench.DuckDbFullLoad \
 *     --input=export.csv --output=DIR [--threads=2] [--memoryLimit=4GB]
 * </pre>
 */
public final class DuckDbFullLoad {
  private DuckDbFullLoad() {}

  public static void main(String[] args) throws Exception {
    String input = null;
    String output = null;
    int threads = 2;
    String memory = "4GB";
    for (String a : args) {
      if (a.startsWith("--input=")) {
        input = a.substring(8);
      } else if (a.startsWith("--output=")) {
        output = a.substring(9);
      } else if (a.startsWith("--threads=")) {
        threads = Integer.parseInt(a.substring(10));
      } else if (a.startsWith("--memoryLimit=")) {
        memory = a.substring(14);
      } else {
        System.err.println("DuckDbFullLoad: unknown argument " + a
            + " (use --input=FILE --output=DIR [--threads=N] [--memoryLimit=4GB])");
        System.exit(2);
      }
    }
    if (input == null || output == null || !Files.isRegularFile(Path.of(input))) {
      System.err.println("DuckDbFullLoad: --input=FILE (an existing export) and --output=DIR"
          + " are required");
      System.exit(2);
    }
    Path out = Path.of(output);
    Files.createDirectories(out);
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET threads = " + threads);
      s.execute("SET memory_limit = '" + memory + "'");
      s.execute("SET preserve_insertion_order = false");
      s.execute("SET TimeZone = 'UTC'");
      s.execute(typed(input));
      s.execute(clean());
      long read = count(s, "SELECT count(*) FROM typed");
      long valid = count(s, "SELECT count(*) FROM typed WHERE valid");
      long written = count(s, "SELECT count(*) FROM clean");
      s.execute("COPY (SELECT * FROM clean) TO '" + out.resolve("clean")
          + "' (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (requested_month),"
          + " OVERWRITE_OR_IGNORE)");
      s.execute("COPY (" + daily() + ") TO '" + out.resolve("daily")
          + "' (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (requested_month),"
          + " OVERWRITE_OR_IGNORE)");
      s.execute("COPY (" + monthly() + ") TO '" + out.resolve("monthly_by_source.parquet")
          + "' (FORMAT parquet, COMPRESSION snappy)");
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT,
          "duckdb read=%d written=%d superseded=%d rejected=%d seconds=%.1f threads=%d%n",
          read, written, valid - written, read - valid, seconds, threads);
    }
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Parses the export: typed columns and a validity flag per record (the spec's rules). */
  private static String typed(String input) {
    String ts = "timezone('America/Los_Angeles', try_strptime(%s, '%%m/%%d/%%Y %%I:%%M:%%S %%p'))";
    String loc = "CASE WHEN TRY_CAST(%1$s AS DOUBLE) = 0 THEN NULL ELSE TRY_CAST(%1$s AS DOUBLE) END";
    return "CREATE TEMP TABLE typed AS WITH raw AS (SELECT * FROM read_csv('" + input
        + "', header = true, all_varchar = true, parallel = true)), t AS (SELECT"
        + " TRY_CAST(\"CaseID\" AS BIGINT) AS service_request_id,"
        + " " + String.format(ts, "\"Opened\"") + " AS requested_datetime,"
        + " " + String.format(ts, "\"Closed\"") + " AS closed_date,"
        + " " + String.format(ts, "\"Updated\"") + " AS updated_datetime,"
        + " \"Status\" AS status_description, \"Status Notes\" AS status_notes,"
        + " \"Responsible Agency\" AS agency_responsible, \"Category\" AS service_name,"
        + " \"Request Type\" AS service_subtype, \"Request Details\" AS service_details,"
        + " \"Address\" AS address, \"Street\" AS street,"
        + " TRY_CAST(\"Supervisor District\" AS BIGINT) AS supervisor_district,"
        + " \"Neighborhood\" AS neighborhoods_sffind_boundaries,"
        + " CAST(NULL AS VARCHAR) AS analysis_neighborhood,"
        + " \"Police District\" AS police_district,"
        + " " + String.format(loc, "\"Latitude\"") + " AS lat,"
        + " " + String.format(loc, "\"Longitude\"") + " AS long,"
        + " \"Source\" AS source,"
        + " \"Opened\" AS opened_text, \"Closed\" AS closed_text, \"CaseID\" AS id_text"
        + " FROM raw)"
        + " SELECT * EXCLUDE (opened_text, closed_text, id_text),"
        + " (service_request_id IS NOT NULL AND service_request_id >= 1"
        + " AND requested_datetime IS NOT NULL AND updated_datetime IS NOT NULL"
        + " AND (closed_text IS NULL OR closed_date IS NOT NULL)"
        + " AND (closed_date IS NULL OR closed_date >= requested_datetime)"
        + " AND updated_datetime >= requested_datetime"
        + " AND status_description IN ('Open', 'Closed') AND service_name IS NOT NULL"
        + " AND (supervisor_district IS NULL OR supervisor_district BETWEEN 1 AND 11)"
        + " AND (lat IS NULL OR lat BETWEEN 37.6 AND 37.9)"
        + " AND (long IS NULL OR long BETWEEN -123.2 AND -122.3)) AS valid"
        + " FROM t";
  }

  /** Newest version of each valid case, with the derived columns and the partition column. */
  private static String clean() {
    return "CREATE TEMP TABLE clean AS SELECT * EXCLUDE (valid),"
        + " date_diff('second', requested_datetime, closed_date) / 3600.0 AS hours_to_close,"
        + " (status_description = 'Open' AND closed_date IS NULL) AS is_open,"
        + " hour(timezone('America/Los_Angeles', requested_datetime)) AS opened_hour,"
        + " lower(regexp_replace(trim(source), '\\s+', ' ', 'g')) AS source_channel,"
        + " strftime(timezone('America/Los_Angeles', requested_datetime), '%Y-%m')"
        + " AS requested_month"
        + " FROM typed t WHERE valid"
        + " QUALIFY row_number() OVER (PARTITION BY service_request_id"
        + " ORDER BY updated_datetime DESC, t DESC) = 1";
  }

  private static String daily() {
    return "SELECT CAST(timezone('America/Los_Angeles', requested_datetime) AS DATE) AS day,"
        + " service_name, analysis_neighborhood, count(*) AS opened,"
        + " count(closed_date) AS closed,"
        + " quantile_cont(hours_to_close, 0.5) AS median_hours_to_close,"
        + " quantile_cont(hours_to_close, 0.9) AS p90_hours_to_close,"
        + " any_value(requested_month) AS requested_month"
        + " FROM clean GROUP BY ALL ORDER BY day";
  }

  private static String monthly() {
    return "PIVOT (SELECT requested_month AS month, analysis_neighborhood,"
        + " CASE WHEN source IS NULL THEN 'null' WHEN source IN ('Phone', 'Web',"
        + " 'Mobile/Open311', 'Integrated Agency', 'Other Department', 'Email', 'Twitter')"
        + " THEN source ELSE 'other' END AS channel FROM clean)"
        + " ON channel USING count(*) GROUP BY month, analysis_neighborhood";
  }
}
