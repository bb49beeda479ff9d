package dev.intake.transforms.sources.rest;

import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.sources.ApiSource;
import dev.intake.transforms.sources.ApiTuning;
import dev.intake.transforms.sources.SourceAccessException;
import dev.intake.transforms.sources.TimeWindow;
import dev.intake.transforms.sources.WindowCounter;
import dev.intake.transforms.sources.http.ApiException;
import dev.intake.transforms.sources.http.ApiRequest;
import dev.intake.transforms.sources.http.Auth;
import dev.intake.transforms.sources.http.JsonPaths;
import dev.intake.transforms.sources.http.MalformedAnswerException;
import dev.intake.transforms.sources.http.PagedWindowFetcher;
import dev.intake.transforms.sources.http.RateLimiter;
import dev.intake.transforms.sources.http.RawPage;
import dev.intake.transforms.sources.http.ReadApiPages;
import dev.intake.transforms.sources.http.ReadRawPages;
import dev.intake.transforms.sources.http.Requester;
import dev.intake.transforms.sources.http.RetryPolicy;
import dev.intake.transforms.sources.http.Sleeper;
import dev.intake.transforms.sources.http.WindowFetcher;
import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * A REST source as its spec's {@code source} section declares it ({@link HttpSourceType}): the
 * records {@link Endpoint}, optionally a {@code check} endpoint and a {@code deletions} endpoint,
 * the auth, the client-side rate limit, the retried statuses, where error bodies hold their
 * message, and the page sizes. Immutable and serializable; it holds the name of the variable with
 * the secret, never the secret.
 *
 * <p>{@link #prepare} settles the run's settings (base URL, page size at most {@code maxPageSize},
 * requests per minute: the tuning's, else the spec's) and sends one request: the {@code check}
 * endpoint, else the records endpoint's first page of the empty window {@code [now, now)} with a
 * limit of 1. A refusal (401, 403, 404, ...), a missing secret or exhausted retries fail with a
 * {@link SourceAccessException} of one line that never holds the secret.
 */
public final class HttpSource implements ApiSource {
  private static final long serialVersionUID = 1L;

  /** What the spec says besides the endpoints; all checked by {@link HttpSourceType}. */
  record Settings(String label, String format, String baseUrl, Auth auth, int requestsPerMinute,
      Set<Integer> retryOn, String requestIdHeader, String errorMessage, String errorCode,
      int pageSize, int maxPageSize, String countPath) implements Serializable {}

  private final Settings settings;
  private final Endpoint records;
  private final Endpoint check;
  private final Endpoint deletions;
  private final ApiSource.Deletions deletionsFormat;

  HttpSource(Settings settings, Endpoint records, Endpoint check, Endpoint deletions,
      ApiSource.Deletions deletionsFormat) {
    this.settings = settings;
    this.records = records;
    this.check = check;
    this.deletions = deletions;
    this.deletionsFormat = deletionsFormat;
  }

  @Override
  public ApiSource.Deletions deletions() {
    return deletionsFormat;
  }

  @Override
  public String type() {
    return HttpSourceType.NAME;
  }

  @Override
  public String format() {
    return settings.format();
  }

  @Override
  public List<String> secretEnvs() {
    return settings.auth().secretEnvs();
  }

  /** The records endpoint, for tests and for window planning. */
  Endpoint records() {
    return records;
  }

  /**
   * The spec's {@code deletions} endpoint (same keys as the records endpoint: its request, its
   * paginator, where its records are), when it has one. Declared and checked at spec load, read
   * by {@link ApiSource.Prepared#readDeletions}.
   */
  Optional<Endpoint> deletionsEndpoint() {
    return Optional.ofNullable(deletions);
  }

  @Override
  public ApiSource.Prepared prepare(ApiTuning tuning, Consumer<String> log) {
    return prepare(tuning, log, System::getenv, Clock.systemUTC());
  }

  /** For tests: the environment the secret is read from and the clock of the check are given. */
  ApiSource.Prepared prepare(ApiTuning tuning, Consumer<String> log,
      UnaryOperator<String> environment, Clock clock) {
    Objects.requireNonNull(tuning, "tuning must not be null");
    Objects.requireNonNull(log, "log must not be null");
    Run run = run(tuning);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    ApiRequest probe = check != null ? check.firstPage(run.base(), now, now, 1)
        : records.firstPage(run.base(), now, now, 1);
    Endpoint answeredBy = check != null ? check : records;
    try (Requester requester = run.requester(environment, Sleeper.REAL, clock)) {
      requester.send(probe, body -> answeredBy.records.select(body, List.of()));
    } catch (ApiException e) {
      throw new SourceAccessException(e.getMessage());
    }
    log.accept(settings.label() + ": " + run.describe());
    return new Tuned(run, deletions, tuning.maxConcurrentRequests());
  }

