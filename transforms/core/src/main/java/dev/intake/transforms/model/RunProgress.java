package dev.intake.transforms.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How far a run has come, counted in this JVM: API windows and pages fetched, records read and
 * their bytes. Steps that run in the process that started the job (DirectRunner, embedded Flink)
 * add to it from any thread, and the run's progress reporter reads it while the job runs; on a
 * remote cluster the workers' counts stay in their own JVMs, so this process sees zeros. Beam's
 * counters are the durable record of a run; these figures only feed the progress line.
 * Registered by a key the run chooses (its raw-layer folder), removed with {@link #forget}.
 */
public final class RunProgress {
  private static final Map<String, RunProgress> RUNS = new ConcurrentHashMap<>();

  private final LongAdder windows = new LongAdder();
  private final LongAdder pages = new LongAdder();
  private final LongAdder records = new LongAdder();
  private final LongAdder bytes = new LongAdder();

  private RunProgress() {}

  /** The progress registered under {@code key}, created when missing. */
  public static RunProgress of(String key) {
    return RUNS.computeIfAbsent(key, k -> new RunProgress());
  }

  /** Drops the progress registered under {@code key}. */
  public static void forget(String key) {
    RUNS.remove(key);
  }

  public void windowDone() {
    windows.increment();
  }

  public void pageDone() {
    pages.increment();
  }

  /** Counts one record read, of {@code length} bytes (characters, for text). */
  public void recordRead(long length) {
    records.increment();
    bytes.add(length);
  }

  public long windows() {
    return windows.sum();
  }

  public long pages() {
    return pages.sum();
  }

  public long records() {
    return records.sum();
  }

  public long bytes() {
    return bytes.sum();
  }
}
