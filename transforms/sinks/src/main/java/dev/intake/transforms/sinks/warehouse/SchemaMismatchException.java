package dev.intake.transforms.sinks.warehouse;

/** A warehouse table whose columns disagree with the dataset spec; the message names them. */
public class SchemaMismatchException extends RuntimeException {
  public SchemaMismatchException(String message) {
    super(message);
  }
}