  /** The settings of one run with {@code tuning}. */
  Run run(ApiTuning tuning) {
    int rows = tuning.pageSize() != null ? tuning.pageSize() : settings.pageSize();
    if (rows > settings.maxPageSize()) {
      throw new IllegalArgumentException("pageSize must be at most " + settings.maxPageSize()
          + " (the spec's maxPageSize), but was " + rows);
    }
    String base = tuning.baseUrl() != null ? tuning.baseUrl() : settings.baseUrl();
    HttpUrl url = HttpSourceType.httpUrl(base);
    if (url == null) {
      throw new IllegalArgumentException("the base URL must be an http(s) URL, but was " + base);
    }
    int perMinute = tuning.requestsPerMinute() != null ? tuning.requestsPerMinute()
        : settings.requestsPerMinute();
    return new Run(settings, records, url.toString(), rows, perMinute, tuning.requestTimeout(),
        tuning.retryBudget(), tuning.retryShare(), tuning.maxPagesPerWindow(),
        tuning.maxPageBytes());
  }

  @Override
  public PTransform<PBegin, PCollection<SourceRecord>> replay(List<RawPage> pages) {
    return ReadRawPages.of(pages, records.records);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpSource s && settings.equals(s.settings) && records.equals(s.records)
        && Objects.equals(check, s.check) && Objects.equals(deletions, s.deletions)
        && Objects.equals(deletionsFormat, s.deletionsFormat);
  }

  @Override
  public int hashCode() {
    return Objects.hash(settings, records, check, deletions);
  }

  @Override
  public String toString() {
    return "HttpSource{" + settings.label() + " " + settings.baseUrl() + " " + records + "}";
  }

  /** One run's settings, as workers open requesters and fetchers from them. */
  record Run(Settings settings, Endpoint records, String baseUrl, int pageSize,
      int requestsPerMinute, Duration timeout, int retryBudget, double retryShare,
      int maxPagesPerWindow, int maxPageBytes) implements Serializable {
    HttpUrl base() {
      return HttpUrl.get(baseUrl);
    }

    /** "https://api.example.com POST /v4/search, 1000 per page, 200 requests/min". */
    String describe() {
      return baseUrl.replaceAll("/$", "") + " " + records.method + " " + records.path + ", "
          + pageSize + " per page, "
          + (requestsPerMinute > 0 ? requestsPerMinute + " requests/min" : "no rate limit");
    }

    /** A requester with the secret read from {@code environment} now. */
    Requester requester(UnaryOperator<String> environment, Sleeper sleeper, Clock clock) {
      RetryPolicy policy = RetryPolicy.defaults().withRetryableStatuses(settings.retryOn())
          .withRetryBudget(retryBudget)
          .withRetryShare(retryShare);
      return Requester.builder(settings.label())
          .retryPolicy(policy)
          .timeout(timeout)
          .auth(settings.auth())
          .requestIdHeader(settings.requestIdHeader())
          .errorDetail(this::errorDetail)
          .environment(environment)
          .sleeper(sleeper)
          .clock(clock)
          .rateLimiter(requestsPerMinute > 0 ? RateLimiter.shared(baseUrl, requestsPerMinute)
              : null)
          .maxPageBytes(maxPageBytes)
          .build();
    }

    /** A fetcher of the records endpoint's pages. */
    PagedWindowFetcher fetcher(Requester requester) {
      return fetcher(requester, records, maxPagesPerWindow, settings.label());
    }

    /** A fetcher of {@code endpoint}'s pages, at most {@code maxPages} per window. */
    PagedWindowFetcher fetcher(Requester requester, Endpoint endpoint, int maxPages,
        String what) {
      return PagedWindowFetcher.of(requester, endpoint.records,
          endpoint.paginator(base(), pageSize), maxPages, what);
    }

    /** "CODE (message)" at the spec's error paths, or empty when the body has neither. */
    Optional<String> errorDetail(String body) {
      String message = settings.errorMessage() == null ? null
          : JsonPaths.scalar(body, JsonPaths.parse(settings.errorMessage()));
      String code = settings.errorCode() == null ? null
          : JsonPaths.scalar(body, JsonPaths.parse(settings.errorCode()));
      if (message == null && code == null) {
        return Optional.empty();
      }
      return Optional.of(code == null ? Requester.clip(message) : message == null
          ? Requester.clip(code) : Requester.clip(code) + " (" + Requester.clip(message) + ")");
    }
  }

