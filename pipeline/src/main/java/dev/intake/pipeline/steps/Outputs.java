package dev.intake.pipeline.steps;

/**
 * The names of a run's outputs, as its counts, commit journal and summary know them: the clean
 * dataset, one per aggregate, the dead letters, and the tombstones of a source with deletions.
 */
public final class Outputs {
  public static final String CLEAN = "clean";
  public static final String DEAD_LETTERS = "deadletter";
  public static final String TOMBSTONES = "tombstones";

  private Outputs() {}

  /** The output of the aggregate called {@code name}. */
  public static String aggregate(String name) {
    return "aggregate:" + name;
  }
}
