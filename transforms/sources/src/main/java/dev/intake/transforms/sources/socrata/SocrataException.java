package dev.intake.transforms.sources.socrata;

import java.io.IOException;

/**
 * Socrata could not give what was asked, and retrying will not help: an answer that is not
 * retried (400, 401, 403, 404, a redirect, ...), retries exhausted (per request or the client's
 * budget), an answer the pager cannot continue from, a window with too many pages ({@link
 * WindowTooLargeException}), a missing app token, or an interrupt.
 *
 * <p>{@link #getMessage()} is one line that names the status, Socrata's error code and message,
 * the URL (readable, never with the token) and the {@code X-Socrata-RequestId}, e.g. {@code
 * Socrata answered 403 permission_denied (Invalid app_token specified) for GET
 * https://data.sfgov.org/resource/vw6y-z8j6.json?$limit=1 [request id abc]}.
 */
public class SocrataException extends IOException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_MESSAGE = 1000;

  /** Why the client stopped. */
  public enum Kind {
    /** Socrata answered with a status that is not retried (see {@link #status()}). */
    REFUSED,
    /** A retryable problem persisted beyond maxRetriesPerRequest or the client's retry budget. */
    GAVE_UP,
    /** A 200 the pager cannot use, e.g. a row without the window field to continue from. */
    BAD_ANSWER,
    /** The window has more than maxPagesPerWindow pages ({@link WindowTooLargeException}). */
    TOO_MANY_PAGES,
    /** tokenEnv names an environment variable that is not set, empty or unusable. */
    MISSING_TOKEN,
    /** The thread was interrupted while waiting; its interrupt flag is set again. */
    INTERRUPTED
  }

  private final Kind kind;
  private final int status;
  private final String requestId;

  SocrataException(Kind kind, String message, int status, String requestId, Throwable cause) {
    super(oneLine(message), cause);
    this.kind = kind;
    this.status = status;
    this.requestId = requestId == null ? "" : requestId;
  }

  SocrataException(Kind kind, String message) {
    this(kind, message, 0, "", null);
  }

  /** Why the client stopped. */
  public Kind kind() {
    return kind;
  }

  /** The HTTP status of the last answer, or 0 if there was none (a connection error). */
  public int status() {
    return status;
  }

  /** The {@code X-Socrata-RequestId} of the last answer, or "" if there was none. */
  public String requestId() {
    return requestId;
  }

  static String oneLine(String text) {
    String s = text == null ? "" : text.replaceAll("\\s+", " ").trim();
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 1) + "…";
  }
}
