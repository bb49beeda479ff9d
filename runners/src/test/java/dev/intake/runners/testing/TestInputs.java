package dev.intake.runners.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** The sf311 inputs and expected results in the project's testdata folder. */
public final class TestInputs {
  /** The small full-load inputs: 1,000 real records, and 13 records that break every rule. */
  public static final List<String> FULL_LOAD =
      List.of("export_2021-05_first1000.csv", "rules_export.csv");

  private TestInputs() {}

  public static Path sf311() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("testdata/sf311"))) {
        return p.resolve("testdata/sf311");
      }
    }
    throw new IllegalStateException(
        "testdata/sf311 not found above " + Path.of("").toAbsolutePath());
  }

  /**
   * Copies the full-load inputs into {@code dir} and returns the glob that reads them in one run
   * ({@code dir/*.csv}), so every run under test reads the same paths.
   */
  public static String fullLoad(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String name : FULL_LOAD) {
      Files.copy(sf311().resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    return dir.resolve("*.csv").toString();
  }

  /** Lines of an expected-results file, without the header for .tsv files. */
  public static List<String> expected(String name) throws IOException {
    List<String> lines = Files.readAllLines(sf311().resolve("expected").resolve(name));
    return name.endsWith(".tsv") ? lines.subList(1, lines.size()) : lines;
  }

  /** The keys a full load of {@link #FULL_LOAD} keeps, sorted as numbers. */
  public static List<String> fullLoadKeys() throws IOException {
    List<Long> keys = new ArrayList<>();
    expected("export_2021-05_first1000.keys.txt").forEach(k -> keys.add(Long.parseLong(k)));
    for (String row : expected("rules_export.clean.tsv")) {
      keys.add(Long.parseLong(row.split("\t")[0]));
    }
    return keys.stream().sorted().map(String::valueOf).toList();
  }
}
