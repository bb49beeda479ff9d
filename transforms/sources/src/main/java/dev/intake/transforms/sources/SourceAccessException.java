package dev.intake.transforms.sources;

/**
 * A source refused before the run read anything (a bad credential, an unknown dataset, a wrong
 * URL): the message is one line that names what was asked (never a secret) and the answer.
 */
public class SourceAccessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SourceAccessException(String message) {
    super(message);
  }
}
