package dev.intake.runners.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the tests started, with its stdout and stderr in one log file. {@link #close} ends it
 * (and only it, by its handle): politely first, then forcibly.
 */
public final class ChildProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} in {@code dir} with extra environment variables. */
  public static ChildProcess start(
      String name, List<String> command, Path dir, Map<String, String> env, Path log)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return new ChildProcess(name, pb.start(), log);
  }

  /** The path of the {@code java} that runs the tests, so children use the same JDK. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** Waits for the process to end; returns its exit code, or throws if it outlives the timeout. */
  public int waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    if (!process.waitFor(timeout, unit)) {
      close();
      throw new IllegalStateException(
          name
              + " did not finish within "
              + timeout
              + " "
              + unit
              + "; last lines of "
              + log
              + ":\n"
              + tail(40));
    }
    return process.exitValue();
  }

  public Path log() {
    return log;
  }

  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** The last {@code n} lines of the log. */
  public String tail(int n) {
    List<String> lines = output().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  /** Fails with the log's tail if the process has ended. */
  public void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          name
              + " exited with "
              + process.exitValue()
              + "; last lines of "
              + log
              + ":\n"
              + tail(40));
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
