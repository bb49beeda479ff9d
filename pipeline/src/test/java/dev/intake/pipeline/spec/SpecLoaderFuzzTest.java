package dev.intake.pipeline.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.intake.transforms.testing.Fuzzing;
import dev.intake.transforms.testing.Mutator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the spec loader with mutated bundled specs: lines deleted, duplicated, swapped or
 * re-indented, values replaced by values of another kind, and byte-level damage. Every input
 * loads, or fails with a {@link SpecException} whose message starts with the file and a line
 * ({@code specs/x.yaml:7: ...}); any other exception fails the test. Seed and time budget: {@link
 * Fuzzing}.
 */
class SpecLoaderFuzzTest {
  private static final String[] VALUES = {
    "[]", "{}", "~", "null", "''", "0", "-1", "99999999999999999999", "1.5", "true", "[a, b]",
    "{a: 1}", "\"${cursor}\"", "'x: y'", "&a x", "*a", "!!binary aGk=", "\"\\u0000\"", "|\n  x",
    "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]", "datetime", "list<string>", "$.a[*]", "P1D"
  };

  private long loaded;
  private long refused;

  @Test
  void mutatedSpecsLoadOrFailWithFileAndLine() throws IOException {
    List<String> files = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (String name : SpecLoader.BUNDLED) {
      String resource = "specs/" + name + ".yaml";
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
        files.add(resource);
        texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    long seed = Fuzzing.seed();
    Fuzzing.run("spec-loader", seed, i -> {
      Random r = Fuzzing.inputRandom(seed, i);
      int which = r.nextInt(files.size());
      String text = r.nextInt(4) == 0
          ? new String(new Mutator(r).mutate(texts.get(which).getBytes(StandardCharsets.UTF_8)),
              StandardCharsets.UTF_8)
          : mutateLines(r, texts.get(which));
      load(files.get(which), text);
    }, () -> loaded + " loaded + " + refused + " refused with file and line");
    assertTrue(loaded + refused > 0);
  }

  private void load(String file, String text) {
    try {
      SpecLoader.parse(file, text);
      loaded++;
    } catch (SpecException e) {
      assertThat(Fuzzing.show(text.getBytes(StandardCharsets.UTF_8)), e.getMessage(),
          matchesPattern(Pattern.quote(file) + ":[1-9][0-9]*: .+"));
      refused++;
    }
  }

  /** One to three line-level mutations. */
  private static String mutateLines(Random r, String text) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    int n = 1 + r.nextInt(3);
    for (int k = 0; k < n && !lines.isEmpty(); k++) {
      int at = r.nextInt(lines.size());
      String line = lines.get(at);
      switch (r.nextInt(6)) {
        case 0 -> lines.remove(at);
        case 1 -> lines.add(at, line);
        case 2 -> lines.set(at, "  ".repeat(r.nextInt(3)) + line.strip());
        case 3 -> {
          int other = r.nextInt(lines.size());
          lines.set(at, lines.get(other));
          lines.set(other, line);
        }
        case 4 -> {
          int colon = line.indexOf(": ");
          String value = VALUES[r.nextInt(VALUES.length)];
          lines.set(at, colon >= 0 ? line.substring(0, colon + 2) + value : line + " " + value);
        }
        default -> lines.set(at, line.substring(0, r.nextInt(line.length() + 1)));
      }
    }
    return String.join("\n", lines);
  }
}
