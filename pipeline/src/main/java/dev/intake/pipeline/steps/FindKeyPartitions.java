package dev.intake.pipeline.steps;

import dev.intake.transforms.sinks.lake.LakeFile;
import dev.intake.transforms.sinks.lake.Partitioner;
import dev.intake.transforms.sinks.lake.ReadLake;
import dev.intake.transforms.sinks.lake.WriteParquet;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The lake partitions that hold a stored row of any of the input keys (key texts, as {@link
 * ApplyTombstones#keyOf} gives them), each once. Each stored file is opened once ({@link LakeFile})
 * and first asked, by the Bloom filters of its key column ({@link
 * WriteParquet#withBloomFilterOn}), whether it may hold one of the keys: a file that cannot is
 * skipped without reading a data page, so a run that brings a few keys reads the footers of the
 * lake and the key columns of the few files that hold them, not a column of every stored row. A
 * file that may hold one (a false positive of its filter among them), a file written without
 * filters, and every file when the key is composite or of another type than text or integer, is
 * read for its key columns and partition field (as {@link ReadLake#columns} reads them), and only
 * the partitions of the keys it really holds are output. The keys are a side input, so the stored
 * rows are not shuffled. {@link #storedRows} outputs those rows themselves, with more columns
 * (the merge's {@link StoredVersions} adds the version).
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
    return new FindKeyPartitions(lakeDirectory, columns(clean, key, partitioner, List.of()),
        List.copyOf(key), partitioner);
  }

  /**
   * The stored rows of the keys {@code wanted} holds, found as the partitions are, as rows of the
   * key fields, the partitioner's field and {@code more} fields of {@code clean} (each once, in
   * that order), all stored under their names.
   */
  static StoredRowsOfKeys storedRows(String lakeDirectory, Schema clean, List<String> key,
      Partitioner partitioner, List<String> more, Wanted wanted) {
    return new StoredRowsOfKeys(lakeDirectory, columns(clean, key, partitioner, more),
        List.copyOf(key), wanted);
  }

  private static Schema columns(Schema clean, List<String> key, Partitioner partitioner,
      List<String> more) {
    Set<String> names = new LinkedHashSet<>(key);
    names.add(partitioner.field());
    names.addAll(more);
    Schema.Builder b = Schema.builder();
    for (String name : names) {
      b.addField(clean.getField(name));
    }
    return b.build();
  }

  @Override
  public PCollection<String> expand(PCollection<String> keys) {
    // No distinct before the view: the lookup builds a set anyway, and on the DirectRunner a
    // per-key distinct makes a bundle of every key (tens of thousands, each set up in every step).
    WantedKeys wanted = new WantedKeys(keys.apply("AsKeySet", View.asIterable()));
    Partitioner p = partitioner;
    return keys.getPipeline()
        .apply("StoredRowsOfKeys", new StoredRowsOfKeys(lakeDirectory, keyAndPartition, key, wanted))
        .apply("TheirPartitions", MapElements.into(TypeDescriptors.strings()).via(p::folderOf))
        .apply("DistinctPartitions", DistinctPartitions.create());
  }

  /** The keys looked for, from a side input, as a set built once per DoFn instance. */
  interface Wanted extends Serializable {
    PCollectionView<?> view();

    Set<String> keys(DoFn<?, ?>.ProcessContext c);
  }

  /** See {@link #storedRows}. */
  static final class StoredRowsOfKeys extends PTransform<PBegin, PCollection<Row>> {
    private final String lakeDirectory;
    private final Schema columns;
    private final List<String> key;
    private final Wanted wanted;

    private StoredRowsOfKeys(
        String lakeDirectory, Schema columns, List<String> key, Wanted wanted) {
      this.lakeDirectory = lakeDirectory;
      this.columns = columns;
      this.key = key;
      this.wanted = wanted;
    }

    @Override
    public PCollection<Row> expand(PBegin begin) {
      return begin
          .apply("MatchStored",
              FileIO.match()
                  .filepattern(lakeDirectory + "*/*.parquet")
                  .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
          .apply("OpenStored", FileIO.readMatches())
          .apply("RowsOfWantedKeys",
              ParDo.of(new RowsOfWantedFn(wanted, key, columns)).withSideInputs(wanted.view()))
          .setRowSchema(columns);
    }
  }

  /** The rows of a stored file whose key is wanted, if its Bloom filters allow one. */
  static final class RowsOfWantedFn extends DoFn<FileIO.ReadableFile, Row> {
    private final Counter scanned = Metrics.counter(FindKeyPartitions.class, "storedKeysScanned");
    private final Counter skipped = Metrics.counter(FindKeyPartitions.class, "filesSkipped");
    private final Counter read = Metrics.counter(FindKeyPartitions.class, "filesRead");
    private final Wanted wanted;
    private final List<String> key;
    private final Schema columns;
    // The wanted keys as values of the key column, once per instance (the side input never
    // changes); null until computed, and when they cannot be probed.
    private transient List<Object> probes;
    private transient boolean probesComputed;

    RowsOfWantedFn(Wanted wanted, List<String> key, Schema columns) {
      this.wanted = wanted;
      this.key = key;
      this.columns = columns;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, ProcessContext c) throws IOException {
      Set<String> keys = wanted.keys(c);
      if (keys.isEmpty()) {
        return;
      }
      if (!probesComputed) {
        probes = probes(keys, key, columns);
        probesComputed = true;
      }
      try (LakeFile stored = LakeFile.open(file.getMetadata())) {
        if (probes != null && !stored.mayHoldAny(key.get(0), probes)) {
          skipped.inc();
          return;
        }
        read.inc();
        stored.readColumns(columns, row -> {
          scanned.inc();
          if (keys.contains(ApplyTombstones.keyOf(row, key))) {
            c.output(row);
          }
        });
      }
    }
  }

  /**
   * The values of the key column that {@code keys} stand for, to probe a file's Bloom filters with
   * ({@link LakeFile#mayHoldAny}): text for a STRING key, Long for INT64, Integer for INT32, null
   * for a key without a value. Null when they cannot be probed: a composite key, another type, or a
   * key text that is not a value of the key's type.
   */
  static List<Object> probes(Set<String> keys, List<String> key, Schema keyAndPartition) {
    if (key.size() != 1) {
      return null;
    }
    Schema.TypeName type = keyAndPartition.getField(key.get(0)).getType().getTypeName();
    List<Object> values = new ArrayList<>(keys.size());
    try {
      for (String k : keys) {
        List<String> parts = ApplyTombstones.keyValues(k);
        if (parts.size() != 1) {
          return null;
        }
        String v = parts.get(0);
        switch (type) {
          case STRING -> values.add(v);
          case INT64 -> values.add(v == null ? null : Long.valueOf(v));
          case INT32 -> values.add(v == null ? null : Integer.valueOf(v));
          default -> {
            return null;
          }
        }
      }
    } catch (NumberFormatException | IndexOutOfBoundsException notAKeyText) {
      return null;
    }
    return values;
  }
}
