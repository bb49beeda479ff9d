package dev.intake.bench;

import dev.intake.pipeline.IntakePipeline;
import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.spec.SpecLoader;
import dev.intake.transforms.sinks.lake.WriteParquet;
import dev.intake.transforms.sinks.warehouse.Dialect;
import dev.intake.transforms.sinks.warehouse.RunRecord;
import dev.intake.transforms.sinks.warehouse.Warehouse;
import dev.intake.transforms.sinks.warehouse.WarehouseCommit;
import dev.intake.transforms.sinks.warehouse.WarehouseTable;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Measures what the commit's staging check costs PostgreSQL, with psql doing the nearest job in
 * the same command. (1) A commit whose staging tables were emptied (as PostgreSQL's crash recovery
 * empties UNLOGGED tables), into a table that holds one other row (an empty table is loaded from the
 * run's files without staging): the check finds the table short and reloads it from the run's Parquet
 * files (read in the driver, binary COPY), then the merge; beside psql's {@code \copy} of the same
 * rows as CSV and one {@code INSERT … ON CONFLICT}. (2) The check on a normal commit (staging full:
 * one {@code count(*)}): the same rerun merge with and without the check, alternated, staging
 * loaded each time by psql's {@code \copy}. Prints seconds, rows/s, the JVM's CPU seconds and the
 * ratios.
 *
 * <pre>
 * java -cp runners/target/intake.jar:runners/bench/target/intake-bench.jar dev.intake.bench.StagingReloadBenchmark \
 *     [--rows=1000000] [--jdbcUrl=jdbc:postgresql://127.0.0.1:5432/test] [--jdbcUser=postgres] [--psql=/usr/bin/psql]
 * </pre>
 */
public final class StagingReloadBenchmark {
  private StagingReloadBenchmark() {}

  public static void main(String[] args) throws Exception {
    PostgresBench pg = PostgresBench.parse(args);
    long rows = pg.rows;
    DatasetSpec spec = SpecLoader.load("sf311");
    Schema schema = IntakePipeline.cleanSchema(spec);
    WarehouseTable table = new WarehouseTable("sf311", schema, spec.key());
    Path dir = Files.createTempDirectory("pgguard-reload-bench");
    Path csv = dir.resolve("rows.csv");
    WarehouseLoadBenchmark.writeCsv(csv, rows, schema);
    Pipeline p = Pipeline.create(WarehouseLoadBenchmark.flinkOptions());
    WarehouseLoadBenchmark.rows(p, rows, schema)
        .apply("WriteParquet", WriteParquet.to(dir + "/parquet/").sortedBy(spec.key()));
    p.run().waitUntilFinish();
    List<String> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir.resolve("parquet"))) {
      s.filter(f -> f.toString().endsWith(".parquet")).sorted()
          .forEach(f -> files.add(f.toString()));
    }
    Psql reference = pg.reference();
    String schemaName = "pgguard_bench_" + System.currentTimeMillis();
    System.out.printf(Locale.ROOT, "%-44s %10s %10s %12s%n", "step", "rows", "seconds", "rows/s");
    try (Warehouse w = pg.connect(schemaName)) {
      w.prepare(List.of(table), "emptied");
      // A table that holds a row: an empty one is loaded from the run's files without staging.
      String held = "(service_request_id, updated_datetime) VALUES (1, '2000-01-01Z')";
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg.url, pg.user, "");
          java.sql.Statement s = c.createStatement()) {
        s.execute("INSERT INTO " + Dialect.quote(schemaName) + ".sf311 " + held);
      }
      long[] reloaded = new long[1];
      double cpu = cpuSeconds();
      long start = System.nanoTime();
      w.commit(commit("emptied", table, spec.version(), files, rows),
          line -> reloaded[0] = System.nanoTime());
      long end = System.nanoTime();
      double reload = report("intake: check + reload from " + files.size() + " Parquet file(s)",
          rows, start, reloaded[0]);
      double merge = report("intake: merge", rows, reloaded[0], end);
      double reloadCpu = cpuSeconds() - cpu;
      reference.prepare(schemaName, table);
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg.url, pg.user, "");
          java.sql.Statement s = c.createStatement()) {
        s.execute("INSERT INTO " + Dialect.quote(schemaName + "_psql") + ".sf311 " + held);
      }
      double copy = reference.copy(schemaName, csv, rows, "psql: \\copy csv");
      double upsert = reference.upsert(schemaName, table, rows, "psql: upsert");
      System.out.printf(Locale.ROOT, "reload (JVM CPU %.1f s) at %.0f%% of psql \\copy's speed;"
              + " reload + merge %.1f s vs psql %.1f s: %.0f%%%n", reloadCpu, 100 * copy / reload,
          reload + merge, copy + upsert, 100 * (copy + upsert) / (reload + merge));
      reference.checkSame(schemaName, table);

      double[] with = new double[2];
      double[] without = new double[2];
      for (int pass = 0; pass < 4; pass++) {
        boolean checked = pass % 2 == 0;
        String runId = "rerun" + pass;
        w.prepare(List.of(table), runId);
        reference.copyInto(Dialect.quote(schemaName + "_raw") + "."
            + Dialect.quote("_stage_sf311_" + runId), csv, rows, "psql: \\copy into staging");
        start = System.nanoTime();
        w.commit(commit(runId, table, spec.version(), files, checked ? rows : 0), line -> {
          throw new IllegalStateException("a full staging table was reloaded: " + line);
        });
        double s = report("intake: rerun merge, " + (checked ? "checked" : "unchecked"), rows,
            start, System.nanoTime());
        (checked ? with : without)[pass / 2] = s;
      }
      System.out.printf(Locale.ROOT, "the check's count(*) on a full staging table: rerun merge"
              + " %.2f s and %.2f s checked vs %.2f s and %.2f s unchecked (%+.0f%%)%n",
          with[0], with[1], without[0], without[1],
          100 * ((with[0] + with[1]) / (without[0] + without[1]) - 1));
    } finally {
      pg.dropSchemas(schemaName);
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /**
   * A commit of run {@code runId} whose files are {@code files} and which wrote {@code rows} rows
   * (0: no check, as before the staging check).
   */
  private static WarehouseCommit commit(String runId, WarehouseTable table, String version,
      List<String> files, long rows) {
    RunRecord run = new RunRecord();
    run.runId = runId;
    run.dataset = "bench";
    run.status = "bench";
    WarehouseCommit.Builder b =
        WarehouseCommit.of(run, table, version).files(table.name(), files);
    return (rows > 0 ? b.rows(table.name(), rows) : b).build();
  }

  private static double report(String step, long rows, long startNanos, long endNanos) {
    double s = (endNanos - startNanos) / 1e9;
    System.out.printf(Locale.ROOT, "%-44s %10d %10.1f %12.0f%n", step, rows, s, rows / s);
    return s;
  }

  private static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean)
            ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }
}
