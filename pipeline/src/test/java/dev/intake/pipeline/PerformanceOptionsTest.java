package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.options.IntakeOptions;
import dev.intake.options.InvalidOptionsException;
import dev.intake.options.OptionsValidation;
import dev.intake.transforms.sinks.warehouse.WarehouseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The memory and speed options: sizes parsed, embedded Flink capped, DirectRunner checks off. */
class PerformanceOptionsTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "512m, 536870912",
    "1g, 1073741824",
    "1G, 1073741824",
    "65536k, 67108864",
    "128mb, 134217728",
    "33554432, 33554432"
  })
  void memorySizesAreParsed(String text, long bytes) {
    assertEquals(bytes, OptionsValidation.memorySize("--flinkManagedMemory", text));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "lots, '--flinkNetworkMemory=lots is not a memory size (e.g. 512m, 1g)'",
    "-5m, '--flinkNetworkMemory=-5m is not a memory size (e.g. 512m, 1g)'",
    "1t, '--flinkNetworkMemory=1t is not a memory size (e.g. 512m, 1g)'",
    "8m, '--flinkNetworkMemory=8m is below the least Flink runs with, 16m'"
  })
  void badMemorySizeIsOneLine(String text, String message) {
    InvalidOptionsException e =
        assertThrows(
            InvalidOptionsException.class,
            () -> OptionsValidation.memorySize("--flinkNetworkMemory", text));
    assertEquals(message, e.getMessage());
  }

  @Test
  void embeddedFlinkGetsFixedManagedAndNetworkMemory() throws Exception {
    FlinkPipelineOptions flink = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    EmbeddedFlink.configure(flink, 512L << 20, 96L << 20);

    List<String> conf = Files.readAllLines(Path.of(flink.getFlinkConfDir(), "config.yaml"));
    assertThat(
        conf,
        hasItems(
            "taskmanager.memory.managed.size: 536870912b",
            "taskmanager.memory.network.min: 100663296b",
            "taskmanager.memory.network.max: 100663296b",
            "taskmanager.bind-host: 127.0.0.1"));
  }

  @Test
  void directRunnerRunsWithoutPerElementChecksUnlessAsked() {
    String[] direct = {"--dataset=sf311", "--runner=DirectRunner"};
    assertThat(
        Arrays.asList(RunnerChoice.withoutDirectRunnerChecks(direct)),
        containsInAnyOrder(
            "--dataset=sf311",
            "--runner=DirectRunner",
            "--enforceImmutability=false",
            "--enforceEncodability=false"));

    String[] asked = {"--runner=DirectRunner", "--enforceImmutability=true"};
    assertThat(
        Arrays.asList(RunnerChoice.withoutDirectRunnerChecks(asked)),
        containsInAnyOrder(
            "--runner=DirectRunner", "--enforceImmutability=true", "--enforceEncodability=false"));

    String[] flink = {"--runner=FlinkRunner"};
    assertArrayEquals(flink, RunnerChoice.withoutDirectRunnerChecks(flink));
  }

  @Test
  void flinkReusesObjectsUnlessToldOtherwise() {
    String[] plain = {"--dataset=sf311"};
    assertThat(Arrays.asList(RunnerChoice.withFlinkObjectReuse(plain)),
        containsInAnyOrder("--dataset=sf311", "--objectReuse=true"));
    String[] flink = {"--runner=FlinkRunner", "--flinkMaster=[local]"};
    assertThat(Arrays.asList(RunnerChoice.withFlinkObjectReuse(flink)),
        containsInAnyOrder("--runner=FlinkRunner", "--flinkMaster=[local]", "--objectReuse=true"));
    String[] off = {"--objectReuse=false"};
    assertArrayEquals(off, RunnerChoice.withFlinkObjectReuse(off));
    String[] direct = {"--runner=DirectRunner"};
    assertArrayEquals(direct, RunnerChoice.withFlinkObjectReuse(direct));
  }

  @Test
  void directRunnerGroupsInOneBucketPerWorkerUnlessAsked() {
    IntakeOptions direct = parse("--dataset=sf311", "--runner=DirectRunner",
        "--targetParallelism=4");
    IntakeOptions asked = parse("--runner=DirectRunner", "--targetParallelism=4",
        "--dedupBuckets=64");
    IntakeOptions flink = parse("--runner=FlinkRunner");

    assertEquals(List.of(4, 4), List.of(direct.getDedupBuckets(), direct.getAggregateBuckets()));
    assertEquals(List.of(64, 4), List.of(asked.getDedupBuckets(), asked.getAggregateBuckets()));
    assertEquals(List.of(512, 512), List.of(flink.getDedupBuckets(), flink.getAggregateBuckets()));
  }

  @Test
  void theEmbeddedWarehouseIsCappedAtOneGigabyteUnlessTold() {
    WarehouseConfig plain = WarehouseChoice.of(parse("--lakePath=/tmp/lake"), "/tmp/lake");
    assertEquals(List.of("jdbc:duckdb:/tmp/lake.duckdb", "1073741824", "null"),
        List.of(plain.url(), String.valueOf(plain.memoryLimitBytes()),
            String.valueOf(plain.threads())));
    WarehouseConfig told = WarehouseChoice.of(
        parse("--duckdbMemoryLimit=512m", "--duckdbThreads=1"), "/tmp/lake");
    assertEquals(List.of(536870912L, 1L),
        List.of(told.memoryLimitBytes(), (long) told.threads()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "--duckdbMemoryLimit=32m | --duckdbMemoryLimit=32m is below the least the DuckDB warehouse is"
        + " given, 64m",
    "--duckdbMemoryLimit=lots | --duckdbMemoryLimit=lots is not a memory size (e.g. 512m, 1g)",
    "--duckdbThreads=0 | --duckdbThreads must be > 0, but was 0"
  })
  void badWarehouseLimitsAreOneLine(String arg, String message) {
    IntakeOptions options = parse("--dataset=sf311", "--lakePath=/tmp/lake",
        "--inputFile=/tmp/export.csv", arg);
    InvalidOptionsException e = assertThrows(InvalidOptionsException.class,
        () -> OptionsValidation.validate(options));
    assertEquals(message, e.getMessage());
  }

  @Test
  void warehouseLimitsAreRefusedForPostgresql() {
    IntakeOptions options = parse("--jdbcUrl=jdbc:postgresql://127.0.0.1:5432/test",
        "--duckdbMemoryLimit=1g");
    InvalidOptionsException e = assertThrows(InvalidOptionsException.class,
        () -> WarehouseChoice.of(options, "/tmp/lake"));
    assertEquals("--duckdbMemoryLimit and --duckdbThreads apply to the embedded DuckDB warehouse"
        + " only, not to jdbc:postgresql://127.0.0.1:5432/test", e.getMessage());
    assertEquals(null, WarehouseChoice.of(parse("--jdbcUrl=jdbc:postgresql://127.0.0.1:5432/test"),
        "/tmp/lake").memoryLimitBytes());
  }

  private static IntakeOptions parse(String... args) {
    IntakeOptions options = PipelineOptionsFactory.fromArgs(args).as(IntakeOptions.class);
    RunnerChoice.directRunnerBuckets(options, Arrays.asList(args));
    return options;
  }
}
