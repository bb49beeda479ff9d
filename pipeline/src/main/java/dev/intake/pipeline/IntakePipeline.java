package dev.intake.pipeline;

import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.spec.Reference;
import dev.intake.pipeline.spec.SpecLoader;
import dev.intake.pipeline.steps.BuildVersionHistory;
import dev.intake.pipeline.steps.CleanRecords;
import dev.intake.pipeline.steps.CountProgress;
import dev.intake.pipeline.steps.MergeWithLake;
import dev.intake.pipeline.steps.ParseDeletions;
import dev.intake.pipeline.steps.Outputs;
import dev.intake.pipeline.steps.ProfileColumns;
import dev.intake.pipeline.steps.Tallies;
import dev.intake.pipeline.steps.TallyKey;
import dev.intake.pipeline.steps.VanishedKeys;
import dev.intake.pipeline.steps.WriteDataset;
import dev.intake.pipeline.steps.WriteDeadLetters;
import dev.intake.pipeline.steps.WriteOutput;
import dev.intake.transforms.aggregate.AggregateRows;
import dev.intake.transforms.derive.Derivation;
import dev.intake.transforms.derive.DeriveColumns;
import dev.intake.transforms.dedup.DedupByKey;
import dev.intake.transforms.history.VersionHistory;
import dev.intake.transforms.join.JoinReference;
import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.InputBounds;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.sinks.lake.LakeLayout;
import dev.intake.transforms.sinks.lake.WriteParquet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.Row;

/**
 * Builds the Intake pipeline for one run: read (an export, API pages or the raw layer: the source
 * is a parameter) → clean (parse, validate, derive) → merge with the lake (dedup against the stored
 * rows, keep the touched partitions) → write the dataset, its aggregates and the dead letters to
 * the run's staging folder (and staging tables) → bring the version history up to date, when the
 * spec asks for one → write the run's counts. Nothing here publishes anything; the run's commit
 * does, after the pipeline has succeeded.
 */
public final class IntakePipeline {
  /** Everything a run's pipeline needs, as plain values. */
  public static final class Config {
    final DatasetSpec spec;
    final Lineage lineage;
    final LakeLayout lake;
    final PTransform<PBegin, PCollection<SourceRecord>> source;
    final RecordFormat inputFormat;
    final int maxRowsPerFile;
    final Map<String, ? extends PTransform<PCollection<Row>, PDone>> loads;
    PTransform<PBegin, PCollection<SourceRecord>> deletions;
    RecordFormat deletionsFormat;
    String deletedAt;
    VanishedKeys reconcile;
    PTransform<PBegin, PCollection<SourceRecord>> keys;
    Map<String, String> renamedFrom = Map.of();
    List<Derivation> backfill = List.of();
    boolean recomputeAll;
    boolean wholeLake;
    InputBounds bounds = InputBounds.defaults();
    String progressKey;
    int dedupBuckets = DedupByKey.DEFAULT_BUCKETS;
    int aggregateBuckets = AggregateRows.DEFAULT_HASH_BUCKETS;

    /**
     * {@code loads} holds, by output name ({@link Outputs}), the step that loads that output into
     * the warehouse's staging table; it is empty when the warehouse reads the run's files at
     * commit.
     */
    public Config(
        DatasetSpec spec,
        Lineage lineage,
        LakeLayout lake,
        PTransform<PBegin, PCollection<SourceRecord>> source,
        RecordFormat inputFormat,
        int maxRowsPerFile,
        Map<String, ? extends PTransform<PCollection<Row>, PDone>> loads) {
      this.spec = spec;
      this.lineage = lineage;
      this.lake = lake;
      this.source = source;
      this.inputFormat = inputFormat;
      this.maxRowsPerFile = maxRowsPerFile;
      this.loads = Map.copyOf(loads);
    }

    /**
     * Also reads {@code deletions}: records of {@code format} naming deleted keys, their deletion
     * time at the JSON path {@code deletedAt}.
     */
    public Config withDeletions(PTransform<PBegin, PCollection<SourceRecord>> deletions,
        RecordFormat format, String deletedAt) {
      this.deletions = deletions;
      this.deletionsFormat = format;
      this.deletedAt = deletedAt;
      return this;
    }

    /**
     * Reads stored rows of an evolved schema: a renamed field from its former column ({@code
     * renamedFrom}: field to former name), the {@code backfill} derived columns computed again;
     * with {@code recomputeAll} every stored partition is rewritten.
     */
    public Config withEvolution(Map<String, String> renamedFrom, List<Derivation> backfill,
        boolean recomputeAll) {
      this.renamedFrom = Map.copyOf(renamedFrom);
      this.backfill = List.copyOf(backfill);
      this.recomputeAll = recomputeAll;
      return this;
    }

    /**
     * With {@code wholeLake}, the merge reads every stored row, not only the partitions that hold
     * the run's keys and rows (the same result, at the cost of the whole lake).
     */
    public Config withWholeLake(boolean wholeLake) {
      this.wholeLake = wholeLake;
      return this;
    }

