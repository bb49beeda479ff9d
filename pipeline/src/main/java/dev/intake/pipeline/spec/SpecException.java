package dev.intake.pipeline.spec;

/**
 * A dataset spec that cannot be used; the message names the file and the line. It is one line:
 * line breaks a message quotes from the spec are shown as {@code \n}, and a message longer than
 * 500 characters is cut.
 */
public class SpecException extends RuntimeException {
  private static final int MAX_MESSAGE = 500;

  public SpecException(String file, int line, String message) {
    super(file + (line > 0 ? ":" + line : "") + ": " + oneLine(message));
  }

  private static String oneLine(String message) {
    String s = message.replace("\r", "\\r").replace("\n", "\\n");
    return s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE) + "…" : s;
  }
}
