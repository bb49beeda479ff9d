package dev.intake.transforms.sources;

/**
 * A source refused before the run read anything (a bad credential, an unknown dataset, a wrong
 * URL), or could not be reached at all ({@link #outage()}: no answer, or only failures that were
 * retried until the retries ran out): the message is one line that names what was asked (never a
 * secret) and the answer.
 */
public class SourceAccessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean outage;

  public SourceAccessException(String message) {
    this(message, false);
  }

  public SourceAccessException(String message, boolean outage) {
    super(message);
    this.outage = outage;
  }

  /** True when the source could not be reached (an outage), not refused what was asked. */
  public boolean outage() {
    return outage;
  }
}
