package dev.intake.runners.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the deployable artifact as a user would: {@code java -jar target/intake.jar run …}, in its
 * own JVM, and keeps what it printed. The jar's path comes from the system property {@code
 * intake.jar} (set by the build), so these tests run in the integration-test phase.
 */
public final class IntakeJar {
  private final Path jar;
  private final Path logDir;
  private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx2g"));
  private final Map<String, String> env = new LinkedHashMap<>();

  private IntakeJar(Path jar, Path logDir) {
    this.jar = jar;
    this.logDir = logDir;
  }

  /** The jar named by the {@code intake.jar} system property; logs go to {@code logDir}. */
  public static IntakeJar fromBuild(Path logDir) {
    String path = System.getProperty("intake.jar");
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException(
          "system property intake.jar ("
              + path
              + ") names no file; "
              + "run these tests with mvn verify, which builds runners/target/intake.jar first");
    }
    return new IntakeJar(Path.of(path), logDir);
  }

  public Path path() {
    return jar;
  }

  /** Adds a JVM option (e.g. {@code -Dintake.failpoint=write.parquet}) to later runs. */
  public IntakeJar withJvmOption(String option) {
    IntakeJar copy = copy();
    copy.jvmOptions.add(option);
    return copy;
  }

  /** Adds an environment variable to later runs. */
  public IntakeJar withEnv(String name, String value) {
    IntakeJar copy = copy();
    copy.env.put(name, value);
    return copy;
  }

  private IntakeJar copy() {
    IntakeJar c = new IntakeJar(jar, logDir);
    c.jvmOptions.clear();
    c.jvmOptions.addAll(jvmOptions);
    c.env.putAll(env);
    return c;
  }

  /** Runs {@code intake run <args>}; {@code name} names the log file. */
  public Result run(String name, List<String> args) throws IOException, InterruptedException {
    Files.createDirectories(logDir);
    List<String> command = new ArrayList<>();
    command.add(ChildProcess.java());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.add("run");
    command.addAll(args);
    Path log = logDir.resolve(name + ".log");
    Files.deleteIfExists(log);
    long start = System.nanoTime();
    ChildProcess p = ChildProcess.start("intake " + name, command, logDir, env, log);
    int code = p.waitFor(6, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(name, code, p.output(), seconds);
  }

  /** What one run did. */
  public static final class Result {
    public final String name;
    public final int exitCode;
    public final String output;
    public final double wallSeconds;

    Result(String name, int exitCode, String output, double wallSeconds) {
      this.name = name;
      this.exitCode = exitCode;
      this.output = output;
      this.wallSeconds = wallSeconds;
    }

    /** The lines Intake itself wrote ({@code intake: …} on stderr and the summary on stdout). */
    public List<String> intakeLines() {
      return output.lines().filter(l -> l.startsWith("intake")).toList();
    }

    @Override
    public String toString() {
      List<String> lines = output.lines().toList();
      return name
          + ": exit "
          + exitCode
          + " after "
          + String.format("%.1f s", wallSeconds)
          + "; last lines:\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
  }
}
