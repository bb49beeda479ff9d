package dev.intake.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.intake.runners.testing.TestInputs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of compilers ({@code ./intake}, INTAKE_JIT): the fast compiler only for a
 * small run, the JVM's default for a large or unsized input, and the user's own choice over both.
 * The launcher runs with a stand-in {@code java} first on the PATH that records its arguments.
 */
class LauncherJitTest {
  private static final String QUICK = "-XX:TieredStopAtLevel=1";
  private static final long MIB = 1024 * 1024;

  @TempDir Path dir;
  private Path launcher;
  private Path jar;
  private Path javaArgs;

  @BeforeEach
  void standInJava() throws IOException {
    launcher = TestInputs.sf311().getParent().getParent().resolve("intake");
    jar = Files.writeString(dir.resolve("intake.jar"), "not a jar: the stand-in java never opens it");
    javaArgs = dir.resolve("java-args");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = Files.writeString(bin.resolve("java"),
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + javaArgs + "'\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void aSmallLocalInputRunsWithTheFastCompilerOnly() throws Exception {
    Path input = file("changes.csv", 2 * MIB);
    assertThat(javaOptions(Map.of(), "run", "--dataset=sf311", "--inputFile=" + input),
        hasItem(QUICK));
  }

  @Test
  void anInputOf64MibOrMoreKeepsBothCompilers() throws Exception {
    Path input = file("export.csv", 64 * MIB);
    assertThat(javaOptions(Map.of(), "run", "--dataset=sf311", "--inputFile=" + input),
        not(hasItem(QUICK)));
  }

  @Test
  void aGlobCountsAllItsFiles() throws Exception {
    file("parts/export-1.csv", 40 * MIB);
    file("parts/export-2.csv", 40 * MIB);
    assertThat(javaOptions(Map.of(), "run", "--inputFile=" + dir.resolve("parts/*.csv")),
        not(hasItem(QUICK)));
    assertThat(javaOptions(Map.of(), "run", "--inputFile=" + dir.resolve("parts/*-1.csv")),
        hasItem(QUICK));
  }

  @Test
  void anInputItCannotSizeOrAnApiBackfillKeepsBothCompilers() throws Exception {
    assertThat(javaOptions(Map.of(), "run", "--inputFile=s3://lake/exports/*.csv"),
        not(hasItem(QUICK)));
    assertThat(javaOptions(Map.of(), "run", "--dataset=sf311", "--from=2008-07-01"),
        not(hasItem(QUICK)));
    assertThat(javaOptions(Map.of(), "run", "--dataset=sf311", "--mode=incremental"),
        hasItem(QUICK));
  }

  @Test
  void theUsersChoiceWins() throws Exception {
    Path small = file("changes.csv", MIB);
    Path large = file("export.csv", 100 * MIB);
    assertThat(javaOptions(Map.of("INTAKE_JIT", "full"), "run", "--inputFile=" + small),
        not(hasItem(QUICK)));
    assertThat(javaOptions(Map.of("INTAKE_JIT", "quick"), "run", "--inputFile=" + large),
        hasItem(QUICK));
    List<String> own = javaOptions(
        Map.of("INTAKE_JAVA_OPTS", "-Xmx1g -XX:-TieredCompilation"), "run",
        "--inputFile=" + small);
    assertThat(own, not(hasItem(QUICK)));
    assertThat(own.subList(0, 2), equalTo(List.of("-Xmx1g", "-XX:-TieredCompilation")));
  }

  @Test
  void anUnknownChoiceIsAOneLineError() throws Exception {
    Process p = launch(Map.of("INTAKE_JIT", "fast"), "run");
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue(), equalTo(2));
    assertThat(err, equalTo("intake: INTAKE_JIT must be auto, quick or full, not 'fast'\n"));
  }

  /** A file of {@code bytes} bytes (sparse: only its size matters) under the test's folder. */
  private Path file(String name, long bytes) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(bytes);
    }
    return f;
  }

  /** The options the launcher hands java before {@code -jar}. */
  private List<String> javaOptions(Map<String, String> env, String... args) throws Exception {
    Process p = launch(env, args);
    assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8),
        p.exitValue(), equalTo(0));
    List<String> all = Files.readAllLines(javaArgs);
    return all.subList(0, all.indexOf("-jar"));
  }

  private Process launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile());
    b.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    b.environment().put("INTAKE_JAR", jar.toString());
    b.environment().put("INTAKE_CDS", "off");
    b.environment().remove("INTAKE_JIT");
    b.environment().remove("INTAKE_JAVA_OPTS");
    b.environment().putAll(env);
    Process p = b.start();
    p.getOutputStream().close();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the launcher did not finish: " + command);
    }
    return p;
  }
}
