package dev.intake.pipeline.steps;

import dev.intake.transforms.sinks.lake.Partitioner;
import dev.intake.transforms.sinks.lake.ReadLakePartitions;
import dev.intake.transforms.sinks.lake.StoredRowFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The stored versions of a run's keys, as the dedup needs them (rows of the clean schema): a
 * stored version older than the run's newest version of its key ({@link RunVersions#isOlder})
 * loses to it on its version alone, so it comes with its key, partition and version columns only
 * (the rest null), read where the keys are found ({@link FindKeyPartitions#storedRows}); the
 * others (the run brings the same version or an older one: the dedup compares whole rows, or the
 * stored row stays) are read whole, from the partitions that hold them only. A run of newer
 * versions, the usual run, so reads three columns of the files that hold its keys and no partition
 * whole. Without light rows ({@link #of}'s {@code light} false: a clean field that may not be
 * null) every stored version is read whole.
 */
final class StoredVersions extends PTransform<PBegin, PCollection<Row>> {
  private static final TupleTag<Row> OLDER = new TupleTag<>() {};
  private static final TupleTag<String> READ_WHOLE = new TupleTag<>() {};

  private final String lakeDirectory;
  private final Schema clean;
  private final Map<String, String> renamedFrom;
  private final List<String> key;
  private final String version;
  private final Partitioner partitioner;
  private final RunVersions versions;
  private final boolean light;

  private StoredVersions(String lakeDirectory, Schema clean, Map<String, String> renamedFrom,
      List<String> key, String version, Partitioner partitioner, RunVersions versions,
      boolean light) {
    this.lakeDirectory = lakeDirectory;
    this.clean = clean;
    this.renamedFrom = renamedFrom;
    this.key = key;
    this.version = version;
    this.partitioner = partitioner;
    this.versions = versions;
    this.light = light;
  }

  /**
   * The stored versions under {@code lakeDirectory} (rows of {@code clean}, columns renamed as
   * {@code renamedFrom} says, but for the key, partition and version columns) of the keys of
   * {@code versions}.
   */
  static StoredVersions of(String lakeDirectory, Schema clean, Map<String, String> renamedFrom,
      List<String> key, String version, Partitioner partitioner, RunVersions versions) {
    List<String> columns = new ArrayList<>(key);
    columns.add(partitioner.field());
    columns.add(version);
    boolean light = clean.getFields().stream()
        .allMatch(f -> f.getType().getNullable() || columns.contains(f.getName()));
    return new StoredVersions(lakeDirectory, clean, Map.copyOf(renamedFrom), List.copyOf(key),
        version, partitioner, versions, light);
  }

  @Override
  public PCollection<Row> expand(PBegin begin) {
    PCollectionTuple found = begin
        .apply("FindStoredVersions", FindKeyPartitions.storedRows(lakeDirectory, clean, key,
            partitioner, List.of(version), versions))
        .apply("OlderOrWhole", ParDo.of(new OlderOrWholeFn(this))
            .withSideInputs(versions.view())
            .withOutputTags(OLDER, TupleTagList.of(READ_WHOLE)));
    PCollection<Row> whole = found.get(READ_WHOLE).setCoder(StringUtf8Coder.of())
        .apply("PartitionsToReadWhole", DistinctPartitions.create())
        .apply("ReadWholeVersions", ReadLakePartitions.of(lakeDirectory, clean)
            .withRenames(renamedFrom)
            .keeping(new NotOlder(versions, light)));
    return PCollectionList.of(found.get(OLDER).setRowSchema(clean)).and(whole)
        .apply("StoredVersions", Flatten.pCollections())
        .setRowSchema(clean);
  }

  /**
   * Sends each found stored version of a run's key on: older than the run's, as a row of the clean
   * schema with only its found columns; else its partition, to be read whole.
   */
  static final class OlderOrWholeFn extends DoFn<Row, Row> {
    private final RunVersions versions;
    private final Partitioner partitioner;
    private final Schema clean;
    private final boolean light;

    OlderOrWholeFn(StoredVersions s) {
      this.versions = s.versions;
      this.partitioner = s.partitioner;
      this.clean = s.clean;
      this.light = s.light;
    }

    @ProcessElement
    public void process(@Element Row found, ProcessContext c) {
      if (light && versions.isOlder(c, found)) {
        List<Object> values = new ArrayList<>(clean.getFieldCount());
        for (Schema.Field f : clean.getFields()) {
          values.add(found.getSchema().hasField(f.getName()) ? found.getValue(f.getName()) : null);
        }
        c.output(Row.withSchema(clean).attachValues(values));
      } else {
        c.output(READ_WHOLE, partitioner.folderOf(found));
      }
    }
  }

  /** Keeps the stored rows of the run's keys that {@link OlderOrWholeFn} did not send on light. */
  static final class NotOlder implements StoredRowFilter {
    private final RunVersions versions;
    private final boolean light;

    NotOlder(RunVersions versions, boolean light) {
      this.versions = versions;
      this.light = light;
    }

    @Override
    public List<PCollectionView<?>> sideInputs() {
      return List.of(versions.view());
    }

    @Override
    public boolean keep(DoFn<?, ?>.ProcessContext c, Row row) {
      return versions.keys(c).contains(ApplyTombstones.keyOf(row, versions.key()))
          && !(light && versions.isOlder(c, row));
    }
  }
}
