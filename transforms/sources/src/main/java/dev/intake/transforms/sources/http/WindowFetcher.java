package dev.intake.transforms.sources.http;

import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;

/**
 * Reads the records of one API whose window field falls in a time window, page by page. What
 * {@link ReadApiPages} runs on the workers: a source's {@code ApiSource.Prepared} gives a
 * serializable {@link Factory}, opened once per run and worker process, so every thread of the
 * process shares the fetcher, its connections and its retry budget. Thread-safe; close it when
 * done.
 *
 * @see dev.intake.transforms.sources.ApiSource.Prepared
 */
public interface WindowFetcher extends AutoCloseable {
  /**
   * Delivers every record with {@code from <= windowField < to} to {@code consumer}, page by page,
   * in order, on this thread. Page 0 is delivered even if the window is empty.
   *
   * @throws WindowTooLargeException after {@code maxPagesPerWindow} pages if records remain
   * @throws ApiException if the API refuses, retries run out, or the thread is interrupted
   * @throws IOException anything else {@code consumer} threw, as is
   */
  void fetchWindow(Instant from, Instant to, PageConsumer consumer) throws IOException;

  /** Releases connections and threads. */
  @Override
  void close();

  /** Opens fetchers on the workers; holds configuration and secret names, never secrets. */
  @FunctionalInterface
  interface Factory extends Serializable {
    /** A fetcher, with its secrets read from the environment now. */
    WindowFetcher open();
  }
}
