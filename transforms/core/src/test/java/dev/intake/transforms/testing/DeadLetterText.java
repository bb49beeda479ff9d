package dev.intake.transforms.testing;

import dev.intake.transforms.model.DeadLetter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Renders dead letters as one line of text each, {@code stage | reasonCode | reason |
 * source:line@offset | rawText | dataset/runId@recordedAt}, so a test can compare them with literal
 * expectations and read the difference when they don't match.
 */
public final class DeadLetterText extends PTransform<PCollection<DeadLetter>, PCollection<String>> {

  public static DeadLetterText of() {
    return new DeadLetterText();
  }

  public static String format(DeadLetter d) {
    return String.join(
        " | ",
        d.getStage(),
        d.getReasonCode(),
        d.getReason(),
        d.getSource() + ":" + d.getLine() + "@" + d.getOffset(),
        d.getRawText(),
        d.getDataset() + "/" + d.getRunId() + "@" + d.getRecordedAt());
  }

  @Override
  public PCollection<String> expand(PCollection<DeadLetter> input) {
    return input.apply(
        "FormatDeadLetters",
        MapElements.into(TypeDescriptors.strings()).via(DeadLetterText::format));
  }
}
