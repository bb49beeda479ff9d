package dev.intake.transforms.sources.http;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Offset paging: page {@code n} asks for the records from {@code n * pageSize}; a short page is
 * the last. The protocol writes the requests ({@link Requests}). A server that ignores the offset
 * answers the same page again, which the fetcher detects by the records' {@link #fields()}.
 */
public final class OffsetPaginator implements Paginator {
  /** Writes the requests of a protocol's offset paging. */
  @FunctionalInterface
  public interface Requests {
    /** The request for the records of {@code [from, to)} from {@code offset} on. */
    ApiRequest page(Instant from, Instant to, long offset);
  }

  private final int pageSize;
  private final List<String> identityFields;
  private final Requests requests;

  private OffsetPaginator(int pageSize, List<String> identityFields, Requests requests) {
    this.pageSize = pageSize;
    this.identityFields = identityFields;
    this.requests = requests;
  }

  /**
   * Pages of {@code pageSize} records; {@code identityFields} identify a version of a record (e.g.
   * an id and the update time), to detect a repeated page.
   */
  public static OffsetPaginator of(int pageSize, List<String> identityFields, Requests requests) {
    if (pageSize <= 0) {
      throw new IllegalArgumentException("pageSize must be > 0, but was " + pageSize);
    }
    Objects.requireNonNull(identityFields, "identityFields must not be null");
    Objects.requireNonNull(requests, "requests must not be null");
    return new OffsetPaginator(pageSize, List.copyOf(identityFields), requests);
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
      private long offset;

      @Override
      public ApiRequest first() {
        return requests.page(from, to, 0);
      }

      @Override
      public String stall(RecordSelector.Selection page) {
        return null;
      }

      @Override
      public ApiRequest next(RecordSelector.Selection page, Requester.Answer<?> answer) {
        if (page.size() < pageSize) {
          return null;
        }
        offset += pageSize;
        return requests.page(from, to, offset);
      }
    };
  }
}
