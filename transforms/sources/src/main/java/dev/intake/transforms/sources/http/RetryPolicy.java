package dev.intake.transforms.sources.http;

import static dev.intake.transforms.model.Arguments.check;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which answers a {@link Requester} retries and how long it waits. Besides the retryable
 * statuses, connection errors, timeouts and a truncated or unusable 200 are always retried.
 * Immutable and serializable; {@link #defaults()} then {@code withX()}, each checking its
 * argument.
 *
 * <p>Defaults: statuses 202, 429, 500, 502, 503, 504; 8 retries per request within a budget of
 * 100 per requester (all threads together); full-jitter exponential backoff from 500 ms up to 30 s,
 * which also caps a {@code Retry-After}.
 */
public final class RetryPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Set<Integer> retryableStatuses;
  private final int maxRetriesPerRequest;
  private final int retryBudget;
  private final Duration backoffBase;
  private final Duration backoffMax;

  private RetryPolicy(Set<Integer> retryableStatuses, int maxRetriesPerRequest, int retryBudget,
      Duration backoffBase, Duration backoffMax) {
    this.retryableStatuses = retryableStatuses;
    this.maxRetriesPerRequest = maxRetriesPerRequest;
    this.retryBudget = retryBudget;
    this.backoffBase = backoffBase;
    this.backoffMax = backoffMax;
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(Set.of(202, 429, 500, 502, 503, 504), 8, 100, Duration.ofMillis(500),
        Duration.ofSeconds(30));
  }

  /** The HTTP statuses worth retrying, each in 100..599 (200 is never one: it is an answer). */
  public RetryPolicy withRetryableStatuses(Set<Integer> statuses) {
    check(statuses != null && statuses.stream().allMatch(s -> s != null && s >= 100 && s <= 599
        && s != 200), "retryableStatuses must be HTTP statuses other than 200, but was %s",
        statuses);
    return new RetryPolicy(Set.copyOf(statuses), maxRetriesPerRequest, retryBudget, backoffBase,
        backoffMax);
  }

  public RetryPolicy withMaxRetriesPerRequest(int retries) {
    check(retries >= 0, "maxRetriesPerRequest must be >= 0, but was %s", retries);
    return new RetryPolicy(retryableStatuses, retries, retryBudget, backoffBase, backoffMax);
  }

  /** Retries one requester may spend over its life, all threads together. */
  public RetryPolicy withRetryBudget(int retries) {
    check(retries >= 0, "retryBudget must be >= 0, but was %s", retries);
    return new RetryPolicy(retryableStatuses, maxRetriesPerRequest, retries, backoffBase,
        backoffMax);
  }

  /** The longest wait before the first retry (doubled each retry, with full jitter). */
  public RetryPolicy withBackoffBase(Duration base) {
    check(base != null && !base.isNegative() && !base.isZero(),
        "backoffBase must be > 0, but was %s", base);
    return new RetryPolicy(retryableStatuses, maxRetriesPerRequest, retryBudget, base,
        backoffMax);
  }

  /** The longest wait before any retry, also capping {@code Retry-After}. */
  public RetryPolicy withBackoffMax(Duration max) {
    check(max != null && !max.isNegative() && !max.isZero(),
        "backoffMax must be > 0, but was %s", max);
    return new RetryPolicy(retryableStatuses, maxRetriesPerRequest, retryBudget, backoffBase,
        max);
  }

  public Set<Integer> retryableStatuses() {
    return retryableStatuses;
  }

  public int maxRetriesPerRequest() {
    return maxRetriesPerRequest;
  }

  public int retryBudget() {
    return retryBudget;
  }

  public Duration backoffBase() {
    return backoffBase;
  }

  public Duration backoffMax() {
    return backoffMax;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy p && retryableStatuses.equals(p.retryableStatuses)
        && maxRetriesPerRequest == p.maxRetriesPerRequest && retryBudget == p.retryBudget
        && backoffBase.equals(p.backoffBase) && backoffMax.equals(p.backoffMax);
  }

  @Override
  public int hashCode() {
    return Objects.hash(retryableStatuses, maxRetriesPerRequest, retryBudget, backoffBase,
        backoffMax);
  }

  @Override
  public String toString() {
    return "RetryPolicy{statuses=" + new TreeSet<>(retryableStatuses)
        + ", maxRetriesPerRequest=" + maxRetriesPerRequest + ", retryBudget=" + retryBudget
        + ", backoff=" + backoffBase + ".." + backoffMax + "}";
  }
}
