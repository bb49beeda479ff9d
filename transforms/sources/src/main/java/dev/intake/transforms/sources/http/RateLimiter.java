package dev.intake.transforms.sources.http;

import static dev.intake.transforms.model.Arguments.check;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A client-side limit of requests per minute: each request takes the next free slot, slots being
 * {@code 60 s / requestsPerMinute} apart, so no minute ever holds more than the limit, whatever
 * the number of threads. A request whose slot is ahead waits for it (with the {@link Sleeper});
 * slots left unused do not accumulate into a burst. Thread-safe.
 *
 * <p>{@link #shared} gives one limiter per API and limit in the process, so every requester a
 * worker process opens for that API (all its threads, the access check) draws from the same one.
 */
public final class RateLimiter {
  private static final Map<String, RateLimiter> SHARED = new ConcurrentHashMap<>();

  private final int requestsPerMinute;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long nextSlot;
  private boolean started;

  private RateLimiter(int requestsPerMinute, LongSupplier nanoTime, Sleeper sleeper) {
    this.requestsPerMinute = requestsPerMinute;
    this.intervalNanos = Duration.ofMinutes(1).toNanos() / requestsPerMinute;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /** A limiter of its own, on the given time source and sleeper (tests use fakes of both). */
  public static RateLimiter of(int requestsPerMinute, LongSupplier nanoTime, Sleeper sleeper) {
    check(requestsPerMinute > 0, "requestsPerMinute must be > 0, but was %s", requestsPerMinute);
    check(nanoTime != null && sleeper != null, "nanoTime and sleeper must not be null");
    return new RateLimiter(requestsPerMinute, nanoTime, sleeper);
  }

  /** The process's limiter for {@code api} (e.g. its base URL) at this limit, on real time. */
  public static RateLimiter shared(String api, int requestsPerMinute) {
    check(requestsPerMinute > 0, "requestsPerMinute must be > 0, but was %s", requestsPerMinute);
    return SHARED.computeIfAbsent(api + " " + requestsPerMinute,
        k -> new RateLimiter(requestsPerMinute, System::nanoTime, Sleeper.REAL));
  }

  public int requestsPerMinute() {
    return requestsPerMinute;
  }

  /** Waits, if need be, for the next slot and takes it. */
  public void acquire() throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      long slot = !started || now - nextSlot > 0 ? now : nextSlot;
      started = true;
      nextSlot = slot + intervalNanos;
      wait = slot - now;
    }
    if (wait > 0) {
      sleeper.sleep(Duration.ofNanos(wait));
    }
  }

  @Override
  public String toString() {
    return "RateLimiter(" + requestsPerMinute + "/min)";
  }
}
