package dev.intake.pipeline.steps;

import dev.intake.transforms.dedup.DedupByKey;
import dev.intake.transforms.sinks.lake.Partitioner;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The partitions a run changes: those of every incoming row that won its key, and those of every
 * stored row that an incoming row replaced (a key whose partition value changed leaves its old
 * partition too). Only these partitions are rewritten; every other partition stays as it is.
 */
public final class TouchedPartitions extends PTransform<DedupByKey.Result, PCollection<String>> {
  private final Partitioner partitioner;

  private TouchedPartitions(Partitioner partitioner) {
    this.partitioner = partitioner;
  }

  public static TouchedPartitions of(Partitioner partitioner) {
    return new TouchedPartitions(partitioner);
  }

  @Override
  public PCollection<String> expand(DedupByKey.Result dedup) {
    Partitioner p = partitioner;
    PCollection<String> won =
        dedup
            .newest()
            .apply("IncomingWinners", Filter.by(MarkOrigin::isIncoming))
            .apply("WinnerPartitions", MapElements.into(TypeDescriptors.strings()).via(p::folderOf));
    PCollection<String> replaced =
        dedup
            .superseded()
            .apply("ReplacedStored", Filter.by((Row r) -> !MarkOrigin.isIncoming(r)))
            .apply("ReplacedPartitions", MapElements.into(TypeDescriptors.strings()).via(p::folderOf));
    return PCollectionList.of(won)
        .and(replaced)
        .apply("Together", Flatten.pCollections())
        .apply("Distinct", DistinctPartitions.create());
  }

  /** Keeps the rows whose partition is in {@code touched}. */
  public static KeepTouched keep(PCollection<String> touched, Partitioner partitioner) {
    return new KeepTouched(touched, partitioner);
  }

  /** See {@link #keep}. */
  public static final class KeepTouched extends PTransform<PCollection<Row>, PCollection<Row>> {
    private final PCollection<String> touched;
    private final Partitioner partitioner;

    private KeepTouched(PCollection<String> touched, Partitioner partitioner) {
      this.touched = touched;
      this.partitioner = partitioner;
    }

    @Override
    public PCollection<Row> expand(PCollection<Row> input) {
      PCollectionView<List<String>> view = touched.apply("AsSideInput", View.asList());
      return input
          .apply(
              "FilterPartitions",
              ParDo.of(new KeepTouchedFn(view, partitioner)).withSideInputs(view))
          .setRowSchema(input.getSchema());
    }
  }

  static final class KeepTouchedFn extends DoFn<Row, Row> {
    private final PCollectionView<List<String>> view;
    private final Partitioner partitioner;
    private transient Set<String> touched;

    KeepTouchedFn(PCollectionView<List<String>> view, Partitioner partitioner) {
      this.view = view;
      this.partitioner = partitioner;
    }

    @StartBundle
    public void startBundle() {
      touched = null;
    }

    @ProcessElement
    public void process(@Element Row row, ProcessContext c) {
      if (touched == null) {
        touched = new HashSet<>(c.sideInput(view));
      }
      if (touched.contains(partitioner.folderOf(row))) {
        c.output(row);
      }
    }
  }
}
