package dev.intake.pipeline.steps;

import dev.intake.transforms.aggregate.RowsAggregator;
import dev.intake.transforms.sinks.lake.ParquetRows;
import dev.intake.transforms.sinks.lake.PartitionFiles;
import dev.intake.transforms.sinks.lake.Partitioner;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The rows of each touched partition after a run (input: the newest row of each of the run's keys,
 * marked; the touched partition folders, each once, are a parameter): its stored rows whose key
 * the run does not bring, read from its published files, and the newest row of each of the run's
 * keys that lands in it. Rows are marked with {@link MarkOrigin}
 * (stored rows as stored). One step per partition, reading, filtering and adding where the
 * partition is read: the carried rows (the bulk of a run) cross no other step before the writers,
 * and only the run's rows are shuffled (to meet their partition).
 *
 * <p>{@link #writing} also writes each partition's files in that step, from the rows it holds: the
 * carried rows then reach no writer of their own, and are not shuffled and sorted there, on disk
 * when they are many. The step keeps one output, the rows (on Flink a second output would make
 * every consumer of the rows decode the union of both): the files are counted from their footers
 * when the run is checked.
 *
 * <p>{@link #aggregating} also computes, over each partition's rows once they are written, the
 * aggregates whose groups never span partitions ({@link RowsAggregator}) and the tallies of the
 * kept rows ({@link TallyKept.Counts}), and outputs those instead of the rows: the rewritten rows,
 * the bulk of a run, are then neither encoded nor decoded again, and the step's outputs are a
 * partition's few aggregate rows and tallies. An aggregate given its files ({@link AggregateFiles})
 * is written there too, and only the count of its rows comes out; with a profile ({@link
 * ProfileColumns#fold}) the step also profiles each partition's incoming rows ({@link #PROFILES}).
 *
 * <p>Into an empty lake ({@link #intoEmptyLake}) every partition of the input is touched and there
 * is no stored row to read: the input is grouped alone, and the partitions written are an output
 * ({@link #PARTITIONS}), so no other step reads the input to find them.
 */
final class RewriteTouchedPartitions extends PTransform<PCollection<Row>, PCollectionTuple> {
  /** The rows of each touched partition (none with {@link #aggregating}). */
  static final TupleTag<Row> ROWS = new TupleTag<>() {};
  /**
   * With {@link #aggregating}: the tallies of the kept rows ({@link TallyKept}'s) and the rows
   * written of each aggregate written here, per partition.
   */
  static final TupleTag<KV<TallyKey, Long>> TALLIES = new TupleTag<>() {};
  /** With {@link #aggregating} and a profile: the profile of each partition's incoming rows. */
  static final TupleTag<ProfileColumns.Profile> PROFILES = new TupleTag<>() {};
  /** Into an empty lake, with {@link #aggregating}: each partition written, once. */
  static final TupleTag<String> PARTITIONS = new TupleTag<>() {};

  private final String lakeDirectory;
  private final Schema clean;
  private final Map<String, String> renamedFrom;
  private final List<String> key;
  private final Partitioner partitioner;
  private final FindKeyPartitions.Wanted runKeys;
  private final PCollection<String> touched;
  private final PartitionFiles files;
  private final Aggregates aggregates;

  private RewriteTouchedPartitions(String lakeDirectory, Schema clean,
      Map<String, String> renamedFrom, List<String> key, Partitioner partitioner,
      FindKeyPartitions.Wanted runKeys, PCollection<String> touched, PartitionFiles files,
      Aggregates aggregates) {
    this.lakeDirectory = lakeDirectory;
    this.clean = clean;
    this.renamedFrom = renamedFrom;
    this.key = key;
    this.partitioner = partitioner;
    this.runKeys = runKeys;
    this.touched = touched;
    this.files = files;
    this.aggregates = aggregates;
  }

  /** What {@link #aggregating} computes over each written partition's rows, and writes. */
  private record Aggregates(Map<TupleTag<Row>, RowsAggregator> byTag,
      Map<TupleTag<Row>, AggregateFiles> files, String version, String watermark,
      ProfileColumns.ProfileFn profile, String supersededCount) implements Serializable {
    /** The tags of the aggregates that are outputs, not written here. */
    List<TupleTag<Row>> outputTags() {
      return byTag.keySet().stream().filter(t -> !files.containsKey(t)).toList();
    }
  }

  /**
   * The {@code touched} partitions of the lake under {@code lakeDirectory} (rows of {@code clean},
   * stored columns renamed as {@code renamedFrom} says), without the stored rows of {@code runKeys}
   * (texts of {@link ApplyTombstones#keyOf} over {@code key}), with the input rows (marked, the
   * dedup's winners of those keys) that {@code partitioner} places in them.
   */
  static RewriteTouchedPartitions of(String lakeDirectory, Schema clean,
      Map<String, String> renamedFrom, List<String> key, Partitioner partitioner,
      FindKeyPartitions.Wanted runKeys, PCollection<String> touched) {
    return new RewriteTouchedPartitions(lakeDirectory, clean, Map.copyOf(renamedFrom),
        List.copyOf(key), partitioner, runKeys, touched, null, null);
  }

  /**
   * The partitions of the input rows (rows of {@code clean}, marked) in a lake that holds none yet:
   * nothing stored is read, each partition gets the rows {@code partitioner} places in it. For
   * {@link #writing} and {@link #aggregating}: a first load where its rows are grouped.
   */
  static RewriteTouchedPartitions intoEmptyLake(Schema clean, Partitioner partitioner) {
    return new RewriteTouchedPartitions(null, clean, Map.of(), List.of(), partitioner, null,
        null, null, null);
  }

  /**
   * Also writes each rewritten partition's rows (marked rows; {@code files} writes their clean
   * fields) where they are, with {@code files}.
   */
  RewriteTouchedPartitions writing(PartitionFiles files) {
    return new RewriteTouchedPartitions(lakeDirectory, clean, renamedFrom, key, partitioner,
        runKeys, touched, files, aggregates);
  }

  /**
   * Also computes, over each partition's rows once {@link #writing} wrote them, the aggregates of
   * {@code byTag} (their groups must not span partitions) and the kept rows' tallies ({@link
   * #TALLIES}, of {@code version} when it is a time and of {@code watermark}, either null for
   * none), instead of outputting the rows ({@link #ROWS} stays empty). An aggregate whose tag has
   * files in {@code written} is written with them, its rows counted in {@link #TALLIES}; any other
   * is an output under its tag. With a {@code profile} (may be null), each partition's incoming
   * rows are profiled too ({@link #PROFILES}). With {@code supersededCount} (may be null), the
   * input rows' field of that name holds how many versions each superseded ({@code
   * DedupByKey#countingSupersededIn}), and their sum is counted as superseded in {@link #TALLIES}.
   */
  RewriteTouchedPartitions aggregating(Map<TupleTag<Row>, RowsAggregator> byTag,
      Map<TupleTag<Row>, AggregateFiles> written, String version, String watermark,
      ProfileColumns.ProfileFn profile, String supersededCount) {
    if (files == null) {
      throw new IllegalStateException("aggregates are computed where the files are written");
    }
    if (!byTag.keySet().containsAll(written.keySet())) {
      throw new IllegalArgumentException("files of aggregates not computed: " + written.keySet());
    }
    return new RewriteTouchedPartitions(lakeDirectory, clean, renamedFrom, key, partitioner,
        runKeys, touched, files, new Aggregates(new LinkedHashMap<>(byTag), Map.copyOf(written),
            version, watermark, profile, supersededCount));
  }

  @Override
  public PCollectionTuple expand(PCollection<Row> newest) {
    // Each touched partition meets its winners in one small grouping (the run's rows, not the
    // stored ones): a touched partition stands in it as a null, so partitions that only lose a row
    // are there too, and winners of untouched partitions (stored rows that kept their key) are not
    // rewritten. Into an empty lake every partition of the winners is touched.
    // The winners' schema: the marked clean schema, and into an empty lake maybe a count field.
    Schema marked = newest.getSchema();
    RunKeyFilter carried =
        lakeDirectory == null ? null : RunKeyFilter.otherThanRunKeys(runKeys, key);
    KvCoder<String, Row> coder =
        KvCoder.of(StringUtf8Coder.of(), NullableCoder.of(RowCoder.of(marked)));
    Partitioner p = partitioner;
    PCollection<KV<String, Row>> winners = newest
        .apply("WinnersByPartition", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.rows()))
            .via((Row r) -> KV.of(p.folderOf(r), r)))
        .setCoder(coder);
    if (touched != null) {
      PCollection<KV<String, Row>> partitions = touched
          .apply("AsTouched", MapElements
              .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.rows()))
              .via((String folder) -> KV.of(folder, (Row) null)))
          .setCoder(coder);
      winners = PCollectionList.of(partitions).and(winners)
          .apply("TouchedAndWinners", Flatten.pCollections());
    }
    List<TupleTag<?>> more = new ArrayList<>();
    if (aggregates != null) {
      more.add(TALLIES);
      more.addAll(aggregates.outputTags());
      if (aggregates.profile() != null) {
        more.add(PROFILES);
      }
      if (touched == null) {
        more.add(PARTITIONS);
      }
    }
    PCollectionTuple out = winners
        .apply("GroupByPartition", GroupByKey.create())
        .apply("RewritePartition",
            ParDo.of(new RewriteFn(this, marked, carried))
                .withSideInputs(carried == null ? List.of() : carried.sideInputs())
                .withOutputTags(ROWS, TupleTagList.of(more)));
    out.get(ROWS).setRowSchema(marked);
    if (aggregates == null) {
      return out;
    }
    out.get(TALLIES).setCoder(Tallies.coder(newest.getPipeline()));
    if (aggregates.profile() != null) {
      out.get(PROFILES).setCoder(aggregates.profile().coder());
    }
    if (touched == null) {
      out.get(PARTITIONS).setCoder(StringUtf8Coder.of());
    }
    for (TupleTag<Row> tag : aggregates.outputTags()) {
      out.get(tag).setRowSchema(aggregates.byTag().get(tag).outputSchema());
    }
    return out;
  }

  static final class RewriteFn extends DoFn<KV<String, Iterable<Row>>, Row> {
    private final String lakeDirectory;
    private final Schema clean;
    private final Schema marked;
    private final Map<String, String> renamedFrom;
    private final RunKeyFilter carried;
    private final PartitionFiles files;
    private final Aggregates aggregates;

    RewriteFn(RewriteTouchedPartitions t, Schema marked, RunKeyFilter carried) {
      this.lakeDirectory = t.lakeDirectory;
      this.clean = t.clean;
      this.marked = marked;
      this.renamedFrom = t.renamedFrom;
      this.carried = carried;
      this.files = t.files;
      this.aggregates = t.aggregates;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Row>> partition, ProcessContext c)
        throws IOException {
      List<Row> rows = new ArrayList<>();
      boolean touched = false;
      for (Row r : partition.getValue()) {
        if (r == null) {
          touched = true;
        } else {
          rows.add(r);
        }
      }
      if (!touched && lakeDirectory != null) {
        return;
      }
      // Without files to write the rows go on as they are read; with them, they are held (the
      // partition's rows, as a writer sorting them holds them) until its files are written.
      Consumer<Row> out = files == null ? c::output : rows::add;
      if (lakeDirectory != null) {
        carryStored(partition.getKey(), out, c);
      }
      if (files != null) {
        files.write(partition.getKey(), rows);
      }
      if (aggregates != null) {
        aggregate(partition.getKey(), rows, c);
        return;
      }
      // The partition's rows once written, else the winners after the carried rows.
      rows.forEach(c::output);
    }

    /** Hands the stored rows of {@code partition} whose key the run does not bring to {@code out}. */
    private void carryStored(String partition, Consumer<Row> out, ProcessContext c)
        throws IOException {
      List<MatchResult.Metadata> stored = new ArrayList<>(FileSystems.match(
          lakeDirectory + partition + "/*.parquet", EmptyMatchTreatment.ALLOW)
          .metadata());
      stored.sort(Comparator.comparing((MatchResult.Metadata f) -> f.resourceId().toString()));
      for (MatchResult.Metadata file : stored) {
        ParquetRows.read(file, clean, renamedFrom, (Row row) -> {
          if (carried.keep(c, row)) {
            out.accept(MarkOrigin.withOrigin(marked, row, false));
          }
        });
      }
    }

    private void aggregate(String partition, List<Row> rows, ProcessContext c)
        throws IOException {
      for (Map.Entry<TupleTag<Row>, RowsAggregator> a : aggregates.byTag().entrySet()) {
        List<Row> aggregated = a.getValue().aggregate(rows);
        AggregateFiles written = aggregates.files().get(a.getKey());
        if (written == null) {
          aggregated.forEach(r -> c.output(a.getKey(), r));
          continue;
        }
        KV<TallyKey, Long> tally = written.write(partition, aggregated);
        if (tally != null) {
          c.output(TALLIES, tally);
        }
      }
      TallyKept.Counts counts = new TallyKept.Counts(aggregates.version(), aggregates.watermark());
      rows.forEach(counts::add);
      counts.emit((k, v) -> c.output(TALLIES, KV.of(k, v)));
      if (aggregates.supersededCount() != null) {
        long superseded = 0;
        for (Row r : rows) {
          Long n = r.getInt64(aggregates.supersededCount());
          superseded += n == null ? 0 : n;
        }
        if (superseded > 0) {
          c.output(TALLIES, KV.of(TallyKey.of(TallyKey.Kind.SUPERSEDED), superseded));
        }
      }
      if (aggregates.profile() != null) {
        ProfileColumns.Profile profile = aggregates.profile().createAccumulator();
        for (Row r : rows) {
          if (MarkOrigin.isIncoming(r)) {
            profile.add(r);
          }
        }
        if (profile.rows > 0) {
          c.output(PROFILES, profile);
        }
      }
      if (lakeDirectory == null) {
        c.output(PARTITIONS, partition);
      }
    }
  }
}
