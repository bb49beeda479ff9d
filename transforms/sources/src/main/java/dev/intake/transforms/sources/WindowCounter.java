package dev.intake.transforms.sources;

import java.io.IOException;
import java.time.Instant;

/**
 * Counts the records of a source whose window field falls in {@code [from, to)}, with one request
 * per range and the source's usual retries, so that a run can plan its windows from the data
 * ({@link WindowPlanner}) instead of the calendar. Opened on the driver by {@link
 * ApiSource.Prepared#counter()}, used by one thread, closed when planning is done.
 *
 * <p>For a protocol adapter: implement it when the API can count a range cheaply (Socrata:
 * {@code $select=count(*)} with the window's {@code $where}; a search API: the total its answer
 * reports for a {@code limit} of 1 with the window's predicates). The count must cover exactly the
 * records a read of the same window returns; an estimate that is too low only makes windows
 * larger, which the run still splits when a window has more than {@code maxPagesPerWindow}
 * pages.
 */
public interface WindowCounter extends AutoCloseable {
  /**
   * The number of records with {@code from <= windowField < to}.
   *
   * @throws IOException if the API refuses or retries run out (an {@code ApiException})
   */
  long count(Instant from, Instant to) throws IOException;

  /** Releases connections. */
  @Override
  void close();
}
