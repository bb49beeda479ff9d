package dev.intake.pipeline.steps;

import dev.intake.transforms.history.VersionHistory;
import dev.intake.transforms.sinks.lake.Partitioner;
import dev.intake.transforms.sinks.lake.ReadLake;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.ReadableInstant;

/**
 * A dataset's version history (SCD type 2, {@link VersionHistory}) brought up to date with a run.
 * Input: the run's clean rows before dedup (every version it read, superseded ones included). The
 * stored history and tombstones are read from the lake; every key the run read, or whose deletion
 * is new ({@link #withTombstones}), has its history recomputed from its stored versions and the
 * run's, closed by all its tombstones, stored and new.
 *
 * <p>The history is partitioned like the clean dataset, each version by its own partition field
 * value, so a run rewrites only the partitions that hold a version of a key it touched (before or
 * after): those partitions are output whole, the untouched keys' rows in them unchanged ({@link
 * #ROWS}). A key whose versions lie in several partitions has all of them rewritten together, so
 * its intervals stay consistent. Also outputs the counts of new versions, late versions and
 * rewritten history partitions ({@link #TALLIES}).
 */
public final class BuildVersionHistory extends PTransform<PCollection<Row>, PCollectionTuple> {
  public static final TupleTag<Row> ROWS = new TupleTag<>() {};
  public static final TupleTag<KV<TallyKey, Long>> TALLIES = new TupleTag<>() {};
  private static final TupleTag<Row> INCOMING = new TupleTag<>() {};
  private static final TupleTag<Row> STORED = new TupleTag<>() {};
  private static final TupleTag<Row> TOMBSTONES = new TupleTag<>() {};
  private static final TupleTag<Row> STORED_TOMBSTONES = new TupleTag<>() {};
  private static final TupleTag<String> PARTITIONS = new TupleTag<>() {};

  private final String historyDirectory;
  private final String tombstonesDirectory;
  private final List<String> key;
  private final String version;
  private final Partitioner partitioner;
  private final PCollection<Row> tombstones;

  private BuildVersionHistory(String historyDirectory, String tombstonesDirectory,
      List<String> key, String version, Partitioner partitioner, PCollection<Row> tombstones) {
    this.historyDirectory = historyDirectory;
    this.tombstonesDirectory = tombstonesDirectory;
    this.key = key;
    this.version = version;
    this.partitioner = partitioner;
    this.tombstones = tombstones;
  }

