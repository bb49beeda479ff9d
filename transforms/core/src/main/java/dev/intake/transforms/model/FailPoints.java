package dev.intake.transforms.model;

/**
 * Named places where a test can make a run crash, to prove that a failure there leaves every
 * sink as it was. A fail point fires when the system property {@value #PROPERTY} names it (in the
 * JVM that reaches it); otherwise checking one costs a property lookup.
 */
public final class FailPoints {
  public static final String PROPERTY = "intake.failpoint";

  private FailPoints() {}

  /** Throws {@link InjectedFailure} if the fail point {@code name} is armed. */
  public static void check(String name) {
    if (name.equals(System.getProperty(PROPERTY))) {
      throw new InjectedFailure(name);
    }
  }

  /** The crash a fail point causes. */
  public static final class InjectedFailure extends RuntimeException {
    public InjectedFailure(String name) {
      super("injected failure at " + name);
    }
  }
}
