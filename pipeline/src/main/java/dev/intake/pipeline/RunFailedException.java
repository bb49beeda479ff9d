package dev.intake.pipeline;

/** A run that did not commit; the message says why, and the run summary holds the details. */
public class RunFailedException extends RuntimeException {
  public RunFailedException(String message) {
    super(message);
  }
}
