package dev.intake.bench;

import dev.intake.pipeline.EmbeddedFlink;
import dev.intake.pipeline.IntakePipeline;
import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.spec.SpecLoader;
import dev.intake.transforms.sinks.warehouse.Warehouse;
import dev.intake.transforms.sinks.warehouse.WarehouseTable;
import dev.intake.transforms.sinks.lake.WriteParquet;
import dev.intake.transforms.sinks.warehouse.LoadMethod;
import dev.intake.transforms.sinks.warehouse.RunRecord;
import dev.intake.transforms.sinks.warehouse.WarehouseCommit;
import dev.intake.transforms.sinks.warehouse.WarehouseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * Measures loading the warehouse with {@code N} synthetic sf311 rows: into PostgreSQL with COPY
 * and with batched INSERTs (the pipeline's staging load on embedded Flink, then the commit's merge
 * into the keyed table), and into DuckDB from Parquet (the embedded default's commit). Prints
 * rows/s for each.
 *
 * <pre>
 * java -cp runners/target/intake.jar:runners/bench/target/intake-bench.jar dev.intake.bench.WarehouseLoadBenchmark \
 *     [--rows=1000000] [--methods=copy,batch] [--jdbcUrl=jdbc:postgresql://127.0.0.1:5432/test]
 *     [--jdbcUser=postgres]
 * </pre>
 */
public final class WarehouseLoadBenchmark {
  private WarehouseLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = 1_000_000;
    String url = "jdbc:postgresql://127.0.0.1:5432/test";
    String user = "postgres";
    List<LoadMethod> methods = List.of(LoadMethod.values());
    for (String a : args) {
      if (a.startsWith("--rows=")) {
        rows = Long.parseLong(a.substring(7));
      } else if (a.startsWith("--jdbcUrl=")) {
        url = a.substring(10);
      } else if (a.startsWith("--jdbcUser=")) {
        user = a.substring(11);
      } else if (a.startsWith("--methods=")) {
        methods = new ArrayList<>();
        for (String m : a.substring(10).split(",")) {
          methods.add(LoadMethod.valueOf(m.toUpperCase(Locale.ROOT)));
        }
      } else {
        throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    DatasetSpec spec = SpecLoader.load("sf311");
    Schema schema = IntakePipeline.cleanSchema(spec);
    WarehouseTable table = new WarehouseTable("sf311", schema, spec.key());
    System.out.printf(Locale.ROOT, "%-28s %10s %10s %12s%n", "step", "rows", "seconds", "rows/s");
    for (LoadMethod method : methods) {
      String schemaName = "bench_" + method.name().toLowerCase(Locale.ROOT) + "_" + System.currentTimeMillis();
      String runId = "bench" + System.nanoTime();
      try (Warehouse w =
          Warehouse.connect(WarehouseConfig.of(url).withUser(user).withSchema(schemaName))) {
        w.prepare(List.of(table), runId);
        long start = System.nanoTime();
        Pipeline p = Pipeline.create(flinkOptions());
        rows(p, rows, schema).apply("Load", w.stagingLoad(table, runId, method).orElseThrow());
        p.run().waitUntilFinish();
        report("postgres staging " + method.name().toLowerCase(Locale.ROOT), rows, start);
        start = System.nanoTime();
        w.commit(commit(runId, spec, table, List.of()));
        report("postgres merge (" + method.name().toLowerCase(Locale.ROOT) + " run)", rows, start);
      }
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, user, "");
          java.sql.Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schemaName + ", " + schemaName + "_raw, " + schemaName
            + "_public CASCADE");
      }
    }
    Path dir = Files.createTempDirectory("intake-bench-duckdb");
    Pipeline p = Pipeline.create(flinkOptions());
    rows(p, rows, schema).apply("WriteParquet", WriteParquet.to(dir + "/parquet/").sortedBy(spec.key()));
    p.run().waitUntilFinish();
    List<String> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir.resolve("parquet"))) {
      s.filter(f -> f.toString().endsWith(".parquet")).forEach(f -> files.add(f.toString()));
    }
    WarehouseConfig duckdb = WarehouseConfig.of("jdbc:duckdb:" + dir.resolve("w.duckdb"));
    try (Warehouse w = Warehouse.connect(duckdb)) {
      w.prepare(List.of(table), "bench");
      long start = System.nanoTime();
      w.commit(commit("bench", spec, table, files));
      report("duckdb merge from parquet", rows, start);
    }
  }

  private static PCollection<Row> rows(Pipeline p, long n, Schema schema) {
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

  private static WarehouseCommit commit(
      String runId, DatasetSpec spec, WarehouseTable table, List<String> files) {
    RunRecord run = new RunRecord();
    run.runId = runId;
    run.dataset = "bench";
    run.status = "bench";
    return WarehouseCommit.of(run, table, spec.version()).files(table.name(), files).build();
  }

  private static FlinkPipelineOptions flinkOptions() {
    FlinkPipelineOptions o = PipelineOptionsFactory.create().as(FlinkPipelineOptions.class);
    EmbeddedFlink.configure(o);
    return o;
  }

  private static void report(String step, long rows, long startNanos) {
    double s = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf(Locale.ROOT, "%-28s %10d %10.1f %12.0f%n", step, rows, s, rows / s);
  }
}
