package dev.intake.pipeline.steps;

/**
 * The names of a run's outputs, as its counts, commit journal and summary know them: the clean
 * dataset, one per aggregate, the dead letters, the tombstones of a source with deletions, and
 * the version history when the spec asks for one.
 */
public final class Outputs {
  public static final String CLEAN = "clean";
  public static final String DEAD_LETTERS = "deadletter";
  public static final String TOMBSTONES = "tombstones";
  public static final String HISTORY = "history";

  private Outputs() {}

  /** The output of the aggregate called {@code name}. */
  public static String aggregate(String name) {
    return "aggregate:" + name;
  }
}
