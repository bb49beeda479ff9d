package dev.intake.pipeline.steps;

import dev.intake.transforms.dedup.DedupByKey;
import dev.intake.transforms.sinks.lake.Partitioner;
import dev.intake.transforms.sinks.lake.ReadLake;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * A run's clean rows merged with the rows already in the lake: one dedup over both (newest version
 * of each key wins), then only the partitions that receive a new version are kept, whole (stored
 * rows merged with the new versions). Outputs, with the origin field of {@link MarkOrigin}: the
 * rows of the touched partitions ({@link #TOUCHED}), the newest row of every key ({@link
 * #NEWEST}), and the counts of written, superseded, replaced and carried rows, of the touched
 * partitions, and of the newest version and watermark ({@link #TALLIES}).
 */
public final class MergeWithLake extends PTransform<PCollection<Row>, PCollectionTuple> {
  public static final TupleTag<Row> TOUCHED = new TupleTag<>() {};
  public static final TupleTag<Row> NEWEST = new TupleTag<>() {};
  public static final TupleTag<KV<TallyKey, Long>> TALLIES = new TupleTag<>() {};

  private final String lakeDirectory;
  private final List<String> key;
  private final String version;
  private final String watermark;
  private final Partitioner partitioner;

  private MergeWithLake(
      String lakeDirectory, List<String> key, String version, String watermark,
      Partitioner partitioner) {
    this.lakeDirectory = lakeDirectory;
    this.key = key;
    this.version = version;
    this.watermark = watermark;
    this.partitioner = partitioner;
  }

  /**
   * Merges with the published rows under {@code lakeDirectory}, by {@code key}, newest by {@code
   * version}; {@code watermark} (may be null) is the field whose newest value is counted.
   */
  public static MergeWithLake of(
      String lakeDirectory, List<String> key, String version, String watermark,
      Partitioner partitioner) {
    return new MergeWithLake(lakeDirectory, List.copyOf(key), version, watermark, partitioner);
  }

  @Override
  public PCollectionTuple expand(PCollection<Row> incoming) {
    Schema clean = incoming.getSchema();
    PCollection<Row> stored =
        incoming.getPipeline().apply("ReadLake", ReadLake.of(lakeDirectory, clean));
    DedupByKey.Result dedup =
        PCollectionList.of(incoming.apply("MarkIncoming", MarkOrigin.incoming()))
            .and(stored.apply("MarkStored", MarkOrigin.stored()))
            .apply("IncomingAndStored", Flatten.pCollections())
            .setRowSchema(MarkOrigin.markedSchema(clean))
            .apply("DedupByKey", DedupByKey.of(key, version));
    PCollection<String> touched =
        dedup.apply("TouchedPartitions", TouchedPartitions.of(partitioner));
    PCollection<Row> current =
        dedup.newest().apply("KeepTouched", TouchedPartitions.keep(touched, partitioner));
    return PCollectionTuple.of(TOUCHED, current)
        .and(NEWEST, dedup.newest())
        .and(TALLIES, tallies(dedup, current, touched));
  }

  private PCollection<KV<TallyKey, Long>> tallies(
      DedupByKey.Result dedup, PCollection<Row> current, PCollection<String> touched) {
    PCollectionList<KV<TallyKey, Long>> all =
        PCollectionList.of(
                dedup
                    .superseded()
                    .apply(
                        "TallySuperseded",
                        Tallies.count(
                            (Row r) ->
                                TallyKey.of(
                                    MarkOrigin.isIncoming(r)
                                        ? TallyKey.Kind.SUPERSEDED
                                        : TallyKey.Kind.REPLACED))))
            .and(
                current.apply(
                    "TallyWritten",
                    Tallies.count(
                        (Row r) ->
                            TallyKey.of(
                                MarkOrigin.isIncoming(r)
                                    ? TallyKey.Kind.WRITTEN
                                    : TallyKey.Kind.CARRIED))))
            .and(touched.apply("TallyPartitions", Tallies.count(TallyKey::partition)));
    Schema schema = current.getSchema();
    if (schema.getField(version).getType().getTypeName() == Schema.TypeName.DATETIME) {
      all = all.and(current.apply("TallyNewestVersion", newest("version", version)));
    }
    if (watermark != null) {
      String field = watermark;
      all =
          all.and(
              current
                  .apply("WithWatermarkField", Filter.by((Row r) -> r.getDateTime(field) != null))
                  .apply("TallyNewestWatermark", newest("watermark", field)));
    }
    return all.apply("AllTallies", Flatten.pCollections());
  }

  private static Tallies.Each<Row> newest(String name, String field) {
    return Tallies.newest(
        (Row r) ->
            KV.of(TallyKey.of(TallyKey.Kind.NEWEST, name), r.getDateTime(field).getMillis()));
  }
}
