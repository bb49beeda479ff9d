package dev.intake.pipeline.steps;

import dev.intake.transforms.sinks.lake.Partitioner;
import dev.intake.transforms.sinks.lake.ReadLake;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;

/**
 * The lake partitions that hold a stored row of any of the input keys (key texts, as {@link
 * ApplyTombstones#keyOf} gives them), each once. It reads only the key columns and the partition
 * field of the stored rows ({@link ReadLake#columns}), so it costs a small part of reading the
 * lake; the keys are a side input, so the stored rows are not shuffled.
 */
public final class FindKeyPartitions extends PTransform<PCollection<String>, PCollection<String>> {
  private final String lakeDirectory;
  private final Schema keyAndPartition;
  private final List<String> key;
  private final Partitioner partitioner;

  private FindKeyPartitions(
      String lakeDirectory, Schema keyAndPartition, List<String> key, Partitioner partitioner) {
    this.lakeDirectory = lakeDirectory;
    this.keyAndPartition = keyAndPartition;
    this.key = key;
    this.partitioner = partitioner;
  }

  /**
   * Looks up keys of the {@code key} fields in the rows stored under {@code lakeDirectory}, whose
   * schema is {@code clean}, partitioned by {@code partitioner}. Both the key fields and the
   * partitioner's field must be fields of {@code clean} stored under their names.
   */
  public static FindKeyPartitions of(
      String lakeDirectory, Schema clean, List<String> key, Partitioner partitioner) {
    Schema.Builder b = Schema.builder();
    for (String k : key) {
      b.addField(clean.getField(k));
    }
    if (!key.contains(partitioner.field())) {
      b.addField(clean.getField(partitioner.field()));
    }
    return new FindKeyPartitions(lakeDirectory, b.build(), List.copyOf(key), partitioner);
  }

  @Override
  public PCollection<String> expand(PCollection<String> keys) {
    // No distinct before the view: the lookup builds a set anyway, and on the DirectRunner a
    // per-key distinct makes a bundle of every key (tens of thousands, each set up in every step).
    PCollectionView<Iterable<String>> wanted = keys.apply("AsKeySet", View.asIterable());
    return keys.getPipeline()
        .apply("ReadKeyColumns", ReadLake.columns(lakeDirectory, keyAndPartition))
        .apply("PartitionsOfWantedKeys",
            ParDo.of(new PartitionOfWantedFn(wanted, key, partitioner)).withSideInputs(wanted))
        .apply("DistinctPartitions", DistinctPartitions.create());
  }

  /** The partition of each stored (key, partition field) row whose key is wanted. */
  static final class PartitionOfWantedFn extends DoFn<Row, String> {
    private final Counter scanned = Metrics.counter(FindKeyPartitions.class, "storedKeysScanned");
    private final WantedKeys wanted;
    private final List<String> key;
    private final Partitioner partitioner;

    PartitionOfWantedFn(
        PCollectionView<Iterable<String>> wanted, List<String> key, Partitioner partitioner) {
      this.wanted = new WantedKeys(wanted);
      this.key = key;
      this.partitioner = partitioner;
    }

    @ProcessElement
    public void process(@Element Row row, ProcessContext c) {
      scanned.inc();
      if (wanted.contains(c, ApplyTombstones.keyOf(row, key))) {
        c.output(partitioner.folderOf(row));
      }
    }
  }
}
