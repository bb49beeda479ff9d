package dev.intake.transforms.sources.http;

import java.time.Instant;

/**
 * A window holds more records than {@code maxPagesPerWindow} pages: split it and fetch the parts.
 * Thrown after the window's first {@code maxPagesPerWindow} pages went to the consumer, which
 * must discard them (the parts will deliver those records again).
 */
public final class WindowTooLargeException extends ApiException {
  private static final long serialVersionUID = 1L;

  private final Instant from;
  private final Instant to;
  private final int maxPages;

  public WindowTooLargeException(Instant from, Instant to, int maxPages, String message) {
    super(Kind.TOO_MANY_PAGES, message);
    this.from = from;
    this.to = to;
    this.maxPages = maxPages;
  }

  /** The window's start (inclusive). */
  public Instant from() {
    return from;
  }

  /** The window's end (exclusive). */
  public Instant to() {
    return to;
  }

  /** The cap that was reached. */
  public int maxPages() {
    return maxPages;
  }
}
