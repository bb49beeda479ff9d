package dev.intake.transforms.testing;

/**
 * Finds an exception in a cause chain. Runners wrap user-code failures differently (the
 * DirectRunner wraps a failing {@code @Setup} in Guava's {@code UncheckedExecutionException}, an
 * element failure in {@code PipelineExecutionException}), so tests look for the failure they mean.
 */
public final class Causes {
  private Causes() {}

  /** The first throwable of {@code type} in the cause chain of {@code thrown}, itself included. */
  public static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    throw new AssertionError("no " + type.getName() + " in the cause chain", thrown);
  }
}
