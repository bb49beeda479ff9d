package dev.intake.pipeline.testing;

import dev.intake.pipeline.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the real command-line entry point and keeps what it printed. */
public final class Cli {
  public final int exitCode;
  public final String out;
  public final String err;

  private Cli(int exitCode, String out, String err) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
  }

  public static Cli run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, o, e);
    }
    return new Cli(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The lines of stderr that Intake wrote (its "intake: …" lines), less its progress lines. */
  public List<String> errorLines() {
    List<String> lines = new ArrayList<>();
    for (String l : err.split("\n")) {
      if (l.startsWith("intake: ") && !l.startsWith("intake: progress: ")) {
        lines.add(l);
      }
    }
    return lines;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }

  public static String[] args(String... a) {
    return Arrays.copyOf(a, a.length);
  }
}
