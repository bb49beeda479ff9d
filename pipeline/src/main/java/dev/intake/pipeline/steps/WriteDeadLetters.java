package dev.intake.pipeline.steps;

import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.sinks.lake.WriteParquet;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.Row;

/**
 * Writes the run's dead letters, as rows of {@link DeadLetterRows#SCHEMA} sorted by source
 * position, to the staging folder (and staging table), and counts them by stage and reason.
 */
public final class WriteDeadLetters
    extends PTransform<PCollection<DeadLetter>, PCollection<KV<TallyKey, Long>>> {
  private final String directory;
  private final Optional<? extends PTransform<PCollection<Row>, PDone>> load;

  private WriteDeadLetters(
      String directory, Optional<? extends PTransform<PCollection<Row>, PDone>> load) {
    this.directory = directory;
    this.load = load;
  }

  public static WriteDeadLetters to(
      String directory, Optional<? extends PTransform<PCollection<Row>, PDone>> load) {
    return new WriteDeadLetters(directory, load);
  }

  @Override
  public PCollection<KV<TallyKey, Long>> expand(PCollection<DeadLetter> deadLetters) {
    PCollection<KV<TallyKey, Long>> rejected =
        deadLetters.apply(
            "TallyRejected",
            Tallies.count((DeadLetter d) -> TallyKey.rejected(d.getStage(), d.getReasonCode())));
    PCollection<KV<TallyKey, Long>> written =
        deadLetters
            .apply("AsRows", new DeadLetterRows())
            .apply(
                "WriteRows",
                WriteOutput.of(
                    Outputs.DEAD_LETTERS,
                    WriteParquet.to(directory).sortedBy(List.of("source", "offset")),
                    load));
    return PCollectionList.of(rejected).and(written).apply("AllTallies", Flatten.pCollections());
  }
}
