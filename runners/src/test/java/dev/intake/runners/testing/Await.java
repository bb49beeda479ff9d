package dev.intake.runners.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition about another process until it holds, with a deadline. */
public final class Await {
  private Await() {}

  /**
   * Returns once {@code condition} holds; runs {@code check} before each poll (it throws if the
   * process being waited for has died) and fails after {@code timeout}.
   */
  public static void until(String what, Duration timeout, Runnable check, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      check.run();
      if (condition.getAsBoolean()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      // Polling: the other process offers no event to wait on.
      Thread.sleep(200);
    }
  }
}
