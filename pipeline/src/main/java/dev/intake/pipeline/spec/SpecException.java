package dev.intake.pipeline.spec;

/** A dataset spec that cannot be used; the message names the file and the line. */
public class SpecException extends RuntimeException {
  public SpecException(String file, int line, String message) {
    super(file + (line > 0 ? ":" + line : "") + ": " + message);
  }
}
