package dev.intake.pipeline;

import java.io.PrintStream;

/**
 * Where {@code intake run} shows progress: on a terminal, one live line rewritten in place with a
 * carriage return; otherwise (cron, CI, a file) a plain {@code intake: progress: …} line each time.
 */
final class Progress {
  private Progress() {}

  /** A live line when the process has a terminal ({@link System#console()}), else log lines. */
  static ProgressReport.Sink forTerminal(PrintStream err) {
    return System.console() != null ? live(err) : line -> err.println("intake: " + line);
  }

  /** One line rewritten in place; {@link ProgressReport.Sink#end} moves past it. */
  static ProgressReport.Sink live(PrintStream err) {
    return new ProgressReport.Sink() {
      private int shown;

      @Override
      public synchronized void show(String line) {
        String text = "intake: " + line;
        err.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
        err.flush();
        shown = text.length();
      }

      @Override
      public synchronized void end() {
        if (shown > 0) {
          err.println();
          shown = 0;
        }
      }
    };
  }
}
