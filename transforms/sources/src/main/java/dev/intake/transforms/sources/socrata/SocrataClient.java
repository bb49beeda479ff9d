package dev.intake.transforms.sources.socrata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.transforms.sources.WindowCounter;
import dev.intake.transforms.sources.http.ApiException;
import dev.intake.transforms.sources.http.ApiRequest;
import dev.intake.transforms.sources.http.Auth;
import dev.intake.transforms.sources.http.KeysetPaginator;
import dev.intake.transforms.sources.http.MalformedAnswerException;
import dev.intake.transforms.sources.http.OffsetPaginator;
import dev.intake.transforms.sources.http.PageConsumer;
import dev.intake.transforms.sources.http.PagedWindowFetcher;
import dev.intake.transforms.sources.http.Paginator;
import dev.intake.transforms.sources.http.RecordSelector;
import dev.intake.transforms.sources.http.Requester;
import dev.intake.transforms.sources.http.Sleeper;
import dev.intake.transforms.sources.http.WindowFetcher;
import dev.intake.transforms.sources.http.WindowTooLargeException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads rows of one Socrata dataset through the SODA 2 API ({@code GET
 * <baseUrl>/resource/<resource>.json}), one time window at a time, page by page: the generic
 * {@link Requester}, {@link Paginator} and {@link RecordSelector} with what only Socrata has.
 *
 * <p>{@link #fetchWindow} delivers every row with {@code from <= windowField < to}, system fields
 * included ({@code $select=:*,*}), ordered by {@code windowField, :id}, as pages numbered from 0.
 * Pages follow each other by keyset (default) or offset; rows sharing one window value across a
 * page boundary are neither lost nor doubled. Paging stops on an empty or short page; a page that
 * does not advance (a server ignoring {@code $offset} or the keyset) ends paging with one warning
 * and without delivering its rows; more than {@code maxPagesPerWindow} pages throw {@link
 * WindowTooLargeException}.
 *
 * <p>Each request is retried on 429, 202, 500, 502, 503, 504, connection errors, timeouts and a
 * truncated or malformed 200, honouring {@code Retry-After}, within {@code maxRetriesPerRequest}
 * and the client's {@code retryBudget}; anything else throws an {@link ApiException} whose message
 * is one line with Socrata's error code and message and the {@code X-Socrata-RequestId}. The app
 * token, read from the environment variable {@code tokenEnv} when the client is created, is sent
 * only as the {@code X-App-Token} header: never in a URL, a log line or an exception message.
 *
 * <p>Thread-safe: one client may serve many threads and windows; they share its connections and
 * its retry budget. Close it when done.
 */
public final class SocrataClient implements WindowFetcher, WindowCounter {
  private static final Logger LOG = LoggerFactory.getLogger(SocrataClient.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String TOKEN_HEADER = "X-App-Token";
  static final String REQUEST_ID_HEADER = "X-Socrata-RequestId";

  private final SocrataConfig config;
  private final Requester requester;
  private final HttpUrl resourceUrl;
  private final PagedWindowFetcher pages;

  private SocrataClient(SocrataConfig config, Requester requester) {
    this.config = config;
    this.requester = requester;
    this.resourceUrl =
        HttpUrl.get(config.baseUrl() + "/resource/" + config.resource() + ".json");
    this.pages = PagedWindowFetcher.of(requester, RecordSelector.rootArray(), paginator(),
        config.maxPagesPerWindow(), config.resource());
  }

  /** A client for {@code config}, with the app token read now from {@code config.tokenEnv()}. */
  public static SocrataClient create(SocrataConfig config) {
    return create(config, System::getenv, Sleeper.REAL, Clock.systemUTC());
  }

  /** For tests: the environment, the waits between retries and the clock are given. */
  static SocrataClient create(SocrataConfig config, UnaryOperator<String> environment,
      Sleeper sleeper, Clock clock) {
    Objects.requireNonNull(config, "config must not be null");
    Requester requester = Requester.builder("Socrata")
        .retryPolicy(config.retryPolicy())
        .timeout(config.requestTimeout())
        .auth(auth(config.tokenEnv()))
        .requestIdHeader(REQUEST_ID_HEADER)
        .errorDetail(SocrataClient::errorDetail)
        .userAgent("Intake-Socrata/0.1")
        .environment(environment)
        .sleeper(sleeper)
        .clock(clock)
        .maxPageBytes(config.maxPageBytes())
        .build();
    return new SocrataClient(config, requester);
  }

  /** The app token in {@code X-App-Token}, from {@code tokenEnv}; null: no token. */
  static Auth auth(String tokenEnv) {
    return tokenEnv == null ? Auth.none()
        : Auth.apiKeyInHeader(TOKEN_HEADER, tokenEnv).describedAs("app token", "tokenEnv");
  }

  /** The configuration this client was created with. */
  public SocrataConfig config() {
    return config;
  }

  /**
   * Asks for one row ({@code $limit=1}) that has the window field, to fail fast: a bad token
   * (403), an unknown dataset (404) or an unknown window field (400) throw an {@link
   * ApiException} with one clear line. Transient failures are retried as usual.
   */
  public void checkAccess() throws ApiException {
    String field = config.windowField();
    ApiRequest request = ApiRequest.get(Soql.url(resourceUrl, Soql.params(
        "$select", Soql.ID + "," + field, "$where", field + " IS NOT NULL", "$limit", "1")));
    RecordSelector rows = RecordSelector.rootArray();
    requester.send(request, body -> rows.select(body, List.of()));
  }

  /**
   * Delivers every row with {@code from <= windowField < to} to {@code consumer}, page by page,
   * in order, on this thread. The bounds are written as floating timestamps in {@code
   * windowFieldZone}, rounded up to the millisecond. Page 0 is delivered even if the window is
   * empty; later pages only if they hold rows.
   *
   * @throws WindowTooLargeException after {@code maxPagesPerWindow} pages if rows remain
   * @throws ApiException if Socrata refuses, retries run out, or the thread is interrupted
   * @throws IOException anything else {@code consumer} threw, as is
   */
  @Override
  public void fetchWindow(Instant from, Instant to, PageConsumer consumer) throws IOException {
    Objects.requireNonNull(consumer, "consumer must not be null");
    int[] count = {0};
    long rows = pages.fetch(from, to, page -> {
      count[0]++;
      consumer.accept(page);
    });
    LOG.info("Socrata {}: window [{}, {}) gave {} rows in {} page(s)",
        config.resource(), from, to, rows, count[0]);
  }

  /**
   * The number of rows with {@code from <= windowField < to}: one request, {@code
   * $select=count(*)} with the same {@code $where} as {@link #fetchWindow}, answered {@code
   * [{"count": "<n>"}]}; retried as usual.
   */
  @Override
  public long count(Instant from, Instant to) throws ApiException {
    String field = config.windowField();
    ApiRequest request = ApiRequest.get(Soql.url(resourceUrl, Soql.params(
        "$select", "count(*)", "$where", window(field, config.windowFieldZone(), from, to))));
    return requester.send(request, SocrataClient::readCount).value();
  }

  static long readCount(byte[] body) throws MalformedAnswerException {
    try {
      JsonNode json = MAPPER.readTree(body);
      JsonNode count = json != null && json.isArray() && json.size() == 1
          ? json.get(0).path("count") : null;
      if (count != null && (count.isTextual() || count.isNumber())) {
        return Long.parseLong(count.asText());
      }
    } catch (IOException | NumberFormatException e) {
      // rejected below
    }
    throw new MalformedAnswerException("a count ([{\"count\": \"<n>\"}])",
        new String(body, 0, Math.min(body.length, 100), java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The retries this client may still spend (of {@code retryBudget}), all threads together. */
  public int retryBudgetLeft() {
    return requester.budgetLeft();
  }

  /** How many windows ended on a page that did not advance (each was logged as a warning). */
  public long stalledWindows() {
    return pages.stalledWindows();
  }

  /** Releases connections and threads; the client must not be used afterwards. */
  @Override
  public void close() {
    requester.close();
  }

  @Override
  public String toString() {
    return "SocrataClient(" + config.baseUrl() + "/resource/" + config.resource() + ".json)";
  }

  /** Keyset on {@code (windowField, :id)}, or offset, both in {@code windowField, :id} order. */
  private Paginator paginator() {
    String field = config.windowField();
    ZoneId zone = config.windowFieldZone();
    String limit = Integer.toString(config.pageSize());
    if (config.paging() == SocrataConfig.Paging.OFFSET) {
      return OffsetPaginator.of(config.pageSize(), List.of(Soql.ID, field),
          (from, to, offset) -> {
            Map<String, String> params =
                query(field, window(field, zone, from, to), limit, config.select());
            params.put("$offset", Long.toString(offset));
            return ApiRequest.get(Soql.url(resourceUrl, params));
          });
    }
    return KeysetPaginator.of(config.pageSize(), List.of(field, Soql.ID), (from, to, after) -> {
      String where = window(field, zone, from, to);
      if (after != null) {
        where += " AND " + Soql.after(field, after.get(0), after.get(1));
      }
      return ApiRequest.get(Soql.url(resourceUrl, query(field, where, limit, config.select())));
    });
  }

  private static String window(String field, ZoneId zone, Instant from, Instant to) {
    return Soql.window(field, Soql.floating(from, zone), Soql.floating(to, zone));
  }

  private static Map<String, String> query(String field, String where, String limit,
      String select) {
    return Soql.params("$select", select, "$where", where,
        "$order", field + "," + Soql.ID, "$limit", limit);
  }

  /** "code (message)" from Socrata's JSON error body ({@code code} or {@code errorCode}). */
  static Optional<String> errorDetail(String body) {
    try {
      JsonNode json = MAPPER.readTree(body);
      if (json != null && json.isObject()) {
        String code = json.path("code").asText(json.path("errorCode").asText(""));
        String message = json.path("message").asText("");
        return Optional.of((code.isEmpty() ? "" : Requester.clip(code))
            + (message.isEmpty() ? "" : " (" + Requester.clip(message) + ")"));
      }
    } catch (IOException e) {
      // not JSON: the requester shows the start of it
    }
    return Optional.empty();
  }
}
