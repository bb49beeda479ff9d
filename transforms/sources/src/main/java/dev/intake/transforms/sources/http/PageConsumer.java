package dev.intake.transforms.sources.http;

import java.io.IOException;

/**
 * Receives the pages of one window, in order, on the thread that called {@link
 * WindowFetcher#fetchWindow}. An exception it throws ends the fetch and reaches that caller as is.
 */
@FunctionalInterface
public interface PageConsumer {
  void accept(Page page) throws IOException;
}
