package dev.intake.pipeline;

import dev.intake.transforms.model.RunProgress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Shows how far a running pipeline has come, every {@code interval}: API windows and pages done
 * of those planned, rows read, the rate and an estimate of the time left. The figures come from
 * the run's {@link RunProgress}, which the steps feed in this process; on a runner whose workers
 * are other processes (a Flink cluster, Dataflow) nothing is counted here, so the report says once
 * that only the start and the end are shown. Closing it stops the reports and ends a live line.
 */
final class ProgressReport implements AutoCloseable {
  /** Where progress lines go: a live terminal line, rewritten in place, or plain log lines. */
  interface Sink {
    void show(String line);

    /** Ends a live line (a newline after the last one); nothing for log lines. */
    default void end() {}
  }

  /** What the run reads, for the totals and the estimate. */
  record Totals(boolean api, long windows, long rows, long bytes) {}

  private final RunProgress progress;
  private final Totals totals;
  private final Sink sink;
  private final LongSupplier clock;
  private final long startNanos;
  private final ScheduledExecutorService timer;

  private ProgressReport(RunProgress progress, Totals totals, Sink sink, LongSupplier clock,
      Duration interval) {
    this.progress = progress;
    this.totals = totals;
    this.sink = sink;
    this.clock = clock;
    this.startNanos = clock.getAsLong();
    if (interval.isZero()) {
      this.timer = null;
      return;
    }
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "intake-progress");
      t.setDaemon(true);
      return t;
    });
    long every = interval.toMillis();
    timer.scheduleAtFixedRate(() -> sink.show(line()), every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts reporting {@code progress} every {@code interval} (zero: never); {@code inProcess} says
   * whether the pipeline's steps run in this process, otherwise one line says what is shown.
   */
  static ProgressReport start(RunProgress progress, Totals totals, Duration interval,
      boolean inProcess, Sink sink) {
    if (!interval.isZero() && !inProcess) {
      sink.show("progress is not shown for a runner whose workers are other processes; the"
          + " summary follows when the run ends");
      return new ProgressReport(progress, totals, sink, System::nanoTime, Duration.ZERO);
    }
    return new ProgressReport(progress, totals, sink, System::nanoTime, interval);
  }

  /** A report that is only read with {@link #line()} (for tests with their own clock). */
  static ProgressReport manual(RunProgress progress, Totals totals, LongSupplier clock) {
    return new ProgressReport(progress, totals, line -> {}, clock, Duration.ZERO);
  }

  /** The progress line for now. */
  String line() {
    double seconds = Math.max(1e-3, (clock.getAsLong() - startNanos) / 1e9);
    long rows = progress.records();
    StringBuilder b = new StringBuilder("progress: ");
    Double done = null;
    if (totals.api()) {
      long windows = progress.windows();
      b.append(String.format(Locale.ROOT, "windows %,d/%,d, pages %,d, rows %,d", windows,
          totals.windows(), progress.pages(), rows));
      if (totals.rows() > 0) {
        b.append(String.format(Locale.ROOT, " of ~%,d", totals.rows()));
        done = Math.min(1.0, rows / (double) totals.rows());
      } else if (totals.windows() > 0) {
        done = windows / (double) totals.windows();
      }
    } else {
      long bytes = progress.bytes();
      b.append(String.format(Locale.ROOT, "rows %,d", rows));
      if (totals.bytes() > 0 && bytes <= totals.bytes()) {
        b.append(String.format(Locale.ROOT, ", %s of %s", megabytes(bytes),
            megabytes(totals.bytes())));
        done = bytes / (double) totals.bytes();
      }
    }
    if (done != null) {
      b.append(String.format(Locale.ROOT, " (%d%%)", Math.round(done * 100)));
    }
    b.append(String.format(Locale.ROOT, ", %,.0f rows/s", rows / seconds));
    boolean allWindows = totals.api() && progress.windows() >= totals.windows();
    if (allWindows || (done != null && done >= 1)) {
      b.append(", reading done, writing");
    } else if (done != null && done > 0) {
      long eta = Math.round(seconds * (1 - done) / done);
      b.append(eta >= 1 ? ", ETA " + duration(eta) : ", reading done, writing");
    }
    b.append(", ").append(duration(Math.round(seconds))).append(" elapsed");
    return b.toString();
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /** "45 s", "3 min 05 s", "2 h 04 min". */
  static String duration(long seconds) {
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, (seconds % 3600) / 60);
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    sink.end();
  }
}
