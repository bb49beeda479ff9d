package dev.intake.pipeline.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command-line entry point in a JVM of its own (the test's classpath), for what needs a second
 * process: two runs at once, a run held at a pause point while the test changes the world, or two
 * JVMs whose outputs are compared.
 */
public final class CliProcess {
  private final Process process;
  private final Path out;
  private final Path err;

  private CliProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code intake args…} with these system properties; output goes under {@code dir}. */
  public static CliProcess start(Path dir, Map<String, String> properties, List<String> args)
      throws IOException {
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    // as the test JVMs (the root pom): a short run gains nothing from C2's compilations
    command.add("-XX:TieredStopAtLevel=1");
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.intake.pipeline.Main");
    command.addAll(args);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    return new CliProcess(p, out, err);
  }

  public long pid() {
    return process.pid();
  }

  /** Waits (at most 5 minutes) for the process to end and returns what it did. */
  public Result await() throws IOException, InterruptedException {
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("the intake process did not end within 5 minutes");
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * Waits until {@code marker} exists (a run reached its pause point), at most 3 minutes; fails if
   * the process ended first.
   */
  public void awaitFile(Path marker) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + 180_000;
    while (!Files.exists(marker)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the intake process ended before " + marker + ": "
            + await());
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the intake process did not reach " + marker);
      }
      Thread.sleep(50);
    }
  }

  /** What the process printed, and its exit code. */
  public record Result(int exitCode, String out, String err) {
    /** The last "intake: …" line of stderr. */
    public String lastLine() {
      String last = "";
      for (String l : err.split("\n")) {
        if (l.startsWith("intake: ")) {
          last = l;
        }
      }
      return last;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
  }
}
