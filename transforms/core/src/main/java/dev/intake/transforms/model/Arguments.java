package dev.intake.transforms.model;

/**
 * Argument checks for factories and {@code withX()} setters, with messages in the house form:
 * {@code "pageSize must be > 0, but was 0"}.
 */
public final class Arguments {
  private Arguments() {}

  /**
   * Throws {@link IllegalArgumentException} with {@code message} formatted with {@code args}
   * ({@link String#format}) unless {@code ok}.
   */
  public static void check(boolean ok, String message, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }
}
