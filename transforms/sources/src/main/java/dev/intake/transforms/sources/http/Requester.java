package dev.intake.transforms.sources.http;

import static dev.intake.transforms.model.Arguments.check;

import dev.intake.transforms.model.InputBounds;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link ApiRequest}s (GET or POST) with the credentials of an {@link Auth} and returns a
 * usable 200 answer, retrying what may pass: the {@link RetryPolicy}'s statuses, connection
 * errors, timeouts, and a truncated 200 or one whose body its {@link AnswerReader} rejects. It
 * waits a positive {@code Retry-After} (seconds or an HTTP date, capped by {@code backoffMax}),
 * else full-jitter exponential backoff. Every retry spends one unit of a budget shared by all
 * threads using this requester; share one requester per process to make it the process's budget.
 *
 * <p>Anything else throws an {@link ApiException} whose message is one line: "{@code <label>
 * answered <status> <detail> for <METHOD> <readable url> [request id <id>]}", where the detail
 * comes from the protocol's {@link Builder#errorDetail} function (else a glimpse of the body) and
 * the request id from the header {@link Builder#requestIdHeader} names. The secret is never part
 * of a URL it reports and is scrubbed from every message, even one an answer echoes. Redirects
 * are not followed (a header secret would travel to the other host). A 200 body larger than
 * {@link Builder#maxPageBytes} fails at once, read no further. Thread-safe; close it when done.
 *
 * <p>With a {@link RateLimiter} every attempt, retries included, first waits for its slot, so a
 * client-side limit holds on top of the server's 429s and {@code Retry-After}.
 */
public final class Requester implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Requester.class);
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int MAX_DETAIL = 300;
  private static final Duration MIN_BACKOFF = Duration.ofMillis(1);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  /** Turns a 200 body into what the caller needs, or rejects it (the requester then retries). */
  @FunctionalInterface
  public interface AnswerReader<T> {
    T read(byte[] body) throws MalformedAnswerException;
  }

  /** A usable 200 answer: the request, the exact body and what the reader made of it. */
  public record Answer<T>(ApiRequest request, String requestId, byte[] body, T value,
      Instant receivedAt) {}

  /** Why one attempt failed in a way worth retrying. */
  private record Problem(String description, int status, String requestId, Duration retryAfter,
      Throwable cause) {}

  /** Retries of a request whose connection is refused, before it gives up (a few seconds). */
  static final int MAX_RETRIES_WHEN_REFUSED = 3;

  private final String label;
  private final RetryPolicy policy;
  private final Credentials credentials;
  private final String requestIdHeader;
  private final Function<String, Optional<String>> errorDetail;
  private final String userAgent;
  private final Sleeper sleeper;
  private final Clock clock;
  private final OkHttpClient http;
  private final RateLimiter rateLimiter;
  private final int maxPageBytes;
  private final AtomicLong requestsSent = new AtomicLong();
  private final AtomicLong retriesSpent = new AtomicLong();

  private Requester(Builder b) {
    this.label = b.label;
    this.policy = b.policy;
    this.credentials = b.auth.resolve(b.environment);
    this.requestIdHeader = b.requestIdHeader;
    this.errorDetail = b.errorDetail;
    this.userAgent = b.userAgent;
    this.sleeper = b.sleeper;
    this.clock = b.clock;
    this.rateLimiter = b.rateLimiter;
    this.maxPageBytes = b.maxPageBytes;
    Duration timeout = b.timeout;
    this.http = new OkHttpClient.Builder()
        .callTimeout(timeout)
        .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout
            : Duration.ofSeconds(10))
        .readTimeout(timeout)
        .writeTimeout(timeout)
        // Every retry is ours, so each one is counted and backed off.
        .retryOnConnectionFailure(false)
        // OkHttp keeps a secret header on a redirect to another host: never follow one.
        .followRedirects(false)
        .followSslRedirects(false)
        // Shorter than common server keep-alive timeouts, so pooled connections are rarely stale.
        .connectionPool(new ConnectionPool(8, 20, TimeUnit.SECONDS))
        .build();
  }

  /**
   * A builder for a requester whose messages and logs start with {@code label} (the protocol's
   * name).
   * Defaults: {@link RetryPolicy#defaults()}, 60 s per request, {@link Auth#none()}, no request
   * id header, no protocol error detail, user agent "Intake/0.1", the process environment, real
   * sleeps, the UTC clock and no client-side rate limit.
   */
  public static Builder builder(String label) {
    return new Builder(label);
  }

  /**
   * The retries this requester may still spend now, all threads together: the policy's budget
   * after the requests sent so far, less the retries spent (it grows as requests are sent).
   */
  public int budgetLeft() {
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE,
        policy.budgetAfter(requestsSent.get()) - retriesSpent.get()));
  }

  /** Requests sent so far (each {@link #send}, however many attempts it took). */
  public long requestsSent() {
    return requestsSent.get();
  }

  /** Retries spent so far, all threads together. */
  public long retriesSpent() {
    return retriesSpent.get();
  }

  /** The retry budget after the requests sent so far (retries spent included). */
  public long retryBudget() {
    return policy.budgetAfter(requestsSent.get());
  }

  /** Sends {@code request} until a 200 that {@code reader} accepts comes back. */
  public <T> Answer<T> send(ApiRequest request, AnswerReader<T> reader) throws ApiException {
    if (credentials.problem() != null) {
      throw new ApiException(ApiException.Kind.MISSING_SECRET, credentials.problem());
    }
    requestsSent.incrementAndGet();
    for (int retries = 0; ; retries++) {
      Object outcome = attempt(request, reader);
      if (outcome instanceof Answer<?> answer) {
        @SuppressWarnings("unchecked")
        Answer<T> typed = (Answer<T>) answer;
        return typed;
      }
      Problem problem = (Problem) outcome;
      String what = problem.description() + " for " + request.describe()
          + requestIdSuffix(problem.requestId());
      if (retries >= policy.maxRetriesPerRequest()) {
        throw gaveUp(retries, "", what, problem);
      }
      if (problem.cause() instanceof java.net.ConnectException
          && retries >= MAX_RETRIES_WHEN_REFUSED) {
        // Nothing listens there: a few quick retries cover a restart, more only delay the news.
        throw gaveUp(retries, " (the connection was refused each time)", what, problem);
      }
      if (!spendOne()) {
        throw gaveUp(retries, " (the client's retry budget of " + retryBudget()
            + (policy.retryShare() == 0 ? "" : " for " + requestsSent() + " requests")
            + " is spent)", what, problem);
      }
      Duration wait = delay(retries, problem.retryAfter());
      LOG.warn("{}: retry {} of {} in {} ms ({} left in the retry budget) after: {}", label,
          retries + 1, policy.maxRetriesPerRequest(), wait.toMillis(), budgetLeft(),
          credentials.scrub(what));
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(request, e);
      }
    }
  }

  /** An Answer, or a Problem to retry; throws what must not be retried. */
  private Object attempt(ApiRequest request, AnswerReader<?> reader) throws ApiException {
    if (rateLimiter != null) {
      try {
        rateLimiter.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(request, e);
      }
    }
    Request.Builder wire = new Request.Builder().url(credentials.onWire(request.url()))
        .header("Accept", "application/json")
        .header("User-Agent", userAgent);
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      wire.header(h.getKey(), h.getValue());
    }
    credentials.addHeader(wire);
    if (request.method() == ApiRequest.Method.POST) {
      wire.post(RequestBody.create(request.body().orElse("").getBytes(StandardCharsets.UTF_8),
          JSON));
    } else {
      wire.get();
    }
    Response response;
    try {
      response = http.newCall(wire.build()).execute();
    } catch (IOException e) {
      checkInterrupt(request, e);
      return new Problem(describe(e, "the request failed"), 0, "", null, e);
    }
    try (response) {
      int status = response.code();
      String requestId = requestIdHeader == null ? "" : response.header(requestIdHeader, "");
      ResponseBody responseBody = response.body();
      if (status == 200) {
        byte[] body;
        try {
          body = responseBody.byteStream()
              .readNBytes(Math.min(maxPageBytes, Integer.MAX_VALUE - 9) + 1);
        } catch (IOException e) {
          checkInterrupt(request, e);
          return new Problem(describe(e, "reading the body of a 200 failed"), 200, requestId,
              null, e);
        }
        if (body.length > maxPageBytes) {
          throw new ApiException(ApiException.Kind.BAD_ANSWER, credentials.scrub(label
              + " answered a page of more than " + maxPageBytes + " bytes (the bound"
              + " maxPageBytes) for " + request.describe() + requestIdSuffix(requestId)
              + "; lower --pageSize or raise --maxPageBytes"), status, requestId, null);
        }
        try {
          return new Answer<>(request, requestId, body, reader.read(body), clock.instant());
        } catch (MalformedAnswerException e) {
          return new Problem(label + " answered 200 with a body that is not " + e.expected()
              + " (" + clip(e.getMessage()) + ")", 200, requestId, null, e);
        }
      }
      String answered = label + " answered " + status + errorDetail(response, responseBody);
      if (policy.retryableStatuses().contains(status)) {
        return new Problem(answered, status, requestId,
            retryAfter(response.header("Retry-After")), null);
      }
      throw new ApiException(ApiException.Kind.REFUSED, credentials.scrub(answered + " for "
          + request.describe() + requestIdSuffix(requestId)), status, requestId, null);
    }
  }

  private boolean spendOne() {
    long allowed = policy.budgetAfter(requestsSent.get());
    return retriesSpent.getAndUpdate(n -> n < allowed ? n + 1 : n) < allowed;
  }

  /** Retry-After if it asks for a positive wait (capped), else full-jitter exponential backoff. */
  Duration delay(int retry, Duration retryAfter) {
    Duration max = policy.backoffMax();
    if (retryAfter != null) {
      return retryAfter.compareTo(max) > 0 ? max : retryAfter;
    }
    long cap = policy.backoffBase().toNanos();
    for (int i = 0; i < retry && cap < max.toNanos(); i++) {
      cap *= 2;
    }
    cap = Math.min(cap, max.toNanos());
    double share = 1.0 - ThreadLocalRandom.current().nextDouble(); // in (0, 1]
    long nanos = (long) (share * cap);
    return Duration.ofNanos(Math.max(nanos, Math.min(cap, MIN_BACKOFF.toNanos())));
  }

  /** A positive wait from a Retry-After header (seconds or an HTTP date), else null. */
  Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    String v = header.trim();
    if (v.matches("\\d+")) {
      long seconds = v.length() > 9 ? 999_999_999L : Long.parseLong(v);
      return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(clock.instant(), at);
      return wait.isNegative() || wait.isZero() ? null : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The protocol's detail of an error body, a glimpse of another body, or "". */
  private String errorDetail(Response response, ResponseBody body) {
    if (response.isRedirect()) {
      String location = response.header("Location", "?");
      return " (a redirect to " + clip(location) + ", not followed: check the base URL)";
    }
    String text;
    try {
      byte[] bytes = body.byteStream().readNBytes(MAX_ERROR_BODY);
      text = new String(bytes, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "";
    }
    if (text.isEmpty()) {
      return "";
    }
    Optional<String> detail = errorDetail.apply(text);
    if (detail.isPresent()) {
      String d = detail.get().replaceAll("\\s+", " ").trim();
      return d.isEmpty() ? "" : " " + d;
    }
    return " (" + clip(text.length() > 120 ? text.substring(0, 120) + "…" : text) + ")";
  }

  private static String describe(IOException e, String what) {
    String kind = e instanceof SocketTimeoutException
            || e instanceof InterruptedIOException && "timeout".equals(e.getMessage())
        ? "timed out" : what;
    return kind + " (" + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + clip(e.getMessage())) + ")";
  }

  private void checkInterrupt(ApiRequest request, IOException e) throws ApiException {
    boolean interrupted = Thread.currentThread().isInterrupted()
        || e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)
            && "interrupted".equals(e.getMessage());
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw interrupted(request, e);
    }
  }

  private ApiException gaveUp(int retries, String why, String what, Problem problem) {
    return new ApiException(ApiException.Kind.GAVE_UP,
        credentials.scrub("gave up after " + retries + (retries == 1 ? " retry" : " retries")
            + why + ": " + what),
        problem.status(), problem.requestId(), problem.cause());
  }

  private ApiException interrupted(ApiRequest request, Exception cause) {
    return new ApiException(ApiException.Kind.INTERRUPTED,
        "interrupted during " + request.describe(), 0, "", cause);
  }

  private static String requestIdSuffix(String requestId) {
    return requestId.isEmpty() ? "" : " [request id " + requestId + "]";
  }

  /** {@code s} on one line, at most 300 characters; for details quoted in messages. */
  public static String clip(String s) {
    String one = s.replaceAll("\\s+", " ").trim();
    return one.length() <= MAX_DETAIL ? one : one.substring(0, MAX_DETAIL) + "…";
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "Requester(" + label + ")";
  }

  /** Builds a {@link Requester}; each setter rejects a bad value with the setting's name. */
  public static final class Builder {
    private final String label;
    private RetryPolicy policy = RetryPolicy.defaults();
    private Duration timeout = Duration.ofSeconds(60);
    private Auth auth = Auth.none();
    private String requestIdHeader;
    private Function<String, Optional<String>> errorDetail = body -> Optional.empty();
    private String userAgent = "Intake/0.1";
    private UnaryOperator<String> environment = System::getenv;
    private Sleeper sleeper = Sleeper.REAL;
    private Clock clock = Clock.systemUTC();
    private RateLimiter rateLimiter;
    private int maxPageBytes = InputBounds.defaults().maxPageBytes();

    private Builder(String label) {
      check(label != null && !label.isBlank(), "label must not be blank, but was %s", label);
      this.label = label;
    }

    public Builder retryPolicy(RetryPolicy policy) {
      check(policy != null, "retryPolicy must not be null");
      this.policy = policy;
      return this;
    }

    /** The longest one request may take, connecting to reading the last byte. */
    public Builder timeout(Duration timeout) {
      check(timeout != null && !timeout.isNegative() && !timeout.isZero(),
          "requestTimeout must be > 0, but was %s", timeout);
      this.timeout = timeout;
      return this;
    }

    /** The credentials; the secret is read from {@link #environment} when {@link #build} runs. */
    public Builder auth(Auth auth) {
      check(auth != null, "auth must not be null");
      this.auth = auth;
      return this;
    }

    /** The response header holding the server's request id (e.g. X-Request-Id); null: none. */
    public Builder requestIdHeader(String header) {
      this.requestIdHeader = header;
      return this;
    }

    /**
     * The protocol's reading of a non-200 body: the text to show after the status (e.g. {@code
     * "not_found (No such dataset)"}, "" for nothing), or empty when the body is not the
     * protocol's error shape, which is then glimpsed.
     */
    public Builder errorDetail(Function<String, Optional<String>> detail) {
      check(detail != null, "errorDetail must not be null");
      this.errorDetail = detail;
      return this;
    }

    public Builder userAgent(String userAgent) {
      check(userAgent != null && !userAgent.isBlank(), "userAgent must not be blank");
      this.userAgent = userAgent;
      return this;
    }

    /** Where secrets are read from; the process environment by default. */
    public Builder environment(UnaryOperator<String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment must not be null");
      return this;
    }

    /** How the waits between retries are spent; tests record them. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
      return this;
    }

    /** The clock for an HTTP-date Retry-After and for the time a page was received. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** The client-side limit every attempt waits for (share one per API); null: none. */
    public Builder rateLimiter(RateLimiter limiter) {
      this.rateLimiter = limiter;
      return this;
    }

    /**
     * The largest 200 body accepted (default {@link InputBounds#defaults()}); a larger one is
     * not read further and fails with {@link ApiException.Kind#BAD_ANSWER}, without retries.
     */
    public Builder maxPageBytes(int bytes) {
      check(bytes > 0, "maxPageBytes must be > 0, but was %s", bytes);
      this.maxPageBytes = bytes;
      return this;
    }

    public Requester build() {
      return new Requester(this);
    }
  }
}
