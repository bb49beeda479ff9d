package dev.intake.transforms.sources.http;

import java.time.Instant;
import java.util.List;

/**
 * How the pages of one time window are requested: the first request, and from each page the next
 * one, or the end. A {@link PagedWindowFetcher} drives it; besides what a paginator decides, the
 * fetcher ends paging on an empty page, on a page that only repeats records of the previous one,
 * and fails past {@code maxPagesPerWindow} pages.
 */
public interface Paginator {
  /** The records asked per page; a shorter page is the last. */
  int pageSize();

  /**
   * The record fields whose scalar values the paginator reads from each page (its cursor). Together
   * they also identify a version of a record, to detect a page that repeats the previous one (a
   * record with none of them is identified by its text).
   */
  List<String> fields();

  /** The paging of the window {@code [from, to)}: one per window, used on one thread. */
  Window start(Instant from, Instant to);

  /** The state of one window's paging. */
  interface Window {
    /** The request for the window's first page. */
    ApiRequest first();

    /**
     * Why {@code page} (a non-empty page after a previous one) does not advance past it, e.g.
     * "ends on the record the previous page ended on"; null when it does.
     */
    String stall(RecordSelector.Selection page);

    /**
     * As {@link #stall(RecordSelector.Selection)}, for a paginator that also needs the answer
     * (e.g. a cursor in the body); the fetcher calls this one.
     */
    default String stall(RecordSelector.Selection page, Requester.Answer<?> answer) {
      return stall(page);
    }

    /**
     * The request for the page after {@code page} (just delivered, non-empty), or null when it
     * was the last one (e.g. shorter than {@link #pageSize()}).
     *
     * @throws ApiException ({@link ApiException.Kind#BAD_ANSWER}) if the page gives no way on
     */
    ApiRequest next(RecordSelector.Selection page, Requester.Answer<?> answer)
        throws ApiException;
  }
}
