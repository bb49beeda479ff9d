package dev.intake.transforms.sources.socrata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one GET and returns a usable page, retrying what may pass (429, 202, 500, 502, 503, 504,
 * connection errors, timeouts, a truncated or malformed 200) with exponential backoff and full
 * jitter, or {@code Retry-After} when it names a positive number of seconds (or a later date).
 * Every retry spends one unit of a budget shared by all threads using this caller. Thread-safe.
 */
final class RetryingCaller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SocrataClient.class);
  private static final Set<Integer> RETRYABLE = Set.of(202, 429, 500, 502, 503, 504);
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int MAX_DETAIL = 300;
  private static final Duration MIN_BACKOFF = Duration.ofMillis(1);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A usable 200 answer: the exact body and its rows. */
  record Answer(HttpUrl url, String requestId, byte[] body, PageParser.Parsed parsed,
      Instant receivedAt) {}

  /** Why one attempt failed in a way worth retrying. */
  private record Problem(String description, int status, String requestId, Duration retryAfter,
      Throwable cause) {}

  private final SocrataConfig config;
  private final OkHttpClient http;
  private final String token;
  private final String tokenProblem;
  private final Sleeper sleeper;
  private final Clock clock;
  private final AtomicInteger budgetLeft;

  /**
   * A caller sending {@code token} as {@code X-App-Token} (null: none); if {@code tokenProblem}
   * is not null every call fails with it instead.
   */
  RetryingCaller(SocrataConfig config, String token, String tokenProblem, Sleeper sleeper,
      Clock clock) {
    this.config = config;
    this.token = token;
    this.tokenProblem = tokenProblem;
    this.sleeper = sleeper;
    this.clock = clock;
    this.budgetLeft = new AtomicInteger(config.retryBudget());
    Duration timeout = config.requestTimeout();
    this.http = new OkHttpClient.Builder()
        .callTimeout(timeout)
        .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout
            : Duration.ofSeconds(10))
        .readTimeout(timeout)
        .writeTimeout(timeout)
        // Every retry is ours, so each one is counted and backed off.
        .retryOnConnectionFailure(false)
        // OkHttp keeps X-App-Token on a redirect to another host: never follow one.
        .followRedirects(false)
        .followSslRedirects(false)
        // Shorter than common server keep-alive timeouts, so pooled connections are rarely stale.
        .connectionPool(new ConnectionPool(8, 20, TimeUnit.SECONDS))
        .build();
  }

  /** The retries this caller may still spend. */
  int budgetLeft() {
    return budgetLeft.get();
  }

  /** GET {@code url} until a JSON array of objects comes back; or a SocrataException. */
  Answer get(HttpUrl url, String windowField) throws SocrataException {
    if (tokenProblem != null) {
      throw new SocrataException(SocrataException.Kind.MISSING_TOKEN, tokenProblem);
    }
    for (int retries = 0; ; retries++) {
      Object outcome = attempt(url, windowField);
      if (outcome instanceof Answer answer) {
        return answer;
      }
      Problem problem = (Problem) outcome;
      String what = problem.description() + " for GET " + Soql.readable(url)
          + requestIdSuffix(problem.requestId());
      if (retries >= config.maxRetriesPerRequest()) {
        throw gaveUp(retries, "", what, problem);
      }
      if (!spendOne()) {
        throw gaveUp(retries,
            " (the client's retry budget of " + config.retryBudget() + " is spent)", what, problem);
      }
      Duration wait = delay(retries, problem.retryAfter());
      LOG.warn("Socrata: retry {} of {} in {} ms ({} left in the retry budget) after: {}",
          retries + 1, config.maxRetriesPerRequest(), wait.toMillis(), budgetLeft.get(),
          safe(what));
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(url, e);
      }
    }
  }

  /** An Answer, or a Problem to retry; throws what must not be retried. */
  private Object attempt(HttpUrl url, String windowField) throws SocrataException {
    Request.Builder request = new Request.Builder().url(url).get()
        .header("Accept", "application/json")
        .header("User-Agent", "Intake-Socrata/0.1");
    if (token != null) {
      request.header("X-App-Token", token);
    }
    Response response;
    try {
      response = http.newCall(request.build()).execute();
    } catch (IOException e) {
      checkInterrupt(url, e);
      return new Problem(describe(e, "the request failed"), 0, "", null, e);
    }
    try (response) {
      int status = response.code();
      String requestId = response.header("X-Socrata-RequestId", "");
      ResponseBody responseBody = response.body();
      if (status == 200) {
        byte[] body;
        try {
          body = responseBody.bytes();
        } catch (IOException e) {
          checkInterrupt(url, e);
          return new Problem(describe(e, "reading the body of a 200 failed"), 200, requestId,
              null, e);
        }
        try {
          PageParser.Parsed parsed = PageParser.parse(body, windowField);
          return new Answer(url, requestId, body, parsed, clock.instant());
        } catch (PageParser.MalformedPageException e) {
          return new Problem("Socrata answered 200 with a body that is not a JSON array of "
              + "objects (" + clip(e.getMessage()) + ")", 200, requestId, null, e);
        }
      }
      String answered = "Socrata answered " + status + errorDetail(response, responseBody);
      if (RETRYABLE.contains(status)) {
        return new Problem(answered, status, requestId,
            retryAfter(response.header("Retry-After")), null);
      }
      throw new SocrataException(SocrataException.Kind.REFUSED,
          safe(answered + " for GET " + Soql.readable(url) + requestIdSuffix(requestId)),
          status, requestId, null);
    }
  }

  private boolean spendOne() {
    return budgetLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  /** Retry-After if it asks for a positive wait (capped), else full-jitter exponential backoff. */
  Duration delay(int retry, Duration retryAfter) {
    Duration max = config.backoffMax();
    if (retryAfter != null) {
      return retryAfter.compareTo(max) > 0 ? max : retryAfter;
    }
    long cap = config.backoffBase().toNanos();
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

  /** " code (message)" from Socrata's JSON error body, a glimpse of another body, or "". */
  private static String errorDetail(Response response, ResponseBody body) {
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
    try {
      JsonNode json = MAPPER.readTree(text);
      if (json != null && json.isObject()) {
        String code = json.path("code").asText(json.path("errorCode").asText(""));
        String message = json.path("message").asText("");
        return (code.isEmpty() ? "" : " " + clip(code))
            + (message.isEmpty() ? "" : " (" + clip(message) + ")");
      }
    } catch (IOException e) {
      // not JSON: show the start of it
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

  private void checkInterrupt(HttpUrl url, IOException e) throws SocrataException {
    boolean interrupted = Thread.currentThread().isInterrupted()
        || e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)
            && "interrupted".equals(e.getMessage());
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw interrupted(url, e);
    }
  }

  private SocrataException gaveUp(int retries, String why, String what, Problem problem) {
    return new SocrataException(SocrataException.Kind.GAVE_UP,
        safe("gave up after " + retries + (retries == 1 ? " retry" : " retries") + why + ": "
            + what),
        problem.status(), problem.requestId(), problem.cause());
  }

  private SocrataException interrupted(HttpUrl url, Exception cause) {
    return new SocrataException(SocrataException.Kind.INTERRUPTED,
        "interrupted during GET " + Soql.readable(url), 0, "", cause);
  }

  private static String requestIdSuffix(String requestId) {
    return requestId.isEmpty() ? "" : " [request id " + requestId + "]";
  }

  private static String clip(String s) {
    String one = s.replaceAll("\\s+", " ").trim();
    return one.length() <= MAX_DETAIL ? one : one.substring(0, MAX_DETAIL) + "…";
  }

  /** Never let the token through, even if an answer echoes it. */
  private String safe(String s) {
    return token == null ? s : s.replace(token, "<app token>");
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
