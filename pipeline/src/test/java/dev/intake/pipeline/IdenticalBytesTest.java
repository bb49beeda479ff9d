package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import dev.intake.pipeline.testing.CliProcess;
import dev.intake.pipeline.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same rows give the same Parquet bytes: two runs of one export, each in a JVM of its own (so
 * nothing that depends on identity hash codes or the start time can hide), write clean and
 * aggregate files with equal checksums.
 */
class IdenticalBytesTest {
  @TempDir Path tmp;

  private CliProcess load(String name) throws Exception {
    return CliProcess.start(tmp.resolve("proc-" + name), Map.of(), List.of("run",
        "--dataset=sf311", "--inputFile=" + TestData.file("export_2021-05_first1000.csv"),
        "--lakePath=" + tmp.resolve(name + "/lake"), "--runId=" + name));
  }

  /** Relative path to SHA-256 of every Parquet file in the lake's clean and aggregate folders. */
  private static Map<String, String> checksums(Path lake) throws Exception {
    Map<String, String> sums = new TreeMap<>();
    for (String folder : List.of("clean", "aggregates")) {
      try (Stream<Path> files = Files.walk(lake.resolve(folder))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).toList()) {
          byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
          sums.put(lake.relativize(f).toString(), HexFormat.of().formatHex(digest));
        }
      }
    }
    return sums;
  }

  @Test
  void twoRunsInTwoJvmsWriteByteIdenticalParquetFiles() throws Exception {
    CliProcess first = load("first");
    CliProcess second = load("second");
    CliProcess.Result a = first.await();
    CliProcess.Result b = second.await();
    assertThat(a.toString(), a.exitCode(), is(0));
    assertThat(b.toString(), b.exitCode(), is(0));

    Map<String, String> sumsA = checksums(tmp.resolve("first/lake"));
    Map<String, String> sumsB = checksums(tmp.resolve("second/lake"));
    assertThat(sumsA.size(), greaterThan(2));
    assertThat(sumsB.keySet(), equalTo(sumsA.keySet()));
    List<String> differing = sumsA.keySet().stream()
        .filter(f -> !sumsA.get(f).equals(sumsB.get(f))).toList();
    assertThat("files whose bytes differ between the two runs", differing, empty());
  }
}