    /** The bounds parsing applies (columns, field size, JSON depth); default: the defaults. */
    public Config withBounds(InputBounds bounds) {
      this.bounds = bounds;
      return this;
    }

    /**
     * Counts the records read in the run's {@link dev.intake.transforms.model.RunProgress} under
     * {@code key}, for a source that does not count them itself (files, the raw layer).
     */
    public Config withProgress(String key) {
      this.progressKey = key;
      return this;
    }

    /** The hash buckets the dedup groups keys into; default {@link DedupByKey#DEFAULT_BUCKETS}. */
    public Config withDedupBuckets(int buckets) {
      this.dedupBuckets = buckets;
      return this;
    }

    /**
     * The hash buckets the aggregates group their groups into; default {@link
     * AggregateRows#DEFAULT_HASH_BUCKETS}.
     */
    public Config withAggregateBuckets(int buckets) {
      this.aggregateBuckets = buckets;
      return this;
    }

    /** Also tombstones the stored keys that {@code keys} (the source's) no longer hold. */
    public Config withReconcile(PTransform<PBegin, PCollection<SourceRecord>> keys,
        VanishedKeys reconcile) {
      this.keys = keys;
      this.reconcile = reconcile;
      return this;
    }
  }

  private IntakePipeline() {}

  /**
   * The clean dataset's schema: the spec's fields after PII handling, then derived columns, then
   * the reference tables' columns.
   */
  public static Schema cleanSchema(DatasetSpec spec) {
    return SpecLoader.cleanSchema(spec);
  }

  /** The joins with the spec's reference tables, each read from its file or the lake. */
  static List<JoinReference> joins(Pipeline p, DatasetSpec spec, Config c) {
    List<JoinReference> joins = new ArrayList<>();
    for (Reference r : spec.references()) {
      PCollection<Row> rows = p.apply("ReadReference_" + r.name(), r.read(c.lake.root()));
      joins.add(JoinReference.of(r.name(), rows, r.key().name(), r.joinOn(), c.lineage)
          .withColumns(r.outputNames())
          .withOnMiss(r.onMiss()));
    }
    return joins;
  }

  static DeriveColumns derive(DatasetSpec spec) {
    return DeriveColumns.of(spec.derived())
        .withHashed(spec.hashed(), spec.hashKeyEnv())
        .withDropped(spec.dropped())
        .withMasked(spec.masked())
        .withNulled(spec.retired());
  }

