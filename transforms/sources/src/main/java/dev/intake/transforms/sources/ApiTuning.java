package dev.intake.transforms.sources;

import static dev.intake.transforms.model.Arguments.check;

import java.io.Serializable;
import java.time.Duration;

/**
 * How hard a run may drive an API, whatever its protocol: chosen by the user per run (options), not
 * by the spec. Immutable; {@link #defaults()} then {@code withX()}, each checking its argument.
 */
public final class ApiTuning implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String baseUrl;
  private final Integer pageSize;
  private final Duration requestTimeout;
  private final int retryBudget;
  private final int maxPagesPerWindow;
  private final int maxConcurrentRequests;
  private final Integer requestsPerMinute;

  private ApiTuning(String baseUrl, Integer pageSize, Duration requestTimeout, int retryBudget,
      int maxPagesPerWindow, int maxConcurrentRequests, Integer requestsPerMinute) {
    this.baseUrl = baseUrl;
    this.pageSize = pageSize;
    this.requestTimeout = requestTimeout;
    this.retryBudget = retryBudget;
    this.maxPagesPerWindow = maxPagesPerWindow;
    this.maxConcurrentRequests = maxConcurrentRequests;
    this.requestsPerMinute = requestsPerMinute;
  }

  /**
   * The spec's base URL, page size and rate limit, 60 s per request, 100 retries, 100 pages, 4 in
   * flight.
   */
  public static ApiTuning defaults() {
    return new ApiTuning(null, null, Duration.ofSeconds(60), 100, 100, 4, null);
  }

  /** Another base URL than the spec's (tests point it at a local server); null: the spec's. */
  public ApiTuning withBaseUrl(String url) {
    return new ApiTuning(url, pageSize, requestTimeout, retryBudget, maxPagesPerWindow,
        maxConcurrentRequests, requestsPerMinute);
  }

  /** Records per page instead of the spec's; null: the spec's. The source checks its own limit. */
  public ApiTuning withPageSize(Integer rows) {
    check(rows == null || rows > 0, "pageSize must be > 0, but was %s", rows);
    return new ApiTuning(baseUrl, rows, requestTimeout, retryBudget, maxPagesPerWindow,
        maxConcurrentRequests, requestsPerMinute);
  }

  public ApiTuning withRequestTimeout(Duration timeout) {
    check(timeout != null && !timeout.isNegative() && !timeout.isZero(),
        "requestTimeout must be > 0, but was %s", timeout);
    return new ApiTuning(baseUrl, pageSize, timeout, retryBudget, maxPagesPerWindow,
        maxConcurrentRequests, requestsPerMinute);
  }

  /** Retries one worker process may spend in a run, all requests together. */
  public ApiTuning withRetryBudget(int retries) {
    check(retries >= 0, "retryBudget must be >= 0, but was %s", retries);
    return new ApiTuning(baseUrl, pageSize, requestTimeout, retries, maxPagesPerWindow,
        maxConcurrentRequests, requestsPerMinute);
  }

  /** Pages one window may have before it is split in two. */
  public ApiTuning withMaxPagesPerWindow(int pages) {
    check(pages > 0, "maxPagesPerWindow must be > 0, but was %s", pages);
    return new ApiTuning(baseUrl, pageSize, requestTimeout, retryBudget, pages,
        maxConcurrentRequests, requestsPerMinute);
  }

  /** Requests in flight at once per worker process. */
  public ApiTuning withMaxConcurrentRequests(int requests) {
    check(requests > 0, "maxConcurrentRequests must be > 0, but was %s", requests);
    return new ApiTuning(baseUrl, pageSize, requestTimeout, retryBudget, maxPagesPerWindow,
        requests, requestsPerMinute);
  }

  /**
   * Requests per minute one worker process may send to the API (a client-side limit on top of the
   * server's); null: the spec's. Sources without a client-side limit ignore it.
   */
  public ApiTuning withRequestsPerMinute(Integer requests) {
    check(requests == null || requests > 0, "requestsPerMinute must be > 0, but was %s",
        requests);
    return new ApiTuning(baseUrl, pageSize, requestTimeout, retryBudget, maxPagesPerWindow,
        maxConcurrentRequests, requests);
  }

  /** Null: the spec's. */
  public Integer requestsPerMinute() {
    return requestsPerMinute;
  }

  /** Null: the spec's. */
  public String baseUrl() {
    return baseUrl;
  }

  /** Null: the spec's. */
  public Integer pageSize() {
    return pageSize;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public int retryBudget() {
    return retryBudget;
  }

  public int maxPagesPerWindow() {
    return maxPagesPerWindow;
  }

  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }
}
