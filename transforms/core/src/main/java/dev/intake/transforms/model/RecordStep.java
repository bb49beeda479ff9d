package dev.intake.transforms.model;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * One record-at-a-time stage of cleaning (parse, validate, derive), apart from the DoFn that runs
 * it, so that a pipeline can run a stage on its own or several stages in one step: on Flink's batch
 * translation a step with several outputs does not chain with the next, so every record crosses a
 * serialization boundary between two such steps.
 *
 * @param <InT> what the stage reads
 * @param <OutT> what it gives the next stage
 */
public interface RecordStep<InT, OutT> extends Serializable {
  /** Prepares what the stage needs on a worker (keys, caches); called once before {@link #apply}. */
  default void setup() throws Exception {}

  /**
   * The stage's output for {@code in}, or null after handing {@code rejects} the dead letter that
   * says why ({@code source} is the record {@code in} came from, for the dead letter's raw text).
   */
  OutT apply(InT in, SourceRecord source, Consumer<DeadLetter> rejects);
}
