package dev.intake.options;

/** A user's option value or combination is not acceptable; the message says which and why. */
public class InvalidOptionsException extends RuntimeException {
  public InvalidOptionsException(String message) {
    super(message);
  }
}
