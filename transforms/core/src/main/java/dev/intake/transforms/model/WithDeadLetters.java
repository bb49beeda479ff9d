package dev.intake.transforms.model;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The result of a transform that can reject records: its output and its dead letters together, so
 * a caller can't forget the failures.
 */
public final class WithDeadLetters<T> implements POutput {
  private final Pipeline pipeline;
  private final TupleTag<T> outputTag;
  private final PCollection<T> output;
  private final TupleTag<DeadLetter> deadLetterTag;
  private final PCollection<DeadLetter> deadLetters;

  private WithDeadLetters(
      Pipeline pipeline,
      TupleTag<T> outputTag,
      PCollection<T> output,
      TupleTag<DeadLetter> deadLetterTag,
      PCollection<DeadLetter> deadLetters) {
    this.pipeline = pipeline;
    this.outputTag = outputTag;
    this.output = output;
    this.deadLetterTag = deadLetterTag;
    this.deadLetters = deadLetters;
  }

  public static <T> WithDeadLetters<T> of(
      TupleTag<T> outputTag,
      PCollection<T> output,
      TupleTag<DeadLetter> deadLetterTag,
      PCollection<DeadLetter> deadLetters) {
    return new WithDeadLetters<>(
        output.getPipeline(), outputTag, output, deadLetterTag, deadLetters);
  }

  public PCollection<T> output() {
    return output;
  }

  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(outputTag, output, deadLetterTag, deadLetters);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
