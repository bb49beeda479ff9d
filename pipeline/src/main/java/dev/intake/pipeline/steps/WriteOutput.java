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
 * output's name. With {@link #written}, the files were written by an earlier step (which held the
 * rows already): only the warehouse load and the count are left.
 */
public final class WriteOutput
    extends PTransform<PCollection<Row>, PCollection<KV<TallyKey, Long>>> {
  private final String output;
  private final WriteParquet files;
  private final Optional<? extends PTransform<PCollection<Row>, PDone>> load;
  private final PCollection<WrittenFile> written;

  private WriteOutput(
      String output,
      WriteParquet files,
      Optional<? extends PTransform<PCollection<Row>, PDone>> load,
      PCollection<WrittenFile> written) {
    this.output = output;
    this.files = files;
    this.load = load;
    this.written = written;
  }

  /** Writes {@code output}'s rows with {@code files}, and with {@code load} when present. */
  public static WriteOutput of(
      String output,
      WriteParquet files,
      Optional<? extends PTransform<PCollection<Row>, PDone>> load) {
    return new WriteOutput(output, files, load, null);
  }

  /**
   * Counts {@code output}'s {@code written} files (its rows are in them already), and loads its
   * rows with {@code load} when present.
   */
  public static WriteOutput written(
      String output,
      PCollection<WrittenFile> written,
      Optional<? extends PTransform<PCollection<Row>, PDone>> load) {
    return new WriteOutput(output, null, load, written);
  }

  @Override
  public PCollection<KV<TallyKey, Long>> expand(PCollection<Row> rows) {
    load.ifPresent(l -> rows.apply("LoadWarehouse", l));
    String name = output;
    PCollection<WrittenFile> inFiles = written != null ? written
        : rows.apply("WriteParquet", files);
    return inFiles.apply(
            "TallyRows",
            Tallies.sum(
                (WrittenFile f) -> KV.of(TallyKey.of(TallyKey.Kind.ROWS, name), f.getRows())));
  }
}
