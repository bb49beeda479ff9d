package dev.intake.transforms.sources.socrata;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads rows of one Socrata dataset through the SODA 2 API ({@code GET
 * <baseUrl>/resource/<resource>.json}), one time window at a time, page by page.
 *
 * <p>{@link #fetchWindow} delivers every row with {@code from <= windowField < to}, system fields
 * included ({@code $select=:*,*}), ordered by {@code windowField, :id}, as {@link Page}s numbered
 * from 0. Pages follow each other by keyset (default) or offset; rows sharing one window value
 * across a page boundary are neither lost nor doubled. Paging stops on an empty or short page; a
 * page that does not advance (a server ignoring {@code $offset} or the keyset) ends paging with
 * one warning and without delivering its rows; more than {@code maxPagesPerWindow} pages throw
 * {@link WindowTooLargeException}.
 *
 * <p>Each request is retried on 429, 202, 500, 502, 503, 504, connection errors, timeouts and a
 * truncated or malformed 200, honouring {@code Retry-After}, within {@code maxRetriesPerRequest}
 * and the client's {@code retryBudget}; anything else throws a {@link SocrataException} whose
 * message is one line. The app token, read from the environment variable {@code tokenEnv} when the
 * client is created, is sent only as the {@code X-App-Token} header: never in a URL, a log line or
 * an exception message.
 *
 * <p>Thread-safe: one client may serve many threads and windows; they share its connections and
 * its retry budget. Close it when done.
 */
public final class SocrataClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SocrataClient.class);

  private final SocrataConfig config;
  private final RetryingCaller caller;
  private final HttpUrl resourceUrl;
  private final AtomicLong stalledWindows = new AtomicLong();

  private SocrataClient(SocrataConfig config, RetryingCaller caller) {
    this.config = config;
    this.caller = caller;
    this.resourceUrl =
        HttpUrl.get(config.baseUrl() + "/resource/" + config.resource() + ".json");
  }

  /** A client for {@code config}, with the app token read now from {@code config.tokenEnv()}. */
  public static SocrataClient create(SocrataConfig config) {
    return create(config, System::getenv, Sleeper.REAL, Clock.systemUTC());
  }

  /** For tests: the environment, the waits between retries and the clock are given. */
  static SocrataClient create(SocrataConfig config, UnaryOperator<String> environment,
      Sleeper sleeper, Clock clock) {
    Objects.requireNonNull(config, "config must not be null");
    String token = null;
    String problem = null;
    String name = config.tokenEnv();
    if (name != null) {
      String value = environment.apply(name);
      token = value == null ? "" : value.trim();
      if (token.isEmpty()) {
        problem = "the environment variable " + name + " (tokenEnv) that should hold the app "
            + "token is not set or empty";
      } else if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        problem = "the environment variable " + name + " (tokenEnv) holds characters that an "
            + "app token cannot have";
      }
      if (problem != null) {
        token = null;
      }
    }
    return new SocrataClient(config, new RetryingCaller(config, token, problem, sleeper, clock));
  }

  /** The configuration this client was created with. */
  public SocrataConfig config() {
    return config;
  }

  /**
   * Asks for one row ({@code $limit=1}) that has the window field, to fail fast: a bad token
   * (403), an unknown dataset (404) or an unknown window field (400) throw a {@link
   * SocrataException} with one clear line. Transient failures are retried as usual.
   */
  public void checkAccess() throws SocrataException {
    String field = config.windowField();
    caller.get(Soql.url(resourceUrl, Soql.params("$select", Soql.ID + "," + field,
        "$where", field + " IS NOT NULL", "$limit", "1")), field);
  }

  /**
   * Delivers every row with {@code from <= windowField < to} to {@code consumer}, page by page,
   * in order, on this thread. The bounds are written as floating timestamps in {@code
   * windowFieldZone}, rounded up to the millisecond. Page 0 is delivered even if the window is
   * empty; later pages only if they hold rows.
   *
   * @throws WindowTooLargeException after {@code maxPagesPerWindow} pages if rows remain
   * @throws SocrataException if Socrata refuses, retries run out, or the thread is interrupted
   * @throws IOException anything else {@code consumer} threw, as is
   */
  public void fetchWindow(Instant from, Instant to, PageConsumer consumer) throws IOException {
    Objects.requireNonNull(from, "from must not be null");
    Objects.requireNonNull(to, "to must not be null");
    Objects.requireNonNull(consumer, "consumer must not be null");
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from must not be after to, but was " + from + " > " + to);
    }
    int[] pages = {0};
    long rows = new WindowPager(config, caller, resourceUrl, stalledWindows::incrementAndGet)
        .fetch(from, to, page -> {
          pages[0]++;
          consumer.accept(page);
        });
    LOG.info("Socrata {}: window [{}, {}) gave {} rows in {} page(s)",
        config.resource(), from, to, rows, pages[0]);
  }

  /** The retries this client may still spend (of {@code retryBudget}), all threads together. */
  public int retryBudgetLeft() {
    return caller.budgetLeft();
  }

  /** How many windows ended on a page that did not advance (each was logged as a warning). */
  public long stalledWindows() {
    return stalledWindows.get();
  }

  /** Releases connections and threads; the client must not be used afterwards. */
  @Override
  public void close() {
    caller.close();
  }

  @Override
  public String toString() {
    return "SocrataClient(" + config.baseUrl() + "/resource/" + config.resource() + ".json)";
  }
}
