package dev.intake.transforms.sources.http;

import java.io.IOException;

/**
 * An API could not give what was asked, and retrying will not help: an answer that is not retried
 * (400, 401, 403, 404, a redirect, ...), retries exhausted (per request or the requester's
 * budget), an answer the paginator cannot continue from, a window with too many pages ({@link
 * WindowTooLargeException}), a missing or unusable secret, or an interrupt.
 *
 * <p>{@link #getMessage()} is one line (at most 1000 characters) naming the status, the
 * protocol's error detail, the request (readable, never with a secret) and the request id, e.g.
 * {@code Example answered 403 forbidden (Invalid key) for GET https://api.example.org/items?limit=1
 * [request id abc]}.
 */
public class ApiException extends IOException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_MESSAGE = 1000;

  /** Why the requester or the pager stopped. */
  public enum Kind {
    /** The API answered with a status that is not retried (see {@link #status()}). */
    REFUSED,
    /** A retryable problem persisted beyond maxRetriesPerRequest or the retry budget. */
    GAVE_UP,
    /** A 200 the paginator cannot use, e.g. a last record without its cursor field. */
    BAD_ANSWER,
    /** The window has more than maxPagesPerWindow pages ({@link WindowTooLargeException}). */
    TOO_MANY_PAGES,
    /** The environment variable that should hold the secret is not set, empty or unusable. */
    MISSING_SECRET,
    /** The thread was interrupted while waiting; its interrupt flag is set again. */
    INTERRUPTED
  }

  private final Kind kind;
  private final int status;
  private final String requestId;

  /** {@code message} is made one line; {@code requestId} null is "". */
  public ApiException(Kind kind, String message, int status, String requestId, Throwable cause) {
    super(oneLine(message), cause);
    this.kind = kind;
    this.status = status;
    this.requestId = requestId == null ? "" : requestId;
  }

  public ApiException(Kind kind, String message) {
    this(kind, message, 0, "", null);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status of the last answer, or 0 if there was none (a connection error). */
  public int status() {
    return status;
  }

  /** The request id of the last answer, or "" if it had none. */
  public String requestId() {
    return requestId;
  }

  static String oneLine(String text) {
    String s = text == null ? "" : text.replaceAll("\\s+", " ").trim();
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 1) + "…";
  }
}
