package dev.intake.transforms.sources.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits before a retry; tests record the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  Sleeper REAL = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());

  void sleep(Duration duration) throws InterruptedException;
}