  /** Adds the run's transforms to {@code p}. */
  public static void build(Pipeline p, Config c) {
    DatasetSpec spec = c.spec;
    LakeLayout.Staging staging = c.lake.staging(c.lineage.getRunId());
    PCollection<SourceRecord> read = p.apply("ReadRecords", c.source);
    if (c.progressKey != null) {
      read = read.apply("CountProgress", CountProgress.under(c.progressKey));
    }
    PCollectionTuple clean =
        read
            .apply(
                "CleanRecords",
                CleanRecords.of(
                    spec.fields(), c.inputFormat, spec.rules(), derive(spec), c.lineage)
                    .withBounds(c.bounds)
                    .withJoins(joins(p, spec, c)));
    MergeWithLake merge = MergeWithLake.of(
        c.lake.clean(), spec.key(), spec.version(), spec.watermark(), spec.partitioner())
        .withEvolution(c.renamedFrom, c.backfill, c.recomputeAll);
    if (c.wholeLake
        || spec.aggregates().stream().anyMatch(a -> a.lakePartitioner(spec.partitioner()) == null)) {
      // An aggregate not aligned with the partitions is computed over every key.
      merge = merge.withWholeLake();
    }
    PCollectionTuple deletions = null;
    if (c.deletions != null) {
      deletions = p.apply("ReadDeletions", c.deletions)
          .apply("ParseDeletions", ParseDeletions.of(
              keyFields(spec), c.deletionsFormat, c.deletedAt, c.lineage));
      merge = merge.withTombstones(deletions.get(ParseDeletions.TOMBSTONES), c.lake.tombstones());
    }
    PCollectionTuple vanished = null;
    if (c.reconcile != null) {
      vanished = p.apply("ReadKeys", c.keys).apply("VanishedKeys", c.reconcile);
      merge = merge.withTombstones(vanished.get(VanishedKeys.TOMBSTONES), c.lake.tombstones());
    }
    // Where the merge rewrites the touched partitions itself, it writes their files there too, and
    // computes the aggregates aligned with them there, unless the warehouse loads the clean rows in
    // the pipeline (which then needs them as a collection).
    merge = merge.withCleanFiles(
        WriteDataset.cleanFiles(spec, cleanSchema(spec), staging, c.maxRowsPerFile));
    if (!c.loads.containsKey(Outputs.CLEAN)) {
      // An aggregate is written there too, unless the warehouse loads its rows in the pipeline.
      Map<String, AggregateRows> aligned = new LinkedHashMap<>();
      Map<String, WriteParquet> written = new LinkedHashMap<>();
      for (DatasetSpec.Aggregate a : spec.aggregates()) {
        if (a.lakePartitioner(spec.partitioner()) != null) {
          aligned.put(a.name(), a.transform());
          if (!c.loads.containsKey(Outputs.aggregate(a.name()))) {
            written.put(a.name(), WriteDataset.aggregateFiles(spec, a, staging));
          }
        }
      }
      merge = merge.withPartitionAggregates(aligned).withAggregateFiles(written);
    }
    // The rows the run writes are the incoming winners: profiled from the dedup's output (where
    // the merge writes the partitions, over each partition's incoming rows there), the run's size,
    // not from the touched partitions' stored rows.
    merge = merge.withProfile(ProfileColumns.of(cleanSchema(spec), dayField(spec)));
    PCollectionTuple merged = clean.get(CleanRecords.ROWS)
        .apply("MergeWithLake", merge.withDedupBuckets(c.dedupBuckets));
    PCollection<KV<TallyKey, Long>> written =
        merged.apply(
            "WriteDataset",
            WriteDataset.of(spec, cleanSchema(spec), staging, c.maxRowsPerFile, c.loads)
                .withAggregateBuckets(c.aggregateBuckets));
    PCollection<DeadLetter> deadLetters = clean.get(CleanRecords.DEAD_LETTERS);
    if (deletions != null) {
      deadLetters = PCollectionList.of(deadLetters)
          .and(deletions.get(ParseDeletions.DEAD_LETTERS))
          .apply("WithDeletionDeadLetters", Flatten.pCollections());
    }
    PCollection<KV<TallyKey, Long>> rejected =
        deadLetters
            .apply(
                "WriteDeadLetters",
                WriteDeadLetters.to(
                    staging.deadLetters(), Optional.ofNullable(c.loads.get(Outputs.DEAD_LETTERS))));
    PCollectionList<KV<TallyKey, Long>> tallies =
        PCollectionList.of(clean.get(CleanRecords.TALLIES))
            .and(merged.get(MergeWithLake.TALLIES))
            .and(written)
            .and(rejected)
            .and(merged.get(MergeWithLake.PROFILED));
    if (deletions != null) {
      tallies = tallies.and(deletions.get(ParseDeletions.TALLIES));
    }
    if (vanished != null) {
      tallies = tallies.and(vanished.get(VanishedKeys.TALLIES));
    }
    if (spec.history()) {
      tallies = tallies.and(
          writeHistory(c, clean.get(CleanRecords.ROWS), merged, staging).getAll());
    }
    tallies.apply("WriteTallies", Tallies.writeTo(staging.tallies()));
  }

  /**
   * Brings the version history up to date from every version the run read ({@code rows}, before
   * dedup) and the tombstones the merge keeps, and writes it; returns its counts.
   */
  private static PCollectionList<KV<TallyKey, Long>> writeHistory(Config c, PCollection<Row> rows,
      PCollectionTuple merged, LakeLayout.Staging staging) {
    DatasetSpec spec = c.spec;
    BuildVersionHistory history = BuildVersionHistory.of(
        c.lake.history(), c.lake.tombstones(), spec.key(), spec.version(), spec.partitioner());
    if (merged.has(MergeWithLake.TOMBSTONES)) {
      history = history.withTombstones(merged.get(MergeWithLake.TOMBSTONES));
    }
    PCollectionTuple built = rows.apply("BuildVersionHistory", history);
    List<String> order = new ArrayList<>(spec.key());
    order.add(VersionHistory.VALID_FROM);
    PCollection<KV<TallyKey, Long>> written =
        built.get(BuildVersionHistory.ROWS)
            .apply("WriteHistory", WriteOutput.of(Outputs.HISTORY,
                WriteParquet.to(staging.history()).partitionedBy(spec.partitioner())
                    .sortedBy(order).withMaxRowsPerFile(c.maxRowsPerFile),
                Optional.ofNullable(c.loads.get(Outputs.HISTORY))));
    return PCollectionList.of(built.get(BuildVersionHistory.TALLIES)).and(written);
  }

  /** The field whose UTC day the run's rows per day are counted by: the version, else the watermark. */
  static String dayField(DatasetSpec spec) {
    Schema clean = cleanSchema(spec);
    boolean versionIsTime =
        clean.getField(spec.version()).getType().getTypeName() == Schema.TypeName.DATETIME;
    return versionIsTime || spec.watermark() == null ? spec.version() : spec.watermark();
  }

  /** The spec's definitions of its key fields, in key order. */
  static List<FieldDef> keyFields(DatasetSpec spec) {
    List<FieldDef> out = new ArrayList<>();
    for (String k : spec.key()) {
      for (FieldDef f : spec.fields()) {
        if (f.name().equals(k)) {
          out.add(f);
        }
      }
    }
    return out;
  }
}
