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
  private final double retryShare;
  private final int maxPagesPerWindow;
  private final int maxConcurrentRequests;

  private ApiTuning(String baseUrl, Integer pageSize, Duration requestTimeout, int retryBudget,
      int maxPagesPerWindow, int maxConcurrentRequests) {
    this(baseUrl, pageSize, requestTimeout, retryBudget, 0.0, maxPagesPerWindow,
        maxConcurrentRequests);
  }

  private ApiTuning(String baseUrl, Integer pageSize, Duration requestTimeout, int retryBudget,
      double retryShare, int maxPagesPerWindow, int maxConcurrentRequests) {
    this.retryShare = retryShare;
    this.baseUrl = baseUrl;
    this.pageSize = pageSize;
    this.requestTimeout = requestTimeout;
    this.retryBudget = retryBudget;
    this.maxPagesPerWindow = maxPagesPerWindow;
    this.maxConcurrentRequests = maxConcurrentRequests;
  }

  /** The spec's base URL and page size, 60 s per request, 100 retries (share 0), 100 pages, 4 in
   * flight. */
  public static ApiTuning defaults() {
    return new ApiTuning(null, null, Duration.ofSeconds(60), 100, 100, 4);
  }

  /** Another base URL than the spec's (tests point it at a local server); null: the spec's. */
  public ApiTuning withBaseUrl(String url) {
    return new ApiTuning(url, pageSize, requestTimeout, retryBudget, retryShare, maxPagesPerWindow,
        maxConcurrentRequests);
  }

  /** Records per page instead of the spec's; null: the spec's. The source checks its own limit. */
  public ApiTuning withPageSize(Integer rows) {
    check(rows == null || rows > 0, "pageSize must be > 0, but was %s", rows);
    return new ApiTuning(baseUrl, rows, requestTimeout, retryBudget, retryShare, maxPagesPerWindow,
        maxConcurrentRequests);
  }

  public ApiTuning withRequestTimeout(Duration timeout) {
    check(timeout != null && !timeout.isNegative() && !timeout.isZero(),
        "requestTimeout must be > 0, but was %s", timeout);
    return new ApiTuning(baseUrl, pageSize, timeout, retryBudget, retryShare, maxPagesPerWindow,
        maxConcurrentRequests);
  }

  /** Retries one worker process may spend in a run whatever it sent: the budget's floor. */
  public ApiTuning withRetryBudget(int retries) {
    check(retries >= 0, "retryBudget must be >= 0, but was %s", retries);
    return new ApiTuning(baseUrl, pageSize, requestTimeout, retries, retryShare, maxPagesPerWindow,
        maxConcurrentRequests);
  }

  /**
   * Retries per request sent that a worker process may spend above the {@link #withRetryBudget}
   * floor (e.g. 0.5); 0: a fixed budget.
   */
  public ApiTuning withRetryShare(double share) {
    check(share >= 0 && share <= 100 && !Double.isNaN(share),
        "retryShare must be within [0, 100], but was %s", share);
    return new ApiTuning(baseUrl, pageSize, requestTimeout, retryBudget, share,
        maxPagesPerWindow, maxConcurrentRequests);
  }

  /** Pages one window may have before it is split in two. */
  public ApiTuning withMaxPagesPerWindow(int pages) {
    check(pages > 0, "maxPagesPerWindow must be > 0, but was %s", pages);
    return new ApiTuning(baseUrl, pageSize, requestTimeout, retryBudget, retryShare, pages,
        maxConcurrentRequests);
  }

  /** Requests in flight at once per worker process. */
  public ApiTuning withMaxConcurrentRequests(int requests) {
    check(requests > 0, "maxConcurrentRequests must be > 0, but was %s", requests);
    return new ApiTuning(baseUrl, pageSize, requestTimeout, retryBudget, retryShare, maxPagesPerWindow,
        requests);
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

  public double retryShare() {
    return retryShare;
  }

  public int maxPagesPerWindow() {
    return maxPagesPerWindow;
  }

  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }
}
