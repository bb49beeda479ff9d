package dev.intake.pipeline.steps;

import dev.intake.transforms.aggregate.AggregateRows;
import dev.intake.transforms.aggregate.RowsAggregator;
import dev.intake.transforms.dedup.DedupByKey;
import dev.intake.transforms.derive.Derivation;
import dev.intake.transforms.derive.RecomputeColumns;
import dev.intake.transforms.sinks.lake.LakeFiles;
import dev.intake.transforms.sinks.lake.Partitioner;
import dev.intake.transforms.sinks.lake.ReadLake;
import dev.intake.transforms.sinks.lake.ReadLakePartitions;
import dev.intake.transforms.sinks.lake.WriteParquet;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A run's clean rows merged with the rows already in the lake: one dedup over the run's rows and
 * the stored rows of the keys they bring (newest version of each key wins; every other stored row
 * is its key's only row and is not shuffled), then only the partitions that receive a new version
 * are kept, whole (stored rows merged with the new versions). Outputs, with the origin field of
 * {@link MarkOrigin}: the rows of the touched partitions ({@link #TOUCHED}), the newest row of
 * every key ({@link #NEWEST}), the newest row of each key the run brings ({@link #WINNERS}), and
 * the counts of written, superseded, replaced and carried rows, of the touched partitions, and of
 * the newest version and watermark ({@link #TALLIES}).
 *
 * <p>A run that only adds versions (no deletions, no back-fill, key, partition and version columns
 * as stored, the touched partitions enough) decides first and rewrites after: the stored versions
 * of its keys are found ({@link StoredVersions}) and deduplicated with its rows, and each touched
 * partition is then read once more where its new rows are added ({@link
 * RewriteTouchedPartitions}). Otherwise the touched partitions' rows are read once and split by key
 * ({@link SplitByKeys}) around the dedup. On the first path, where the merge also writes the clean
 * files ({@link #withCleanFiles}), and into an empty lake, it can compute the aggregates aligned
 * with the partitions where it writes each partition ({@link #withPartitionAggregates}), which then
 * stand in for {@link #TOUCHED}.
 *
 * <p>{@link #withTombstones} applies a source's deletions first ({@link ApplyTombstones}): the
 * partitions of the stored rows they remove are touched too (rewritten without them), and the
 * tombstones to keep are an output ({@link #TOMBSTONES}).
 *
 * <p>The stored rows read are only those of the partitions the run can touch: the partitions of
 * its incoming rows, and those that hold a stored row of a key it brings or deletes, found by the
 * Bloom filters of the stored files' key column and a read of the key and partition columns of the
 * files they may be in ({@link FindKeyPartitions}). So a run costs what it changes, not the size
 * of the lake (but for a footer and a filter per stored file), and {@link #NEWEST} holds the
 * newest row of those partitions' keys. The whole lake is read when every partition is rewritten
 * ({@link #withEvolution}'s {@code allPartitions}), when a key or partition column was renamed,
 * and with {@link #withWholeLake} (when {@link #NEWEST} must hold every key).
 */
public final class MergeWithLake extends PTransform<PCollection<Row>, PCollectionTuple> {
  public static final TupleTag<Row> TOUCHED = new TupleTag<>() {};
  public static final TupleTag<Row> NEWEST = new TupleTag<>() {};
  public static final TupleTag<KV<TallyKey, Long>> TALLIES = new TupleTag<>() {};
  public static final TupleTag<Row> TOMBSTONES = new TupleTag<>() {};
  /**
   * The dedup's newest row of each key the run brings (marked: the run's rows that won, and stored
   * rows that kept their key): every incoming row the merge writes is here, in a collection the
   * size of the run, not of the touched partitions.
   */
  public static final TupleTag<Row> WINNERS = new TupleTag<>() {};
  /**
   * The touched partitions whose clean files the merge wrote itself ({@link #withCleanFiles}, on
   * the path that decides first, and into an empty lake with {@link #withPartitionAggregates}):
   * there only, and then {@link #TOUCHED}'s rows, if it is there, are in those files already and
   * must not be written again.
   */
  public static final TupleTag<String> CLEAN_WRITTEN = new TupleTag<>() {};

  /**
   * The rows of the aggregate named {@code name}, where the merge computed them ({@link
   * #withPartitionAggregates}): then there is no {@link #TOUCHED}.
   */
  public static TupleTag<Row> aggregated(String name) {
    return new TupleTag<>("aggregated:" + name);
  }

  /**
   * The touched partitions whose files of the aggregate named {@code name} the merge wrote ({@link
   * #withAggregateFiles}): then there is no {@link #aggregated} output of it, and its rows written
   * are counted in {@link #TALLIES}.
   */
  public static TupleTag<String> aggregateWritten(String name) {
    return new TupleTag<>("aggregateWritten:" + name);
  }

  /**
   * With {@link #withProfile}: the profile of the rows the run writes ({@link ProfileColumns} of
   * {@link #WINNERS}), as tallies.
   */
  public static final TupleTag<KV<TallyKey, Long>> PROFILED = new TupleTag<>() {};

  /**
   * The field a first load's winners carry after the origin mark, when the merge writes the
   * partitions: how many versions of its key each superseded (null for none); see {@link
   * DedupByKey#countingSupersededIn}.
   */
  static final String SUPERSEDED_COUNT = "_superseded";

  private final String lakeDirectory;
  private final List<String> key;
  private final String version;
  private final String watermark;
  private final Partitioner partitioner;
  private final PCollection<Row> tombstones;
  private final String tombstonesDirectory;
  // Set only by withEvolution, on a fresh copy.
  private Map<String, String> renamedFrom = Map.of();
  private List<Derivation> backfill = List.of();
  private boolean allPartitions;
  private int dedupBuckets = DedupByKey.DEFAULT_BUCKETS;
  private boolean wholeLake;
  private WriteParquet cleanFiles;
  private Map<String, AggregateRows> partitionAggregates = Map.of();
  private Map<String, WriteParquet> aggregateFiles = Map.of();
  private ProfileColumns profile;

  private MergeWithLake(
      String lakeDirectory, List<String> key, String version, String watermark,
      Partitioner partitioner, PCollection<Row> tombstones, String tombstonesDirectory) {
    this.lakeDirectory = lakeDirectory;
    this.key = key;
    this.version = version;
    this.watermark = watermark;
    this.partitioner = partitioner;
    this.tombstones = tombstones;
    this.tombstonesDirectory = tombstonesDirectory;
  }

  /**
   * Merges with the published rows under {@code lakeDirectory}, by {@code key}, newest by {@code
   * version}; {@code watermark} (may be null) is the field whose newest value is counted.
   */
  public static MergeWithLake of(
      String lakeDirectory, List<String> key, String version, String watermark,
      Partitioner partitioner) {
    return new MergeWithLake(lakeDirectory, List.copyOf(key), version, watermark, partitioner,
        null, null);
  }

  /**
   * Also applies the run's {@code tombstones} ({@link ParseDeletions#schema}) and those kept under
   * {@code directory} by earlier runs.
   */
  public MergeWithLake withTombstones(PCollection<Row> tombstones, String directory) {
    return copy(Objects.requireNonNull(tombstones, "tombstones"),
        Objects.requireNonNull(directory, "directory"));
  }

  /**
   * Reads the stored rows of an evolved schema (see {@link ReadLake#withRenames}: {@code
   * renamedFrom} maps a field to its former column) and computes the {@code backfill} derived
   * columns again on them; with {@code allPartitions}, every stored partition is touched
   * (rewritten), not only those that receive a new version.
   */
  public MergeWithLake withEvolution(Map<String, String> renamedFrom, List<Derivation> backfill,
      boolean allPartitions) {
    MergeWithLake m = copy(tombstones, tombstonesDirectory);
    m.renamedFrom = Map.copyOf(renamedFrom);
    m.backfill = List.copyOf(backfill);
    m.allPartitions = allPartitions;
    return m;
  }

  /** Dedups in {@code buckets} hash buckets of the key ({@link DedupByKey#withBuckets}). */
  public MergeWithLake withDedupBuckets(int buckets) {
    MergeWithLake m = copy(tombstones, tombstonesDirectory);
    m.dedupBuckets = buckets;
    return m;
  }

  /**
   * Reads every stored row, so that {@link #NEWEST} holds the newest row of every key (for an
   * output computed over the whole dataset), not only of the partitions the run can touch.
   */
  public MergeWithLake withWholeLake() {
    MergeWithLake m = copy(tombstones, tombstonesDirectory);
    m.wholeLake = true;
    return m;
  }

  /**
   * Writes the touched partitions' clean files with {@code files} where the merge rewrites them,
   * when it decides first (see the class doc): each partition's rows are sorted and written in the
   * step that reads them, not shuffled to a write of their own. Their partitions are then the
   * output {@link #CLEAN_WRITTEN}; on the other paths there is no such output, and {@link
   * #TOUCHED}'s rows are for the caller to write.
   */
  public MergeWithLake withCleanFiles(WriteParquet files) {
    MergeWithLake m = copy(tombstones, tombstonesDirectory);
    m.cleanFiles = Objects.requireNonNull(files, "files");
    return m;
  }

  /**
   * Where the merge writes the touched partitions' clean files itself ({@link #withCleanFiles}),
   * also computes these aggregates (by name; their groups must not span partitions) over each
   * partition's rows there ({@link RewriteTouchedPartitions#aggregating}), with the kept rows'
   * tallies: the outputs are then {@link #aggregated} for each, and no {@link #TOUCHED} (nor
   * {@link #NEWEST}, which there is the same rows), whose rows, the bulk of a run, are encoded
   * and decoded by no further step. Into an empty lake (with clean files to write) the merge groups
   * the winners by partition to do the same, and {@link #NEWEST} (the winners) stays. On the other
   * paths there are no such outputs, and the caller computes the aggregates from {@link #TOUCHED}.
   */
  public MergeWithLake withPartitionAggregates(Map<String, AggregateRows> aggregates) {
    MergeWithLake m = copy(tombstones, tombstonesDirectory);
    m.partitionAggregates = new LinkedHashMap<>(aggregates);
    return m;
  }

  /**
   * Where the merge computes the aggregates of {@link #withPartitionAggregates}, also writes those
   * named here with their {@code files} (partitioned like the clean rows), under each aggregate's
   * {@link Outputs#aggregate} name: their rows then reach no write step (no shuffle), and the rows
   * written are counted in {@link #TALLIES}; the output {@link #aggregateWritten} says which. An
   * aggregate the warehouse loads in the pipeline needs its rows as a collection: leave it out.
   */
  public MergeWithLake withAggregateFiles(Map<String, WriteParquet> files) {
    MergeWithLake m = copy(tombstones, tombstonesDirectory);
    m.aggregateFiles = new LinkedHashMap<>(files);
    return m;
  }

  /**
   * Also profiles the rows the run writes with {@code profile} (the output {@link #PROFILED}):
   * where the merge computes the aggregates (see {@link #withPartitionAggregates}), over each
   * partition's rows there, else over {@link #WINNERS}. The figures are the same either way; the
   * first spares the run a step that reads every winner once more, a first load's every row.
   */
  public MergeWithLake withProfile(ProfileColumns profile) {
    MergeWithLake m = copy(tombstones, tombstonesDirectory);
    m.profile = Objects.requireNonNull(profile, "profile");
    return m;
  }

  /** A copy with {@code tombstones} from {@code directory} and every other setting as it is. */
  private MergeWithLake copy(PCollection<Row> tombstones, String directory) {
    MergeWithLake m = new MergeWithLake(lakeDirectory, key, version, watermark, partitioner,
        tombstones, directory);
    m.renamedFrom = renamedFrom;
    m.backfill = backfill;
    m.allPartitions = allPartitions;
    m.dedupBuckets = dedupBuckets;
    m.wholeLake = wholeLake;
    m.cleanFiles = cleanFiles;
    m.partitionAggregates = partitionAggregates;
    m.aggregateFiles = aggregateFiles;
    m.profile = profile;
    return m;
  }

  @Override
  public PCollectionTuple expand(PCollection<Row> incoming) {
    PCollectionTuple merged = merge(incoming);
    if (profile == null || merged.has(PROFILED)) {
      return merged;
    }
    return merged.and(PROFILED, merged.get(WINNERS).apply("ProfileColumns", profile));
  }

  private PCollectionTuple merge(PCollection<Row> incoming) {
    Schema clean = incoming.getSchema();
    if (tombstones == null && lakeIsEmpty()) {
      return intoEmptyLake(incoming);
    }
    if (tombstones == null && backfill.isEmpty() && !readsWholeLake(clean)
        && !renamedFrom.containsKey(version)) {
      return intoTouchedPartitions(incoming);
    }
    List<String> k = key;
    PCollection<String> runKeys = incoming.apply("IncomingKeys",
        MapElements.into(TypeDescriptors.strings()).via((Row r) -> ApplyTombstones.keyOf(r, k)));
    PCollection<Row> stored = readsWholeLake(clean)
        ? incoming.getPipeline()
            .apply("ReadLake", ReadLake.of(lakeDirectory, clean).withRenames(renamedFrom))
        : partitionsToRead(incoming, runKeys)
            .apply("ReadLakePartitions",
                ReadLakePartitions.of(lakeDirectory, clean).withRenames(renamedFrom));
    if (!backfill.isEmpty()) {
      stored = stored.apply("BackfillDerived", RecomputeColumns.of(backfill));
    }
    PCollectionTuple applied = null;
    if (tombstones != null) {
      applied = PCollectionTuple.of(ApplyTombstones.INCOMING, incoming)
          .and(ApplyTombstones.STORED, stored)
          .and(ApplyTombstones.TOMBSTONES, tombstones)
          .apply("ApplyTombstones", ApplyTombstones.of(tombstonesDirectory, key, version));
      incoming = applied.get(ApplyTombstones.INCOMING);
      stored = applied.get(ApplyTombstones.STORED);
    }
    // Only the stored rows of keys the run brings meet the run's rows in the dedup; every other
    // stored row is already its key's only row and goes on without a shuffle. The keys are those
    // of the rows the run read: a key whose incoming rows the tombstones removed only sends its
    // stored row (if any is left) through the dedup alone, which keeps it as it is.
    Schema marked = MarkOrigin.markedSchema(clean);
    PCollectionTuple split = stored.apply("MarkStored", MarkOrigin.stored())
        .apply("SplitStored", SplitByKeys.of(runKeys, key));
    DedupByKey.Result dedup =
        PCollectionList.of(incoming.apply("MarkIncoming", MarkOrigin.incoming()))
            .and(split.get(SplitByKeys.MATCHED))
            .apply("IncomingAndStored", Flatten.pCollections())
            .setRowSchema(marked)
            .apply("DedupByKey", DedupByKey.of(key, version).withBuckets(dedupBuckets));
    PCollection<Row> newest = PCollectionList.of(dedup.newest())
        .and(split.get(SplitByKeys.OTHERS))
        .apply("NewestOfEveryKey", Flatten.pCollections())
        .setRowSchema(marked);
    PCollection<String> touched =
        dedup.apply("TouchedPartitions", TouchedPartitions.of(partitioner));
    if (allPartitions) {
      Partitioner p = partitioner;
      touched = PCollectionList.of(touched)
          .and(newest.apply("EveryPartition",
              MapElements.into(TypeDescriptors.strings()).via(p::folderOf)))
          .apply("WithEveryPartition", Flatten.pCollections())
          .apply("DistinctPartitions", DistinctPartitions.create());
    }
    if (applied != null) {
      Partitioner p = partitioner;
      touched = PCollectionList.of(touched)
          .and(applied.get(ApplyTombstones.DELETED).apply("DeletedPartitions",
              MapElements.into(TypeDescriptors.strings()).via(p::folderOf)))
          .apply("WithDeletedPartitions", Flatten.pCollections())
          .apply("DistinctTouched", DistinctPartitions.create());
    }
    PCollection<Row> current =
        newest.apply("KeepTouched", TouchedPartitions.keep(touched, partitioner));
    PCollection<KV<TallyKey, Long>> tallies = tallies(dedup, tallyKept(current), touched);
    PCollectionTuple out = PCollectionTuple.of(TOUCHED, current).and(NEWEST, newest)
        .and(WINNERS, dedup.newest());
    if (applied == null) {
      return out.and(TALLIES, tallies);
    }
    return out.and(TOMBSTONES, applied.get(ApplyTombstones.NEW))
        .and(TALLIES, PCollectionList.of(tallies).and(applied.get(TALLIES))
            .apply("WithTombstoneTallies", Flatten.pCollections()));
  }

  /**
   * Into a lake that holds no row of the dataset yet (a first load), the merge is the dedup of the
   * incoming rows: every row that wins its key is written, every partition it lands in is touched.
   * No stored rows to read or find, no partitions to filter: on Flink's batch translation each of
   * those steps would read every incoming row once more.
   */
  private PCollectionTuple intoEmptyLake(PCollection<Row> incoming) {
    if (aggregatesWhereWritten()) {
      return writtenIntoEmptyLake(incoming);
    }
    DedupByKey.Result dedup = incoming
        .apply("MarkIncoming", MarkOrigin.incoming())
        .apply("DedupByKey", DedupByKey.of(key, version).withBuckets(dedupBuckets));
    PCollection<Row> current = dedup.newest();
    Partitioner p = partitioner;
    PCollection<String> touched = current
        .apply("WinnerPartitions", MapElements.into(TypeDescriptors.strings()).via(p::folderOf))
        .apply("DistinctPartitions", DistinctPartitions.create());
    return PCollectionTuple.of(TOUCHED, current).and(NEWEST, current).and(WINNERS, current)
        .and(TALLIES, tallies(dedup, tallyKept(current), touched));
  }

  /**
   * A first load where the merge writes the partitions and computes their aggregates: the winners
   * are grouped by partition as a write of them would group them, and each partition's files,
   * aligned aggregates, tallies and profile are made where its rows are. That step says which
   * partitions it wrote, and the dedup counts each key's superseded versions on its winner
   * ({@link #SUPERSEDED_COUNT}, summed there) instead of outputting them, so the winners are the
   * dedup's only output and the grouping their only reader: on Flink's batch translation they
   * go from the dedup to the grouping without being serialized in between.
   */
  private PCollectionTuple writtenIntoEmptyLake(PCollection<Row> incoming) {
    DedupByKey.Result dedup = incoming
        .apply("MarkIncoming", MarkOrigin.incomingWithCount(SUPERSEDED_COUNT))
        .apply("DedupByKey", DedupByKey.of(key, version).withBuckets(dedupBuckets)
            .countingSupersededIn(SUPERSEDED_COUNT));
    PCollection<Row> current = dedup.newest();
    Schema marked = current.getSchema();
    RewriteTouchedPartitions write = RewriteTouchedPartitions
        .intoEmptyLake(incoming.getSchema(), partitioner)
        .writing(cleanFiles.partitionFiles(marked));
    return writtenAndAggregated(write, dedup, null, marked).and(NEWEST, current);
  }

  /**
   * The merge of a run that only adds versions (no deletions, no back-fill, the key, partition and
   * version columns as stored), deciding before it reads the partitions it rewrites: the stored
   * versions of the run's keys are found first ({@link StoredVersions}: where the run's version is
   * newer, only their key, partition and version columns, else whole) and deduplicated with the
   * run's rows; that gives the touched partitions, each then read once more where its new rows are added ({@link
   * RewriteTouchedPartitions}), keeping every row whose key the run does not bring. So the bulk of
   * a run, the rows it carries over, goes from the read to the writers with no split, filter,
   * union or shuffle in between (on Flink each of those re-encodes every carried row), for a
   * second Parquet read of the partitions that hold the run's keys, which costs less. The outputs
   * are those of the general path; {@link #NEWEST} is {@link #TOUCHED}.
   */
  private PCollectionTuple intoTouchedPartitions(PCollection<Row> incoming) {
    Schema clean = incoming.getSchema();
    Schema marked = MarkOrigin.markedSchema(clean);
    RunVersions keys = RunVersions.of(incoming, key, version);
    PCollection<Row> storedVersions = incoming.getPipeline().apply("StoredVersionsOfRunKeys",
        StoredVersions.of(lakeDirectory, clean, renamedFrom, key, version, partitioner, keys));
    DedupByKey.Result dedup =
        PCollectionList.of(incoming.apply("MarkIncoming", MarkOrigin.incoming()))
            .and(storedVersions.apply("MarkStored", MarkOrigin.stored()))
            .apply("IncomingAndStored", Flatten.pCollections())
            .setRowSchema(marked)
            .apply("DedupByKey", DedupByKey.of(key, version).withBuckets(dedupBuckets));
    PCollection<String> touched =
        dedup.apply("TouchedPartitions", TouchedPartitions.of(partitioner));
    RewriteTouchedPartitions rewrite = RewriteTouchedPartitions.of(lakeDirectory, clean,
        renamedFrom, key, partitioner, keys, touched);
    if (cleanFiles != null) {
      rewrite = rewrite.writing(cleanFiles.partitionFiles(marked));
    }
    if (!aggregatesWhereWritten()) {
      PCollection<Row> current = dedup.newest()
          .apply("RewriteTouchedPartitions", rewrite).get(RewriteTouchedPartitions.ROWS);
      PCollectionTuple out = PCollectionTuple.of(TOUCHED, current).and(NEWEST, current)
          .and(WINNERS, dedup.newest())
          .and(TALLIES, tallies(dedup, tallyKept(current), touched));
      return cleanFiles == null ? out : out.and(CLEAN_WRITTEN, touched);
    }
    return writtenAndAggregated(rewrite, dedup, touched, marked);
  }

  /**
   * The outputs of {@code rewrite} (writing the clean files) computing {@link
   * #partitionAggregates}, the kept rows' tallies and the profile where it writes each partition
   * ({@code touched}; null into an empty lake, where the rewrite says which it wrote): the
   * aggregates, {@link #WINNERS}, {@link #TALLIES}, {@link #CLEAN_WRITTEN} and {@link #PROFILED}.
   */
  private PCollectionTuple writtenAndAggregated(RewriteTouchedPartitions rewrite,
      DedupByKey.Result dedup, PCollection<String> touched, Schema marked) {
    Map<TupleTag<Row>, RowsAggregator> aggregators = new LinkedHashMap<>();
    Map<TupleTag<Row>, AggregateFiles> written = new LinkedHashMap<>();
    partitionAggregates.forEach((name, a) -> {
      RowsAggregator aggregator = a.inMemory(marked);
      aggregators.put(aggregated(name), aggregator);
      WriteParquet files = aggregateFiles.get(name);
      if (files != null) {
        written.put(aggregated(name),
            AggregateFiles.of(Outputs.aggregate(name), files, aggregator.outputSchema()));
      }
    });
    ProfileColumns.ProfileFn fold = profile == null ? null : profile.fold(dedup.getPipeline());
    String counted = dedup.superseded() == null ? SUPERSEDED_COUNT : null;
    PCollectionTuple rewritten = dedup.newest().apply("RewriteTouchedPartitions",
        rewrite.aggregating(aggregators, written, timeVersion(marked), watermark, fold, counted));
    if (touched == null) {
      touched = rewritten.get(RewriteTouchedPartitions.PARTITIONS);
    }
    PCollectionTuple out = PCollectionTuple.of(WINNERS, dedup.newest())
        .and(TALLIES, tallies(dedup, rewritten.get(RewriteTouchedPartitions.TALLIES), touched))
        .and(CLEAN_WRITTEN, touched);
    for (String name : partitionAggregates.keySet()) {
      out = aggregateFiles.containsKey(name)
          ? out.and(aggregateWritten(name), touched)
          : out.and(aggregated(name), rewritten.get(aggregated(name)));
    }
    if (profile != null) {
      out = out.and(PROFILED, rewritten.get(RewriteTouchedPartitions.PROFILES)
          .apply("ProfileColumns", profile.ofProfiles()));
    }
    return out;
  }

  /**
   * Whether the lake holds no published file of the dataset. Read when the pipeline is built, under
   * the run's lock, so no other run publishes in between; a listing that fails counts as not empty.
   */
  private boolean lakeIsEmpty() {
    try {
      return LakeFiles.list(lakeDirectory + "*/*.parquet").isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private boolean readsWholeLake(Schema clean) {
    String field = partitioner.field();
    return wholeLake || allPartitions || field == null || !clean.hasField(field)
        || key.stream().anyMatch(renamedFrom::containsKey) || renamedFrom.containsKey(field);
  }

  /**
   * The partitions of the incoming rows (a new key's partition is rewritten with its stored rows)
   * and those holding a stored row of an incoming or deleted key (its old version leaves them).
   */
  private PCollection<String> partitionsToRead(PCollection<Row> incoming,
      PCollection<String> runKeys) {
    List<String> k = key;
    Partitioner p = partitioner;
    PCollectionList<String> keys = PCollectionList.of(runKeys);
    if (tombstones != null) {
      keys = keys.and(tombstones.apply("DeletedKeys",
          MapElements.into(TypeDescriptors.strings()).via((Row r) -> ApplyTombstones.keyOf(r, k))));
    }
    PCollection<String> stored = keys.apply("KeysToFind", Flatten.pCollections())
        .apply("FindKeyPartitions",
            FindKeyPartitions.of(lakeDirectory, incoming.getSchema(), key, partitioner));
    return PCollectionList.of(stored)
        .and(incoming.apply("IncomingPartitions",
            MapElements.into(TypeDescriptors.strings()).via(p::folderOf)))
        .apply("PartitionsTogether", Flatten.pCollections())
        .apply("PartitionsToRead", DistinctPartitions.create());
  }

  /**
   * Whether the partition-aligned aggregates are computed where the clean files are written
   * ({@link #withPartitionAggregates}), on the paths that write them.
   */
  private boolean aggregatesWhereWritten() {
    return cleanFiles != null && !partitionAggregates.isEmpty();
  }

  /** The version field when rows of {@code schema} hold it as a time (its newest is counted). */
  private String timeVersion(Schema schema) {
    return schema.getField(version).getType().getTypeName() == Schema.TypeName.DATETIME
        ? version : null;
  }

  /** The tallies of the kept rows {@code current} ({@link TallyKept}), per bundle. */
  private PCollection<KV<TallyKey, Long>> tallyKept(PCollection<Row> current) {
    return current
        .apply("TallyKept", ParDo.of(new TallyKept(timeVersion(current.getSchema()), watermark)))
        .setCoder(Tallies.coder(current.getPipeline()));
  }

  /**
   * Every tally of the merge: superseded and replaced rows, the {@code kept} rows' tallies
   * (combined here), the touched partitions.
   */
  private PCollection<KV<TallyKey, Long>> tallies(
      DedupByKey.Result dedup, PCollection<KV<TallyKey, Long>> kept, PCollection<String> touched) {
    PCollectionList<KV<TallyKey, Long>> all = PCollectionList
        .of(kept.apply("CombineKept",
            new Tallies.CombinePerKey(Tallies.coder(touched.getPipeline()))))
        .and(touched.apply("TallyPartitions", Tallies.count(TallyKey::partition)));
    if (dedup.superseded() != null) {
      // Else the dedup counted them on the winners, and the kept rows' tallies hold the sum.
      all = all.and(dedup
          .superseded()
          .apply(
              "TallySuperseded",
              Tallies.count(
                  (Row r) ->
                      TallyKey.of(
                          MarkOrigin.isIncoming(r)
                              ? TallyKey.Kind.SUPERSEDED
                              : TallyKey.Kind.REPLACED))));
    }
    return all.apply("AllTallies", Flatten.pCollections());
  }

}
