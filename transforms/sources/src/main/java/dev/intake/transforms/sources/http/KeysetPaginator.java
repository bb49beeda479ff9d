package dev.intake.transforms.sources.http;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keyset paging: each page after the first starts after the last record of the previous one, named
 * by its values of the cursor fields (e.g. the window field then a unique id, or just a uuid as in
 * {@code after_id}). The protocol writes the requests ({@link Requests}); this class keeps the
 * cursor, stops on a short page, and reports a page that does not advance: one that ends on the
 * same cursor, or, when the first cursor field holds timestamps, ends before it.
 */
public final class KeysetPaginator implements Paginator {
  /** Writes the requests of a protocol's keyset paging. */
  @FunctionalInterface
  public interface Requests {
    /**
     * The request for the page of {@code [from, to)} that starts after the record whose cursor
     * values are {@code after} (in the order of the cursor fields), or the first page when null.
     */
    ApiRequest page(Instant from, Instant to, List<String> after);
  }

  private final int pageSize;
  private final List<String> cursorFields;
  private final Requests requests;

  private KeysetPaginator(int pageSize, List<String> cursorFields, Requests requests) {
    this.pageSize = pageSize;
    this.cursorFields = cursorFields;
    this.requests = requests;
  }

  /** Pages of {@code pageSize} records, continued after the values of {@code cursorFields}. */
  public static KeysetPaginator of(int pageSize, List<String> cursorFields, Requests requests) {
    if (pageSize <= 0) {
      throw new IllegalArgumentException("pageSize must be > 0, but was " + pageSize);
    }
    if (cursorFields == null || cursorFields.isEmpty()) {
      throw new IllegalArgumentException("cursorFields must name at least one field");
    }
    Objects.requireNonNull(requests, "requests must not be null");
    return new KeysetPaginator(pageSize, List.copyOf(cursorFields), requests);
  }

  @Override
  public int pageSize() {
    return pageSize;
  }

  @Override
  public List<String> fields() {
    return cursorFields;
  }

  @Override
  public Paginator.Window start(Instant from, Instant to) {
    return new Paginator.Window() {
      private List<String> cursor;

      @Override
      public ApiRequest first() {
        return requests.page(from, to, null);
      }

      @Override
      public String stall(RecordSelector.Selection page) {
        if (cursor == null) {
          return null;
        }
        List<String> last = cursorOf(page, page.size() - 1);
        if (last.equals(cursor)) {
          return "ends on the record the previous page ended on";
        }
        Comparable<?> now = timeKey(last.get(0));
        Comparable<?> before = timeKey(cursor.get(0));
        if (now != null && before != null && now.getClass() == before.getClass()
            && compare(now, before) < 0) {
          return "ends before the record the previous page ended on";
        }
        return null;
      }

      @Override
      public ApiRequest next(RecordSelector.Selection page, Requester.Answer<?> answer)
          throws ApiException {
        if (page.size() < pageSize) {
          return null;
        }
        List<String> last = cursorOf(page, page.size() - 1);
        int missing = last.indexOf(null);
        if (missing >= 0) {
          throw new ApiException(ApiException.Kind.BAD_ANSWER, "cannot page on: the last row has"
              + " no " + cursorFields.get(missing) + " for " + answer.request().describe(), 200,
              answer.requestId(), null);
        }
        cursor = last;
        return requests.page(from, to, cursor);
      }
    };
  }

  private List<String> cursorOf(RecordSelector.Selection page, int index) {
    List<String> values = new ArrayList<>(cursorFields.size());
    for (String f : cursorFields) {
      values.add(page.value(index, f));
    }
    return values;
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
