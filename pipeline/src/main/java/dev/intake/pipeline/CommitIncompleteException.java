package dev.intake.pipeline;

/**
 * A commit that failed after it began to publish (the partitions swapped, the warehouse not yet
 * merged): the lake and the warehouse may disagree until the next run of the dataset completes
 * it. The command exits with code 3; the message names the cause.
 */
public class CommitIncompleteException extends RunFailedException {
  public CommitIncompleteException(String message) {
    super(message);
  }
}