  /** The source checked for one run. */
  private static final class Tuned implements ApiSource.Prepared {
    private static final long serialVersionUID = 1L;

    private final Run run;
    private final Endpoint deletions;
    private final int maxConcurrentRequests;

    Tuned(Run run, Endpoint deletions, int maxConcurrentRequests) {
      this.run = run;
      this.deletions = deletions;
      this.maxConcurrentRequests = maxConcurrentRequests;
    }

    /**
     * Every page of the deletions endpoint, as one window (the endpoint is not filtered by time;
     * a deletion already applied changes nothing when read again).
     */
    @Override
    public PTransform<PBegin, PCollection<SourceRecord>> readDeletions(String rawDirectory) {
      if (deletions == null) {
        return null;
      }
      long now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toEpochMilli();
      TimeWindow all = TimeWindow.of(new org.joda.time.Instant(0), new org.joda.time.Instant(now));
      return ReadApiPages.of(Fetchers.deletions(run, deletions), List.of(all), rawDirectory);
    }

    @Override
    public String describe() {
      return run.describe();
    }

    @Override
    public PTransform<PBegin, PCollection<SourceRecord>> read(List<TimeWindow> windows,
        String rawDirectory) {
      return ReadApiPages.of(Fetchers.records(run), windows, rawDirectory)
          .withMaxConcurrentRequests(maxConcurrentRequests);
    }

    /** Counts by the spec's {@code count} path, or null when the spec names none. */
    @Override
    public WindowCounter counter() {
      return run.settings().countPath() == null ? null
          : new Counter(run, run.requester(System::getenv, Sleeper.REAL, Clock.systemUTC()));
    }
  }

  /**
   * Counts a range with the records endpoint's first page of it, limit 1, read at the spec's
   * {@code count} path of the answer.
   */
  static final class Counter implements WindowCounter {
    private final Run run;
    private final Requester requester;
    private final List<String> path;

    Counter(Run run, Requester requester) {
      this.run = run;
      this.requester = requester;
      this.path = JsonPaths.parse(run.settings().countPath());
    }

    @Override
    public long count(Instant from, Instant to) throws IOException {
      ApiRequest request = run.records().firstPage(run.base(), from, to, 1);
      return requester.send(request, body -> {
        String value = JsonPaths.scalar(body, path);
        try {
          return Long.parseLong(value == null ? "" : value.trim());
        } catch (NumberFormatException e) {
          throw new MalformedAnswerException("an answer whose " + run.settings().countPath()
              + " is a whole number", value == null ? "it is missing" : "it is '"
              + Requester.clip(value) + "'");
        }
      }).value();
    }

    @Override
    public void close() {
      requester.close();
    }
  }

  /**
   * Opens a fetcher of one endpoint on a worker, reading the secret there: the records endpoint
   * with the run's pages per window, or the deletions endpoint as one window that is never split
   * (no cap below a million pages).
   */
  private static final class Fetchers implements WindowFetcher.Factory {
    private static final long serialVersionUID = 1L;
    private static final int DELETION_PAGES = 1_000_000;

    private final Run run;
    private final Endpoint endpoint;
    private final int maxPages;
    private final String what;

    private Fetchers(Run run, Endpoint endpoint, int maxPages, String what) {
      this.run = run;
      this.endpoint = endpoint;
      this.maxPages = maxPages;
      this.what = what;
    }

    static Fetchers records(Run run) {
      return new Fetchers(run, run.records(), run.maxPagesPerWindow(), run.settings().label());
    }

    static Fetchers deletions(Run run, Endpoint deletions) {
      return new Fetchers(run, deletions, DELETION_PAGES, run.settings().label() + " deletions");
    }

    @Override
    public WindowFetcher open() {
      Requester requester = run.requester(System::getenv, Sleeper.REAL, Clock.systemUTC());
      return run.fetcher(requester, endpoint, maxPages, what);
    }
  }
}
