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
 * <p>The budget is proportional to the work: a requester may spend {@code max(retryBudget,
 * retryShare × requests sent so far)} retries (all threads together), so a long run is not failed
 * by the same share of faults that a short one survives, while a broken API still stops a run
 * soon: with share 0.5, once retries exceed half the requests.
 *
 * <p>Defaults: statuses 202, 429, 500, 502, 503, 504; 8 retries per request within a budget of
 * 100 per requester and share 0 (a fixed budget); full-jitter exponential backoff from 500 ms up to
 * 30 s, which also caps a {@code Retry-After}.
 */
public final class RetryPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Set<Integer> retryableStatuses;
  private final int maxRetriesPerRequest;
  private final int retryBudget;
  private final double retryShare;
  private final Duration backoffBase;
  private final Duration backoffMax;

  private RetryPolicy(Set<Integer> retryableStatuses, int maxRetriesPerRequest, int retryBudget,
      Duration backoffBase, Duration backoffMax) {
    this(retryableStatuses, maxRetriesPerRequest, retryBudget, 0.0, backoffBase, backoffMax);
  }

  private RetryPolicy(Set<Integer> retryableStatuses, int maxRetriesPerRequest, int retryBudget,
      double retryShare, Duration backoffBase, Duration backoffMax) {
    this.retryableStatuses = retryableStatuses;
    this.maxRetriesPerRequest = maxRetriesPerRequest;
    this.retryBudget = retryBudget;
    this.retryShare = retryShare;
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
    return new RetryPolicy(Set.copyOf(statuses), maxRetriesPerRequest, retryBudget, retryShare,
        backoffBase, backoffMax);
  }

  public RetryPolicy withMaxRetriesPerRequest(int retries) {
    check(retries >= 0, "maxRetriesPerRequest must be >= 0, but was %s", retries);
    return new RetryPolicy(retryableStatuses, retries, retryBudget, retryShare, backoffBase,
        backoffMax);
  }

  /** Retries one requester may spend over its life whatever it sent: the budget's floor. */
  public RetryPolicy withRetryBudget(int retries) {
    check(retries >= 0, "retryBudget must be >= 0, but was %s", retries);
    return new RetryPolicy(retryableStatuses, maxRetriesPerRequest, retries, retryShare,
        backoffBase, backoffMax);
  }

  /**
   * Retries allowed per request sent, all threads together, above the {@link #withRetryBudget}
   * floor (e.g. 0.5: one retry for every two requests); 0: a fixed budget.
   */
  public RetryPolicy withRetryShare(double share) {
    check(share >= 0 && share <= 100 && !Double.isNaN(share),
        "retryShare must be within [0, 100], but was %s", share);
    return new RetryPolicy(retryableStatuses, maxRetriesPerRequest, retryBudget, share,
        backoffBase, backoffMax);
  }

  /** The longest wait before the first retry (doubled each retry, with full jitter). */
  public RetryPolicy withBackoffBase(Duration base) {
    check(base != null && !base.isNegative() && !base.isZero(),
        "backoffBase must be > 0, but was %s", base);
    return new RetryPolicy(retryableStatuses, maxRetriesPerRequest, retryBudget, retryShare, base,
        backoffMax);
  }

  /** The longest wait before any retry, also capping {@code Retry-After}. */
  public RetryPolicy withBackoffMax(Duration max) {
    check(max != null && !max.isNegative() && !max.isZero(),
        "backoffMax must be > 0, but was %s", max);
    return new RetryPolicy(retryableStatuses, maxRetriesPerRequest, retryBudget, retryShare,
        backoffBase, max);
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

  public double retryShare() {
    return retryShare;
  }

  /** The retries allowed after {@code requests} requests: the floor or the share, the larger. */
  public long budgetAfter(long requests) {
    return Math.max(retryBudget, (long) Math.floor(retryShare * requests));
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
        && retryShare == p.retryShare
        && backoffBase.equals(p.backoffBase) && backoffMax.equals(p.backoffMax);
  }

  @Override
  public int hashCode() {
    return Objects.hash(retryableStatuses, maxRetriesPerRequest, retryBudget, retryShare,
        backoffBase, backoffMax);
  }

  @Override
  public String toString() {
    return "RetryPolicy{statuses=" + new TreeSet<>(retryableStatuses)
        + ", maxRetriesPerRequest=" + maxRetriesPerRequest + ", retryBudget=" + retryBudget
        + ", retryShare=" + retryShare
        + ", backoff=" + backoffBase + ".." + backoffMax + "}";
  }
}
