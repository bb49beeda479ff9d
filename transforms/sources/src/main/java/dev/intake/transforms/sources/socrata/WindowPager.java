package dev.intake.transforms.sources.socrata;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the pages of one window, in {@code windowField, :id} order, by keyset or offset. Stops
 * on an empty or short page; ends (with one warning, delivering nothing of it) on a page that
 * does not advance; throws {@link WindowTooLargeException} past {@code maxPagesPerWindow} pages.
 * One instance per window; not thread-safe.
 */
final class WindowPager {
  private static final Logger LOG = LoggerFactory.getLogger(SocrataClient.class);

  private final SocrataConfig config;
  private final RetryingCaller caller;
  private final HttpUrl resourceUrl;
  private final Runnable onRepeat;

  /** The row the next keyset page starts after. */
  private String cursorValue;
  private String cursorId;
  /** The identities of the previous page's rows. */
  private Set<String> previous = Set.of();

  WindowPager(SocrataConfig config, RetryingCaller caller, HttpUrl resourceUrl, Runnable onRepeat) {
    this.config = config;
    this.caller = caller;
    this.resourceUrl = resourceUrl;
    this.onRepeat = onRepeat;
  }

  /** Delivers the window's pages; returns the number of rows delivered. */
  long fetch(Instant from, Instant to, PageConsumer consumer) throws IOException {
    String field = config.windowField();
    String window = Soql.window(field, Soql.floating(from, config.windowFieldZone()),
        Soql.floating(to, config.windowFieldZone()));
    boolean keyset = config.paging() == SocrataConfig.Paging.KEYSET;
    int limit = config.pageSize();
    long rows = 0;
    for (int number = 0; ; number++) {
      String where = keyset && cursorValue != null
          ? window + " AND " + Soql.after(field, cursorValue, cursorId) : window;
      Map<String, String> params = Soql.params("$select", Soql.SELECT_ALL, "$where", where,
          "$order", field + "," + Soql.ID, "$limit", Integer.toString(limit));
      if (!keyset) {
        params.put("$offset", Long.toString((long) number * limit));
      }
      RetryingCaller.Answer answer = caller.get(Soql.url(resourceUrl, params), field);
      PageParser.Parsed parsed = answer.parsed();
      if (parsed.size() == 0) {
        if (number == 0) {
          consumer.accept(page(0, answer));
        }
        return rows;
      }
      String stall = stall(parsed, keyset);
      if (stall != null) {
        onRepeat.run();
        LOG.warn("Socrata: page {} of window [{}, {}) {}; paging ends without its {} rows: GET {}",
            number, from, to, stall, parsed.size(), Soql.readable(answer.url()));
        return rows;
      }
      if (number == config.maxPagesPerWindow()) {
        throw new WindowTooLargeException(from, to, number,
            "window [" + from + ", " + to + ") of " + config.resource() + " has more than "
                + number + " pages of " + limit + " rows (maxPagesPerWindow): split it; next page"
                + " GET " + Soql.readable(answer.url()));
      }
      consumer.accept(page(number, answer));
      rows += parsed.size();
      if (parsed.size() < limit) {
        return rows;
      }
      advance(parsed, keyset, answer);
    }
  }

  /** Why this page does not advance past the previous one, or null if it does. */
  private String stall(PageParser.Parsed page, boolean keyset) {
    if (!previous.isEmpty()) {
      boolean allSeen = true;
      for (int i = 0; i < page.size() && allSeen; i++) {
        allSeen = previous.contains(identity(page, i));
      }
      if (allSeen) {
        return "repeats rows of the previous page (is $offset or $where ignored?)";
      }
    }
    if (keyset && cursorValue != null) {
      int last = page.size() - 1;
      String value = page.windowValues().get(last);
      if (cursorValue.equals(value) && cursorId.equals(page.ids().get(last))) {
        return "ends on the row the previous page ended on";
      }
      Comparable<?> now = timeKey(value);
      Comparable<?> before = timeKey(cursorValue);
      if (now != null && before != null && now.getClass() == before.getClass()
          && compare(now, before) < 0) {
        return "ends before the row the previous page ended on";
      }
    }
    return null;
  }

  private void advance(PageParser.Parsed page, boolean keyset, RetryingCaller.Answer answer)
      throws SocrataException {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < page.size(); i++) {
      seen.add(identity(page, i));
    }
    previous = seen;
    if (keyset) {
      int last = page.size() - 1;
      String value = page.windowValues().get(last);
      String id = page.ids().get(last);
      if (value == null || id == null) {
        throw new SocrataException(SocrataException.Kind.BAD_ANSWER,
            "cannot page on: the last row has no "
                + (value == null ? config.windowField() : Soql.ID) + " for GET "
                + Soql.readable(answer.url()), 200, answer.requestId(), null);
      }
      cursorValue = value;
      cursorId = id;
    }
  }

  /** A row's identity: its :id and window value (an updated row is a new one), else its text. */
  private static String identity(PageParser.Parsed page, int i) {
    String id = page.ids().get(i);
    return id == null ? page.records().get(i) : id + '\u0000' + page.windowValues().get(i);
  }

  private static Page page(int number, RetryingCaller.Answer a) {
    return new Page(number, a.url().toString(), a.requestId(), a.body(), a.parsed().records(),
        a.receivedAt());
  }

  /** A fixed or floating timestamp as a comparable point, else null (no order is assumed). */
  private static Comparable<?> timeKey(String s) {
    if (s == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s.endsWith("Z") ? s.substring(0, s.length() - 1) + "+00:00" : s)
          .toInstant();
    } catch (DateTimeParseException e) {
      // not a fixed timestamp
    }
    try {
      return LocalDateTime.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Comparable a, Comparable b) {
    return a.compareTo(b);
  }
}
