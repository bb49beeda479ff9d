package dev.intake.transforms.sources.http;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Cursor paging where the answer names the next page: a scalar at a JSON path of the body (e.g.
 * {@code next_cursor} or {@code paging.next}) is passed to the next request. Paging ends on a page
 * shorter than the page size, or one whose answer has no cursor (absent, null or empty); a page
 * whose cursor is the one that asked for it does not advance ({@link Window#stall}). The protocol
 * writes the requests ({@link Requests}).
 */
public final class ResponseCursorPaginator implements Paginator {
  /** Writes the requests of a protocol's cursor paging. */
  @FunctionalInterface
  public interface Requests {
    /** The request for the page of {@code [from, to)} at {@code cursor}, the first when null. */
    ApiRequest page(Instant from, Instant to, String cursor);
  }

  private final int pageSize;
  private final List<String> cursorPath;
  private final List<String> identityFields;
  private final Requests requests;

  private ResponseCursorPaginator(int pageSize, List<String> cursorPath,
      List<String> identityFields, Requests requests) {
    this.pageSize = pageSize;
    this.cursorPath = cursorPath;
    this.identityFields = identityFields;
    this.requests = requests;
  }

  /**
   * Pages of {@code pageSize} records continued at the cursor found at {@code cursorPath} ({@link
   * JsonPaths}); {@code identityFields} identify a version of a record, to detect a repeated page.
   */
  public static ResponseCursorPaginator of(int pageSize, String cursorPath,
      List<String> identityFields, Requests requests) {
    if (pageSize <= 0) {
      throw new IllegalArgumentException("pageSize must be > 0, but was " + pageSize);
    }
    List<String> path = JsonPaths.parse(cursorPath);
    if (path.isEmpty()) {
      throw new IllegalArgumentException("cursorPath must name a field of the answer, not $");
    }
    Objects.requireNonNull(identityFields, "identityFields must not be null");
    Objects.requireNonNull(requests, "requests must not be null");
    return new ResponseCursorPaginator(pageSize, path, List.copyOf(identityFields), requests);
  }

  @Override
  public int pageSize() {
    return pageSize;
  }

  @Override
  public List<String> fields() {
    return identityFields;
  }

  @Override
  public Paginator.Window start(Instant from, Instant to) {
    return new Paginator.Window() {
      private String cursor;

      @Override
      public ApiRequest first() {
        return requests.page(from, to, null);
      }

      @Override
      public String stall(RecordSelector.Selection page) {
        return null;
      }

      @Override
      public String stall(RecordSelector.Selection page, Requester.Answer<?> answer) {
        String next = JsonPaths.scalar(answer.body(), cursorPath);
        return cursor != null && cursor.equals(next)
            ? "names as the next cursor the one it was asked with (" + next + ")" : null;
      }

      @Override
      public ApiRequest next(RecordSelector.Selection page, Requester.Answer<?> answer) {
        if (page.size() < pageSize) {
          return null;
        }
        String next = JsonPaths.scalar(answer.body(), cursorPath);
        if (next == null || next.isEmpty()) {
          return null;
        }
        cursor = next;
        return requests.page(from, to, cursor);
      }
    };
  }
}
