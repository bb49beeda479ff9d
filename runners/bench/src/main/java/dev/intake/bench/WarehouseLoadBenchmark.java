package dev.intake.bench;

import dev.intake.pipeline.EmbeddedFlink;
import dev.intake.pipeline.IntakePipeline;
import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.spec.SpecLoader;
import dev.intake.transforms.sinks.warehouse.Warehouse;
import dev.intake.transforms.sinks.warehouse.WarehouseTable;
import dev.intake.transforms.sinks.lake.WriteParquet;
import dev.intake.transforms.sinks.warehouse.LoadMethod;
import dev.intake.transforms.sinks.warehouse.LoadStagingTable;
import dev.intake.transforms.sinks.warehouse.RunRecord;
import dev.intake.transforms.sinks.warehouse.WarehouseCommit;
import dev.intake.transforms.sinks.warehouse.WarehouseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * Measures loading the warehouse with {@code N} synthetic sf311 rows, side by side with psql doing
 * the same job, and prints rows/s and the ratio. PostgreSQL, for each load method, as a run does
 * it: the pipeline (embedded Flink) writes the rows to Parquet, the lake's files every run writes,
 * and loads them into the run's staging table where the warehouse asks for it ({@link
 * Warehouse#stagingLoad}: not for a table that is empty, which the commit loads from the files);
 * then the commit merges (or, into an empty table, copies the files). What the warehouse adds to a
 * run is the commit plus the pipeline's extra time for the staging load, measured as the same
 * pipeline without it (the Parquet write alone) run just before: the Flink start-up and the Parquet
 * write are paid by every run, with or without a warehouse, and are printed but not counted. The
 * reference: psql's {@code \copy} of the same rows as CSV into a plain table, then one {@code
 * INSERT … ON CONFLICT DO UPDATE} from it into a keyed table like Intake's. Both run twice: a first
 * load into an empty table, and a re-run of the same rows onto the loaded table (Intake merges only
 * what changed: nothing). DuckDB (the embedded default): the commit's merge from the run's Parquet.
 *
 * <pre>
 * java -cp runners/target/intake.jar:runners/bench/target/intake-bench.jar dev.intake.bench.WarehouseLoadBenchmark \
 *     [--rows=1000000] [--methods=copy (default; or any of copy,copy_csv,batch)] [--jdbcUrl=jdbc:postgresql://127.0.0.1:5432/test]
 *     [--jdbcUser=postgres] [--psql=/usr/bin/psql] [--duckdb=true]
 * </pre>
 */
public final class WarehouseLoadBenchmark {
  private WarehouseLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    PostgresBench pg = new PostgresBench();
    boolean duckdb = true;
    List<LoadMethod> methods = List.of(LoadMethod.COPY);
    for (String a : args) {
      if (pg.accept(a)) {
        continue;
      }
      if (a.startsWith("--duckdb=")) {
        duckdb = Boolean.parseBoolean(a.substring(9));
      } else if (a.startsWith("--methods=")) {
        methods = new ArrayList<>();
        for (String m : a.substring(10).split(",")) {
          methods.add(LoadMethod.valueOf(m.toUpperCase(Locale.ROOT)));
        }
      } else {
        throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    long rows = pg.rows;
    DatasetSpec spec = SpecLoader.load("sf311");
    Schema schema = IntakePipeline.cleanSchema(spec);
    WarehouseTable table = new WarehouseTable("sf311", schema, spec.key());
    Path dir = Files.createTempDirectory("whload-bench");
    int job = 0;
    Path csv = dir.resolve("rows.csv");
    writeCsv(csv, rows, schema);
    Psql reference = pg.reference();
    System.out.printf(Locale.ROOT, "%-52s %10s %10s %12s %8s%n", "step", "rows", "seconds",
        "rows/s", "JVM CPU");
    // The JVM's first pipeline pays for loading and compiling the code: not one to compare.
    long warmUp = System.nanoTime();
    double warmUpCpu = cpuSeconds();
    pipeline(rows, schema, spec, dir.resolve("warm-up"), Optional.empty());
    report("warm-up: pipeline, Parquet alone (not counted)", rows, warmUp, warmUpCpu);
    for (LoadMethod method : methods) {
      String name = method.name().toLowerCase(Locale.ROOT);
      String schemaName = "bench_" + name + "_" + System.currentTimeMillis();
      double[] intake = new double[2];
      double[] psqlSeconds = new double[2];
      try (Warehouse w = pg.connect(schemaName)) {
        for (int pass = 0; pass < 2; pass++) {
          String label = pass == 0 ? "load" : "rerun";
          String runId = "bench" + System.nanoTime();
          w.prepare(List.of(table), runId);
          Optional<LoadStagingTable> load = w.stagingLoad(table, runId, method);
          Path lakeOnly = dir.resolve("job" + job++);
          long start = System.nanoTime();
          double cpu = cpuSeconds();
          pipeline(rows, schema, spec, lakeOnly, Optional.empty());
          double parquet = report("intake " + label + ": pipeline, Parquet alone (not counted)",
              rows, start, cpu);
          Path files = lakeOnly;
          double staging = 0;
          if (load.isPresent()) {
            files = dir.resolve("job" + job++);
            start = System.nanoTime();
            cpu = cpuSeconds();
            pipeline(rows, schema, spec, files, load);
            double both = report("intake " + label + ": pipeline, Parquet + staging " + name, rows,
                start, cpu);
            staging = both - parquet;
            System.out.printf(Locale.ROOT, "%-52s %10d %10.1f%n",
                "intake " + label + ": staging load (difference)", rows, staging);
          } else {
            System.out.printf(Locale.ROOT, "%-52s%n",
                "intake " + label + ": no staging load (empty table: the commit copies the files)");
          }
          start = System.nanoTime();
          cpu = cpuSeconds();
          w.commit(commit(runId, spec, table, parquetFiles(files), rows), System.out::println);
          double merge = report("intake " + label + ": commit", rows, start, cpu);
          intake[pass] = staging + merge;
          if (pass == 0) {
            reference.prepare(schemaName, table);
          }
          double copy = reference.copy(schemaName, csv, rows, "psql " + label + ": \\copy csv");
          double upsert = reference.upsert(schemaName, table, rows, "psql " + label + ": upsert");
          psqlSeconds[pass] = copy + upsert;
          compare(label + " (" + name + ")", intake[pass], psqlSeconds[pass]);
        }
        reference.checkSame(schemaName, table);
      }
      pg.dropSchemas(schemaName);
    }
    if (duckdb) {
      Pipeline p = Pipeline.create(flinkOptions());
      rows(p, rows, schema)
          .apply("WriteParquet", WriteParquet.to(dir + "/parquet/").sortedBy(spec.key()));
      p.run().waitUntilFinish();
      List<String> files = new ArrayList<>();
      try (Stream<Path> s = Files.walk(dir.resolve("parquet"))) {
        s.filter(f -> f.toString().endsWith(".parquet")).forEach(f -> files.add(f.toString()));
      }
      WarehouseConfig config = WarehouseConfig.of("jdbc:duckdb:" + dir.resolve("w.duckdb"));
      try (Warehouse w = Warehouse.connect(config)) {
        w.prepare(List.of(table), "bench");
        long start = System.nanoTime();
        w.commit(commit("bench", spec, table, files, rows), System.out::println);
        report("duckdb merge from parquet", rows, start);
        w.prepare(List.of(table), "bench2");
        start = System.nanoTime();
        w.commit(commit("bench2", spec, table, files, rows), System.out::println);
        report("duckdb rerun merge from parquet", rows, start);
      }
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /**
   * Runs one pipeline as a run's write step does it: {@code n} rows to Parquet files under {@code
   * out} (sorted by key), and into the staging table when {@code load} is given.
   */
  private static void pipeline(long n, Schema schema, DatasetSpec spec, Path out,
      Optional<LoadStagingTable> load) {
    Pipeline p = Pipeline.create(flinkOptions());
    PCollection<Row> rows = rows(p, n, schema);
    rows.apply("WriteParquet", WriteParquet.to(out + "/").sortedBy(spec.key()));
    load.ifPresent(l -> rows.apply("Load", l));
    p.run().waitUntilFinish();
  }

  static List<String> parquetFiles(Path dir) throws java.io.IOException {
    List<String> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(f -> f.toString().endsWith(".parquet")).sorted()
          .forEach(f -> files.add(f.toString()));
    }
    return files;
  }

  /** This JVM's CPU seconds so far (every thread, the embedded Flink's included). */
  static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  /** Prints a step's rows, seconds, rows/s and JVM CPU seconds since {@code cpuStart}. */
  static double report(String step, long rows, long startNanos, double cpuStart) {
    double s = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf(Locale.ROOT, "%-52s %10d %10.1f %12.0f %8.1f%n", step, rows, s, rows / s,
        cpuSeconds() - cpuStart);
    return s;
  }

  /** Prints Intake's and psql's seconds and psql's time as a share of Intake's (≥ 100%: faster). */
  private static void compare(String what, double intake, double psql) {
    System.out.printf(Locale.ROOT,
        "%-52s intake %.1f s, psql %.1f s: intake at %.0f%% of psql's speed%n",
        what, intake, psql, 100 * psql / intake);
  }

  /** The rows of {@link #syntheticRow} as CSV, as psql's {@code \copy … csv} reads them. */
  static void writeCsv(Path file, long n, Schema schema) throws java.io.IOException {
    try (java.io.Writer out = Files.newBufferedWriter(file)) {
      StringBuilder line = new StringBuilder();
      for (long i = 0; i < n; i++) {
        line.setLength(0);
        Row row = syntheticRow(schema, i);
        for (int f = 0; f < row.getFieldCount(); f++) {
          if (f > 0) {
            line.append(',');
          }
          Object v = row.getValue(f);
          if (v instanceof String str) {
            line.append('"').append(str.replace("\"", "\"\"")).append('"');
          } else if (v instanceof Instant t) {
            line.append(java.time.Instant.ofEpochMilli(t.getMillis()));
          } else if (v != null) {
            line.append(v);
          }
        }
        out.append(line).append('\n');
      }
    }
  }

  static PCollection<Row> rows(Pipeline p, long n, Schema schema) {
    return p.apply("Generate", GenerateSequence.from(0).to(n))
        .apply(
            "ToRows",
            MapElements.into(TypeDescriptors.rows()).via((Long i) -> syntheticRow(schema, i)))
        .setRowSchema(schema);
  }

  private static Row syntheticRow(Schema schema, long i) {
    Instant opened = new Instant(1_500_000_000_000L + i * 60_000L);
    Row.Builder b = Row.withSchema(schema);
    for (Schema.Field f : schema.getFields()) {
      switch (f.getName()) {
        case "service_request_id":
          b.addValue(10_000_000L + i);
          break;
        case "requested_datetime":
        case "updated_datetime":
          b.addValue(opened);
          break;
        case "lat":
          b.addValue(37.7 + (i % 1000) / 10_000.0);
          break;
        case "long":
          b.addValue(-122.4 - (i % 1000) / 10_000.0);
          break;
        case "supervisor_district":
          b.addValue(1 + i % 11);
          break;
        default:
          b.addValue(f.getType().getTypeName() == Schema.TypeName.STRING ? f.getName() + " " + (i % 97) : null);
      }
    }
    return b.build();
  }

  /** A commit as a run makes it: its files, and the rows it wrote (which the commit checks). */
  private static WarehouseCommit commit(
      String runId, DatasetSpec spec, WarehouseTable table, List<String> files, long rows) {
    RunRecord run = new RunRecord();
    run.runId = runId;
    run.dataset = "bench";
    run.status = "bench";
    return WarehouseCommit.of(run, table, spec.version()).files(table.name(), files)
        .rows(table.name(), rows).build();
  }

  static FlinkPipelineOptions flinkOptions() {
    FlinkPipelineOptions o = PipelineOptionsFactory.create().as(FlinkPipelineOptions.class);
    EmbeddedFlink.configure(o);
    return o;
  }

  static double report(String step, long rows, long startNanos) {
    double s = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf(Locale.ROOT, "%-52s %10d %10.1f %12.0f%n", step, rows, s, rows / s);
    return s;
  }
}
