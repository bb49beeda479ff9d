package dev.intake.testdata.http;

import java.time.Duration;
import java.util.Objects;

/**
 * A fault a {@link FakeHttpServer} injects into one request instead of (or into) its normal
 * answer. Faults never change a server's data. Create them with the factory methods and script
 * them with {@link FakeHttpServer#failRequest}, {@link FakeHttpServer#failNext} or {@link
 * FakeHttpServer#failRandomly}; a status fault's body is the protocol's error shape.
 */
public final class Fault {
  /** What the fault does to the exchange. */
  public enum Kind {
    /** Answers with {@link #status()} (and a small JSON body, none for 202) instead of rows. */
    STATUS,
    /** Waits {@link #delay()} before the first byte, then answers normally. */
    SLOW,
    /** Resets the connection (TCP RST) after reading the request, before any byte. */
    RESET_BEFORE_HEADERS,
    /** Sends the normal status line and headers, then resets the connection (TCP RST). */
    RESET_AFTER_HEADERS,
    /** Sends the normal headers (full Content-Length) and half of the body, then closes. */
    TRUNCATED_BODY,
    /** Answers 200 with a correct Content-Length but a body that is not valid JSON. */
    MALFORMED_JSON
  }

  private final Kind kind;
  private final int status;
  private final String retryAfter;
  private final Duration delay;

  private Fault(Kind kind, int status, String retryAfter, Duration delay) {
    this.kind = kind;
    this.status = status;
    this.retryAfter = retryAfter;
    this.delay = delay;
  }

  /** 429 Too Many Requests with {@code Retry-After: <seconds>} (0 is allowed). */
  public static Fault tooManyRequests(long retryAfterSeconds) {
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException("Retry-After must be >= 0");
    }
    return new Fault(Kind.STATUS, 429, Long.toString(retryAfterSeconds), Duration.ZERO);
  }

  /** 429 Too Many Requests without a Retry-After header. */
  public static Fault tooManyRequests() {
    return status(429);
  }

  /** 500 Internal Server Error. */
  public static Fault serverError() {
    return status(500);
  }

  /** 503 Service Unavailable (without Retry-After; see {@link #withRetryAfter}). */
  public static Fault serviceUnavailable() {
    return status(503);
  }

  /** 202 Accepted with an empty body: Socrata's "still processing, ask again". */
  public static Fault stillProcessing() {
    return status(202);
  }

  /** Any status, e.g. 502 or 504, with the protocol's small JSON error body (none for 202). */
  public static Fault status(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    return new Fault(Kind.STATUS, status, null, Duration.ZERO);
  }

  /** Waits {@code delay} before the first byte, then answers normally (for client timeouts). */
  public static Fault slow(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("negative delay");
    }
    return new Fault(Kind.SLOW, 0, null, delay);
  }

  /** Resets the connection (SO_LINGER 0, then close) before sending anything. */
  public static Fault resetBeforeHeaders() {
    return new Fault(Kind.RESET_BEFORE_HEADERS, 0, null, Duration.ZERO);
  }

  /**
   * Sends the status line and headers of the normal answer, waits 100 ms (so the client has read
   * them), then resets the connection.
   */
  public static Fault resetAfterHeaders() {
    return new Fault(Kind.RESET_AFTER_HEADERS, 0, null, Duration.ofMillis(100));
  }

  /** Sends the normal headers with the full Content-Length, half the body, then closes (FIN). */
  public static Fault truncatedBody() {
    return new Fault(Kind.TRUNCATED_BODY, 0, null, Duration.ZERO);
  }

  /**
   * Answers 200 with the first half of the normal JSON body (at least {@code [{"}), never
   * valid JSON, and a Content-Length that matches what is sent.
   */
  public static Fault malformedJson() {
    return new Fault(Kind.MALFORMED_JSON, 0, null, Duration.ZERO);
  }

  /**
   * This status fault with a {@code Retry-After} header of exactly {@code value} (seconds or an
   * HTTP date).
   */
  public Fault withRetryAfter(String value) {
    if (kind != Kind.STATUS) {
      throw new IllegalStateException("Retry-After applies to status faults only");
    }
    return new Fault(kind, status, Objects.requireNonNull(value), delay);
  }

  /** What this fault does. */
  public Kind kind() {
    return kind;
  }

  /** The status of a {@link Kind#STATUS} fault, else 0. */
  public int status() {
    return status;
  }

  /** The Retry-After header value sent with a status fault, or null for none. */
  public String retryAfter() {
    return retryAfter;
  }

  /** The wait before the first byte ({@link Kind#SLOW}), or before the reset. */
  public Duration delay() {
    return delay;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fault f && f.kind == kind && f.status == status
        && Objects.equals(f.retryAfter, retryAfter) && f.delay.equals(delay);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, status, retryAfter, delay);
  }

  @Override
  public String toString() {
    switch (kind) {
      case STATUS:
        return status + (retryAfter == null ? "" : " Retry-After: " + retryAfter);
      case SLOW:
        return "slow " + delay.toMillis() + " ms";
      default:
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
  }
}
