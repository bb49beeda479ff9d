package dev.intake.pipeline.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The project's testdata folder. */
public final class TestData {
  public static final Path SF311 = locate().resolve("sf311");

  private TestData() {}

  private static Path locate() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("testdata/sf311"))) {
        return p.resolve("testdata");
      }
    }
    throw new IllegalStateException("testdata/ not found above " + Path.of("").toAbsolutePath());
  }

  public static String file(String name) {
    return SF311.resolve(name).toString();
  }

  /** Lines of an expected-results file, without the header for .tsv files. */
  public static List<String> expected(String name) throws IOException {
    List<String> lines = Files.readAllLines(SF311.resolve("expected").resolve(name));
    return name.endsWith(".tsv") ? lines.subList(1, lines.size()) : lines;
  }
}
