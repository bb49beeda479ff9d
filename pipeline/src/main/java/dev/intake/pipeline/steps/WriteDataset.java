package dev.intake.pipeline.steps;

import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.transforms.aggregate.AggregateRows;
import dev.intake.transforms.sinks.lake.LakeLayout;
import dev.intake.transforms.sinks.lake.Partitioner;
import dev.intake.transforms.sinks.lake.WriteParquet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.Row;

/**
 * Writes the merged dataset to the run's staging folder: the clean rows of every touched partition
 * (sorted by key, at most {@code maxRowsPerFile} per file, with a Bloom filter of a single-field
 * key for {@link FindKeyPartitions}; {@link #cleanFiles}), unless the merge wrote them ({@link
 * MergeWithLake#CLEAN_WRITTEN}), and each aggregate — an aggregate aligned with the
 * partitions from the touched partitions' rows (unless the merge computed it: {@link
 * MergeWithLake#aggregated}) or wrote it ({@link MergeWithLake#aggregateWritten}), any other
 * from the newest row of every key. Where
 * the warehouse loads in the pipeline, the same rows go to its staging tables ({@code loads}, by
 * output name), and so do the tombstones to keep, when the source has deletions. Outputs the counts
 * of rows written to each output's files it writes (none when the merge wrote them all), but the
 * clean files' (counted from their footers when the run is checked, whoever wrote them).
 */
public final class WriteDataset
    extends PTransform<PCollectionTuple, PCollection<KV<TallyKey, Long>>> {
  private final DatasetSpec spec;
  private final Schema clean;
  private final LakeLayout.Staging staging;
  private final int maxRowsPerFile;
  private final Map<String, ? extends PTransform<PCollection<Row>, PDone>> loads;
  private final int aggregateBuckets;

  private WriteDataset(
      DatasetSpec spec,
      Schema clean,
      LakeLayout.Staging staging,
      int maxRowsPerFile,
      Map<String, ? extends PTransform<PCollection<Row>, PDone>> loads,
      int aggregateBuckets) {
    this.spec = spec;
    this.clean = clean;
    this.staging = staging;
    this.maxRowsPerFile = maxRowsPerFile;
    this.loads = loads;
    this.aggregateBuckets = aggregateBuckets;
  }

  /**
   * Writes {@link MergeWithLake}'s outputs of {@code spec}'s dataset, whose clean rows have schema
   * {@code clean}, under {@code staging}.
   */
  public static WriteDataset of(
      DatasetSpec spec,
      Schema clean,
      LakeLayout.Staging staging,
      int maxRowsPerFile,
      Map<String, ? extends PTransform<PCollection<Row>, PDone>> loads) {
    return new WriteDataset(spec, clean, staging, maxRowsPerFile, Map.copyOf(loads),
        AggregateRows.DEFAULT_HASH_BUCKETS);
  }

  /** Groups each aggregate's groups in {@code buckets} ({@link AggregateRows#withHashBuckets}). */
  public WriteDataset withAggregateBuckets(int buckets) {
    return new WriteDataset(spec, clean, staging, maxRowsPerFile, loads, buckets);
  }

  @Override
  public PCollection<KV<TallyKey, Long>> expand(PCollectionTuple merged) {
    // The files and the aggregates read the clean fields of the marked rows as they are; only a
    // warehouse load of the clean rows needs them without the origin mark.
    // Absent where the merge computed the partition-aligned aggregates itself (and wrote the files).
    PCollection<Row> touched =
        merged.has(MergeWithLake.TOUCHED) ? merged.get(MergeWithLake.TOUCHED) : null;
    List<PCollection<KV<TallyKey, Long>>> tallies = new ArrayList<>();
    // The clean files' rows are counted from their footers when the run is checked, not here: where
    // the merge wrote them, no step of this write holds them.
    if (!merged.has(MergeWithLake.CLEAN_WRITTEN)) {
      touched.apply("WriteClean", cleanFiles(spec, clean, staging, maxRowsPerFile));
    }
    load(Outputs.CLEAN).ifPresent(l -> touched
        .apply("StripOrigin", MarkOrigin.strip(clean))
        .apply("LoadClean", l));
    PCollection<Row> everyKey = null;
    for (DatasetSpec.Aggregate a : spec.aggregates()) {
      if (merged.has(MergeWithLake.aggregateWritten(a.name()))) {
        continue;
      }
      Partitioner lake = a.lakePartitioner(spec.partitioner());
      if (lake == null && everyKey == null) {
        everyKey =
            merged.get(MergeWithLake.NEWEST).apply("StripOriginOfAll", MarkOrigin.strip(clean));
      }
      WriteParquet files = aggregateFiles(spec, a, staging);
      String output = Outputs.aggregate(a.name());
      PCollection<Row> rows = merged.has(MergeWithLake.aggregated(a.name()))
          ? merged.get(MergeWithLake.aggregated(a.name()))
          : (lake != null ? touched : everyKey)
              .apply("Aggregate_" + a.name(), a.transform().withHashBuckets(aggregateBuckets));
      tallies.add(
          rows.apply("WriteAggregate_" + a.name(), WriteOutput.of(output, files, load(output))));
    }
    if (merged.has(MergeWithLake.TOMBSTONES)) {
      tallies.add(
          merged.get(MergeWithLake.TOMBSTONES)
              .apply("WriteTombstones", WriteOutput.of(Outputs.TOMBSTONES,
                  WriteParquet.to(staging.tombstones()).sortedBy(spec.key()),
                  load(Outputs.TOMBSTONES))));
    }
    if (tallies.isEmpty()) {
      // The merge wrote every output (and counted them), and there are no tombstones.
      tallies.add(merged.getPipeline().apply("NothingWritten",
          Create.empty(Tallies.coder(merged.getPipeline()))));
    }
    return PCollectionList.of(tallies).apply("AllTallies", Flatten.pCollections());
  }

  /**
   * How the clean rows of {@code spec}'s dataset (schema {@code clean}) are written under {@code
   * staging}: by partition, sorted by key, at most {@code maxRowsPerFile} per file, with a Bloom
   * filter of a single-field key. For {@link MergeWithLake#withCleanFiles} too, so both write the
   * same files.
   */
  public static WriteParquet cleanFiles(
      DatasetSpec spec, Schema clean, LakeLayout.Staging staging, int maxRowsPerFile) {
    return WriteParquet.to(staging.clean())
        .writingFields(clean)
        .partitionedBy(spec.partitioner())
        .sortedBy(spec.key())
        .withMaxRowsPerFile(maxRowsPerFile)
        .withBloomFilterOn(spec.key());
  }

  /**
   * How the rows of {@code spec}'s aggregate {@code a} are written under {@code staging}: an
   * aggregate aligned with the lake's partitions partitioned like the clean rows and sorted by its
   * bucket, any other unpartitioned. For {@link MergeWithLake#withAggregateFiles} too, so both write
   * the same files.
   */
  public static WriteParquet aggregateFiles(
      DatasetSpec spec, DatasetSpec.Aggregate a, LakeLayout.Staging staging) {
    WriteParquet files = WriteParquet.to(staging.aggregate(a.name()));
    Partitioner lake = a.lakePartitioner(spec.partitioner());
    return lake == null ? files : files.partitionedBy(lake).sortedBy(List.of(a.bucketColumn()));
  }

  private Optional<? extends PTransform<PCollection<Row>, PDone>> load(String output) {
    return Optional.ofNullable(loads.get(output));
  }
}
