package dev.intake.transforms.sources.http;

/**
 * A 200 answer whose body is not what the source expects (e.g. not a JSON array of objects): the
 * {@link Requester} retries it, as it would a truncated body. The message is the detail, e.g.
 * "Unexpected end-of-input"; {@link #expected()} says what the body should have been.
 */
public final class MalformedAnswerException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String expected;

  public MalformedAnswerException(String expected, String detail) {
    super(detail);
    this.expected = expected;
  }

  /** What the body should have been, e.g. "a JSON array of objects". */
  public String expected() {
    return expected;
  }
}
