package dev.intake.transforms.sources.http;

import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WindowFetcher} assembled from parts: a {@link Requester} sends each request of a
 * {@link Paginator}, a {@link RecordSelector} cuts each answer into records, and this class
 * delivers them as {@link Page}s numbered from 0.
 *
 * <p>Paging stops where the paginator says (e.g. a short page) and on an empty page; page 0 is
 * delivered even when empty, a later empty page is not. A page that does not advance (it only
 * repeats records of the previous page, or the paginator finds its cursor did not move, as when a
 * server ignores the offset or the keyset) ends paging with one warning and without delivering
 * its records; {@link #stalledWindows()} counts them. More than {@code maxPagesPerWindow} pages
 * throw {@link WindowTooLargeException}. A next page whose request would go to another scheme,
 * host or port than the first page's throws {@link ApiException} (kind {@code BAD_ANSWER}): an
 * answer never redirects requests, or the secret they carry, elsewhere. Thread-safe if the
 * requester is; closing it closes the requester.
 */
public final class PagedWindowFetcher implements WindowFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(PagedWindowFetcher.class);

  private final Requester requester;
  private final RecordSelector selector;
  private final Paginator paginator;
  private final int maxPagesPerWindow;
  private final String what;
  private final AtomicLong stalledWindows = new AtomicLong();

  private PagedWindowFetcher(Requester requester, RecordSelector selector, Paginator paginator,
      int maxPagesPerWindow, String what) {
    this.requester = requester;
    this.selector = selector;
    this.paginator = paginator;
    this.maxPagesPerWindow = maxPagesPerWindow;
    this.what = what;
  }

  /**
   * A fetcher of at most {@code maxPagesPerWindow} pages per window; {@code what} names the
   * dataset in messages (e.g. its id).
   */
  public static PagedWindowFetcher of(Requester requester, RecordSelector selector,
      Paginator paginator, int maxPagesPerWindow, String what) {
    Objects.requireNonNull(requester, "requester must not be null");
    Objects.requireNonNull(selector, "selector must not be null");
    Objects.requireNonNull(paginator, "paginator must not be null");
    if (maxPagesPerWindow <= 0) {
      throw new IllegalArgumentException(
          "maxPagesPerWindow must be > 0, but was " + maxPagesPerWindow);
    }
    return new PagedWindowFetcher(requester, selector, paginator, maxPagesPerWindow, what);
  }

  @Override
  public void fetchWindow(Instant from, Instant to, PageConsumer consumer) throws IOException {
    fetch(from, to, consumer);
  }

  /** As {@link #fetchWindow}; returns the number of records delivered. */
  public long fetch(Instant from, Instant to, PageConsumer consumer) throws IOException {
    Objects.requireNonNull(from, "from must not be null");
    Objects.requireNonNull(to, "to must not be null");
    Objects.requireNonNull(consumer, "consumer must not be null");
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from must not be after to, but was " + from + " > " + to);
    }
    List<String> fields = paginator.fields();
    Requester.AnswerReader<RecordSelector.Selection> reader = body -> selector.select(body, fields);
    Paginator.Window paging = paginator.start(from, to);
    ApiRequest request = paging.first();
    String origin = origin(request);
    Set<String> previous = Set.of();
    long records = 0;
    for (int number = 0; ; number++) {
      Requester.Answer<RecordSelector.Selection> answer = requester.send(request, reader);
      RecordSelector.Selection page = answer.value();
      if (page.size() == 0) {
        if (number == 0) {
          consumer.accept(page(0, answer));
        }
        return records;
      }
      String stall = number == 0 ? null : repeats(previous, page) ? "repeats the records of the"
          + " previous page (are the paging parameters ignored?)" : paging.stall(page, answer);
      if (stall != null) {
        stalledWindows.incrementAndGet();
        LOG.warn("page {} of window [{}, {}) of {} {}; paging ends without its {} records: {}",
            number, from, to, what, stall, page.size(), request.describe());
        return records;
      }
      if (number == maxPagesPerWindow) {
        throw new WindowTooLargeException(from, to, number,
            "window [" + from + ", " + to + ") of " + what + " has more than " + number
                + " pages of " + paginator.pageSize() + " rows (maxPagesPerWindow): split it;"
                + " next page " + request.describe());
      }
      consumer.accept(page(number, answer));
      records += page.size();
      previous = identities(page);
      request = paging.next(page, answer);
      if (request == null) {
        return records;
      }
      if (!origin(request).equals(origin)) {
        throw new ApiException(ApiException.Kind.BAD_ANSWER, "page " + (number + 1) + " of window"
            + " [" + from + ", " + to + ") of " + what + " would be asked from "
            + origin(request) + ", not from " + origin + " where paging began: requests go only"
            + " to the spec's base URL (or --apiBaseUrl), never to a host an answer names");
      }
    }
  }

  /** How many windows ended on a page that did not advance (each was logged as a warning). */
  public long stalledWindows() {
    return stalledWindows.get();
  }

  /** The retries the requester may still spend. */
  public int retryBudgetLeft() {
    return requester.budgetLeft();
  }

  private boolean repeats(Set<String> previous, RecordSelector.Selection page) {
    if (previous.isEmpty()) {
      return false;
    }
    for (int i = 0; i < page.size(); i++) {
      if (!previous.contains(identity(page, i))) {
        return false;
      }
    }
    return true;
  }

  private Set<String> identities(RecordSelector.Selection page) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < page.size(); i++) {
      seen.add(identity(page, i));
    }
    return seen;
  }

  /** A record's identity: its values of the paginator's fields, else (none) its text. */
  private String identity(RecordSelector.Selection page, int i) {
    StringBuilder sb = new StringBuilder();
    boolean any = false;
    for (String f : paginator.fields()) {
      String v = page.value(i, f);
      any |= v != null;
      sb.append(v).append('\u0000');
    }
    return any ? sb.toString() : page.records().get(i);
  }

  /** "https://host:port" of a request, without path, query or credentials. */
  private static String origin(ApiRequest request) {
    return request.url().scheme() + "://" + request.url().host() + ":" + request.url().port();
  }

  private static Page page(int number, Requester.Answer<RecordSelector.Selection> a) {
    return new Page(number, a.request().url().toString(), a.requestId(), a.body(),
        a.value().records(), a.receivedAt());
  }

  @Override
  public void close() {
    requester.close();
  }
}
