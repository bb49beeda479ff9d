package dev.intake.pipeline.steps;

import dev.intake.transforms.sinks.lake.WriteParquet;
import dev.intake.transforms.sinks.lake.WrittenFile;
import java.util.Optional;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.Row;

/**
 * Writes one output's rows to the run's staging folder as Parquet and, where the warehouse loads in
 * the pipeline, to its staging table; outputs the count of rows written to files, under the
 * output's name.
 */
public final class WriteOutput
    extends PTransform<PCollection<Row>, PCollection<KV<TallyKey, Long>>> {
  private final String output;
  private final WriteParquet files;
  private final Optional<? extends PTransform<PCollection<Row>, PDone>> load;

  private WriteOutput(
      String output,
      WriteParquet files,
      Optional<? extends PTransform<PCollection<Row>, PDone>> load) {
    this.output = output;
    this.files = files;
    this.load = load;
  }

  /** Writes {@code output}'s rows with {@code files}, and with {@code load} when present. */
  public static WriteOutput of(
      String output,
      WriteParquet files,
      Optional<? extends PTransform<PCollection<Row>, PDone>> load) {
    return new WriteOutput(output, files, load);
  }

  @Override
  public PCollection<KV<TallyKey, Long>> expand(PCollection<Row> rows) {
    load.ifPresent(l -> rows.apply("LoadWarehouse", l));
    String name = output;
    return rows.apply("WriteParquet", files)
        .apply(
            "TallyRows",
            Tallies.sum(
                (WrittenFile f) -> KV.of(TallyKey.of(TallyKey.Kind.ROWS, name), f.getRows())));
  }
}