  /**
   * The history stored under {@code historyDirectory}, by {@code key}, of versions ordered by the
   * timestamp field {@code version}, partitioned by {@code partitioner}; its intervals are closed
   * by the tombstones kept under {@code tombstonesDirectory} (none if it does not exist).
   */
  public static BuildVersionHistory of(String historyDirectory, String tombstonesDirectory,
      List<String> key, String version, Partitioner partitioner) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    return new BuildVersionHistory(Objects.requireNonNull(historyDirectory, "historyDirectory"),
        Objects.requireNonNull(tombstonesDirectory, "tombstonesDirectory"), List.copyOf(key),
        Objects.requireNonNull(version, "version"),
        Objects.requireNonNull(partitioner, "partitioner"), null);
  }

  /**
   * Also closes intervals with the run's new {@code tombstones} ({@code ParseDeletions#schema}):
   * their keys' histories are recomputed even when the run read no version of them.
   */
  public BuildVersionHistory withTombstones(PCollection<Row> tombstones) {
    return new BuildVersionHistory(historyDirectory, tombstonesDirectory, key, version,
        partitioner, Objects.requireNonNull(tombstones, "tombstones"));
  }

  @Override
  public PCollectionTuple expand(PCollection<Row> incoming) {
    Schema clean = incoming.getSchema();
    Schema history = VersionHistory.schema(clean);
    Schema tombstone = ParseDeletions.schema(clean, key);
    PCollection<Row> stored =
        incoming.getPipeline().apply("ReadHistory", ReadLake.of(historyDirectory, history));
    PCollection<Row> kept = incoming.getPipeline()
        .apply("ReadTombstones", ReadLake.of(tombstonesDirectory, tombstone));
    PCollection<KV<String, Row>> runTombstones = tombstones == null
        ? incoming.getPipeline().apply("NoTombstones",
            Create.empty(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(tombstone))))
        : keyed("KeyTombstones", tombstones, tombstone);
    PCollectionTuple recomputed =
        KeyedPCollectionTuple.of(INCOMING, keyed("KeyIncoming", incoming, clean))
            .and(STORED, keyed("KeyStored", stored, history))
            .and(TOMBSTONES, runTombstones)
            .and(STORED_TOMBSTONES, keyed("KeyStoredTombstones", kept, tombstone))
            .apply("ByKey", CoGroupByKey.create())
            .apply("RecomputeTouchedKeys",
                ParDo.of(new RecomputeFn(clean, history, version, partitioner))
                    .withOutputTags(ROWS, TupleTagList.of(List.of(PARTITIONS, TALLIES))));
    PCollection<String> touched = recomputed.get(PARTITIONS).setCoder(StringUtf8Coder.of())
        .apply("DistinctPartitions", DistinctPartitions.create());
    PCollection<Row> rows = recomputed.get(ROWS).setRowSchema(history)
        .apply("KeepTouched", TouchedPartitions.keep(touched, partitioner));
    PCollection<KV<TallyKey, Long>> tallies = PCollectionList
        .of(recomputed.get(TALLIES).setCoder(Tallies.coder(incoming.getPipeline())))
        .and(touched.apply("TallyPartitions", Tallies.count((String p) ->
            TallyKey.create(TallyKey.Kind.HISTORY_PARTITION.name(), "", "", "", p))))
        .apply("AllHistoryTallies", Flatten.pCollections());
    return PCollectionTuple.of(ROWS, rows).and(TALLIES, tallies);
  }

  private PCollection<KV<String, Row>> keyed(String step, PCollection<Row> rows, Schema schema) {
    return ApplyTombstones.byKey(step, rows, schema, key);
  }

  /**
   * Per key: an untouched key's stored rows pass through; a touched key's history is recomputed,
   * and the partitions of its old and new rows are reported, with the versions it added.
   */
  static final class RecomputeFn extends DoFn<KV<String, CoGbkResult>, Row> {
    private final Schema clean;
    private final Schema history;
    private final VersionHistory versions;
    private final Partitioner partitioner;

    RecomputeFn(Schema clean, Schema history, String version, Partitioner partitioner) {
      this.clean = clean;
      this.history = history;
      this.versions = VersionHistory.of(version);
      this.partitioner = partitioner;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> e, MultiOutputReceiver out) {
      CoGbkResult g = e.getValue();
      Iterable<Row> stored = g.getAll(STORED);
      Iterable<Row> incoming = g.getAll(INCOMING);
      if (!incoming.iterator().hasNext() && !g.getAll(TOMBSTONES).iterator().hasNext()) {
        stored.forEach(r -> out.get(ROWS).output(r));
        return;
      }
      List<Row> all = new ArrayList<>();
      List<ReadableInstant> storedVersions = new ArrayList<>();
      for (Row r : stored) {
        all.add(VersionHistory.version(clean, r));
        storedVersions.add(r.getDateTime(VersionHistory.VALID_FROM));
        out.get(PARTITIONS).output(partitioner.folderOf(r));
      }
      incoming.forEach(all::add);
      List<ReadableInstant> deletions = new ArrayList<>();
      for (TupleTag<Row> tag : List.of(TOMBSTONES, STORED_TOMBSTONES)) {
        g.getAll(tag).forEach(t -> deletions.add(t.getDateTime(ParseDeletions.DELETED_AT)));
      }
      List<VersionHistory.Interval> intervals = versions.intervals(all, deletions);
      for (VersionHistory.Interval i : intervals) {
        Row row = VersionHistory.toRow(history, i);
        out.get(ROWS).output(row);
        out.get(PARTITIONS).output(partitioner.folderOf(row));
      }
      VersionHistory.Added added = VersionHistory.added(intervals, storedVersions);
      out.get(TALLIES).output(KV.of(TallyKey.of(TallyKey.Kind.HISTORY_VERSIONS), added.versions));
      out.get(TALLIES).output(KV.of(TallyKey.of(TallyKey.Kind.LATE_VERSIONS), added.late));
    }
  }
}
