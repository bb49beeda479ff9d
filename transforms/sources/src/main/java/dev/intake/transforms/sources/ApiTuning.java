package dev.intake.transforms.sources;

import static dev.intake.transforms.model.Arguments.check;

import dev.intake.transforms.model.InputBounds;
import java.io.Serializable;
import java.time.Duration;

/**
 * How hard a run may drive an API, whatever its protocol: chosen by the user per run (options), not
 * by the spec. Immutable; {@link #defaults()} then {@code withX()}, each checking its argument.
 */
public final class ApiTuning implements Serializable {
  private static final long serialVersionUID = 2L;

  private String baseUrl;
  private Integer pageSize;
  private Duration requestTimeout;
  private int retryBudget;
  private double retryShare;
  private int maxPagesPerWindow;
  private int maxConcurrentRequests;
  private Integer requestsPerMinute;
  private int maxPageBytes;

  private ApiTuning() {}

  /**
   * The spec's base URL, page size and rate limit, 60 s per request, 100 retries (share 0), 100
   * pages, 4 in flight, answers of at most 256 MiB.
   */
  public static ApiTuning defaults() {
    ApiTuning t = new ApiTuning();
    t.requestTimeout = Duration.ofSeconds(60);
    t.retryBudget = 100;
    t.maxPagesPerWindow = 100;
    t.maxConcurrentRequests = 4;
    t.maxPageBytes = InputBounds.defaults().maxPageBytes();
    return t;
  }

  private ApiTuning copy() {
    ApiTuning t = new ApiTuning();
    t.baseUrl = baseUrl;
    t.pageSize = pageSize;
    t.requestTimeout = requestTimeout;
    t.retryBudget = retryBudget;
    t.retryShare = retryShare;
    t.maxPagesPerWindow = maxPagesPerWindow;
    t.maxConcurrentRequests = maxConcurrentRequests;
    t.requestsPerMinute = requestsPerMinute;
    t.maxPageBytes = maxPageBytes;
    return t;
  }

  /** The largest answer body (one page) a request may get, in bytes; larger fails the run. */
  public ApiTuning withMaxPageBytes(int bytes) {
    check(bytes > 0, "maxPageBytes must be > 0, but was %s", bytes);
    ApiTuning t = copy();
    t.maxPageBytes = bytes;
    return t;
  }

  public int maxPageBytes() {
    return maxPageBytes;
  }

  /** Another base URL than the spec's (tests point it at a local server); null: the spec's. */
  public ApiTuning withBaseUrl(String url) {
    ApiTuning t = copy();
    t.baseUrl = url;
    return t;
  }

  /** Records per page instead of the spec's; null: the spec's. The source checks its own limit. */
  public ApiTuning withPageSize(Integer rows) {
    check(rows == null || rows > 0, "pageSize must be > 0, but was %s", rows);
    ApiTuning t = copy();
    t.pageSize = rows;
    return t;
  }

  public ApiTuning withRequestTimeout(Duration timeout) {
    check(timeout != null && !timeout.isNegative() && !timeout.isZero(),
        "requestTimeout must be > 0, but was %s", timeout);
    ApiTuning t = copy();
    t.requestTimeout = timeout;
    return t;
  }

  /** Retries one worker process may spend in a run whatever it sent: the budget's floor. */
  public ApiTuning withRetryBudget(int retries) {
    check(retries >= 0, "retryBudget must be >= 0, but was %s", retries);
    ApiTuning t = copy();
    t.retryBudget = retries;
    return t;
  }

  /**
   * Retries per request sent that a worker process may spend above the {@link #withRetryBudget}
   * floor (e.g. 0.5); 0: a fixed budget.
   */
  public ApiTuning withRetryShare(double share) {
    check(share >= 0 && share <= 100 && !Double.isNaN(share),
        "retryShare must be within [0, 100], but was %s", share);
    ApiTuning t = copy();
    t.retryShare = share;
    return t;
  }

  /** Pages one window may have before it is split in two. */
  public ApiTuning withMaxPagesPerWindow(int pages) {
    check(pages > 0, "maxPagesPerWindow must be > 0, but was %s", pages);
    ApiTuning t = copy();
    t.maxPagesPerWindow = pages;
    return t;
  }

  /** Requests in flight at once per worker process. */
  public ApiTuning withMaxConcurrentRequests(int requests) {
    check(requests > 0, "maxConcurrentRequests must be > 0, but was %s", requests);
    ApiTuning t = copy();
    t.maxConcurrentRequests = requests;
    return t;
  }

  /**
   * Requests per minute one worker process may send to the API (a client-side limit on top of the
   * server's); null: the spec's. Sources without a client-side limit ignore it.
   */
  public ApiTuning withRequestsPerMinute(Integer requests) {
    check(requests == null || requests > 0, "requestsPerMinute must be > 0, but was %s",
        requests);
    ApiTuning t = copy();
    t.requestsPerMinute = requests;
    return t;
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
