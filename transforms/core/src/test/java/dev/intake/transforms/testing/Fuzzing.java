package dev.intake.transforms.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.LongConsumer;

/**
 * Runs a fuzzer: inputs numbered 0, 1, … each generated from its own {@link Random} seeded by the
 * run's seed and the input's number, until the time budget or the input cap is spent; then prints
 * how many inputs were tried and the seed. The seed is the system property {@code
 * intake.fuzz.seed} or the environment variable {@code INTAKE_FUZZ_SEED} if set, else a fresh one;
 * the budget is {@code intake.fuzz.seconds} / {@code INTAKE_FUZZ_SECONDS} (default 5 s). A failure
 * names the seed and the input's number, so the input can be made again.
 */
public final class Fuzzing {
  private static final int MAX_INPUTS = 1_000_000;

  private Fuzzing() {}

  /** The run's seed. */
  public static long seed() {
    String s = setting("intake.fuzz.seed", "INTAKE_FUZZ_SEED");
    return s != null ? Long.parseLong(s.trim()) : new Random().nextLong();
  }

  /** The random source of input {@code index} of a run seeded with {@code seed}. */
  public static Random inputRandom(long seed, long index) {
    return new Random(seed * 0x9E3779B97F4A7C15L + index);
  }

  /**
   * Calls {@code oneInput} with 0, 1, … within the budget and returns how many it tried; prints
   * {@code "fuzz <name>: <n> inputs, seed <seed>, <summary>"}. An error in input {@code i} is
   * rethrown naming the seed and {@code i}.
   */
  public static long run(String name, long seed, LongConsumer oneInput,
      java.util.function.Supplier<String> summary) {
    String budgetText = setting("intake.fuzz.seconds", "INTAKE_FUZZ_SECONDS");
    long budgetNanos = (long) (Double.parseDouble(budgetText == null ? "5" : budgetText) * 1e9);
    long start = System.nanoTime();
    long i = 0;
    while (i < MAX_INPUTS && System.nanoTime() - start < budgetNanos) {
      try {
        oneInput.accept(i);
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError("fuzz " + name + ": input " + i + " of seed " + seed
            + " (rerun with -Dintake.fuzz.seed=" + seed + ") failed: " + e, e);
      }
      i++;
    }
    System.out.println("fuzz " + name + ": " + i + " inputs, seed " + seed + ", "
        + summary.get());
    return i;
  }

  /** The bytes of a file of the project's testdata folder, e.g. "sf311/overlap_a.csv". */
  public static byte[] sample(String relative) throws IOException {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path f = p.resolve("testdata").resolve(relative);
      if (Files.isRegularFile(f)) {
        return Files.readAllBytes(f);
      }
    }
    throw new IOException("testdata/" + relative + " not found above " + Path.of("")
        .toAbsolutePath());
  }

  /** A short, printable form of an input for messages. */
  public static String show(byte[] input) {
    String s = new String(input, 0, Math.min(input.length, 300), StandardCharsets.UTF_8);
    return s.replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0");
  }

  private static String setting(String property, String env) {
    String v = System.getProperty(property);
    return v != null && !v.isBlank() ? v : System.getenv(env);
  }
}
