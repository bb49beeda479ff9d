package dev.intake.pipeline.steps;

import dev.intake.transforms.sinks.lake.LakeFile;
import dev.intake.transforms.sinks.lake.Partitioner;
import dev.intake.transforms.sinks.lake.ReadLake;
import dev.intake.transforms.sinks.lake.WriteParquet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

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
 * rows are not shuffled.
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
        .apply("MatchStored",
            FileIO.match()
                .filepattern(lakeDirectory + "*/*.parquet")
                .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("OpenStored", FileIO.readMatches())
        .apply("PartitionsOfWantedKeys",
            ParDo.of(new PartitionsOfWantedFn(wanted, key, keyAndPartition, partitioner))
                .withSideInputs(wanted))
        .setCoder(StringUtf8Coder.of())
        .apply("DistinctPartitions", DistinctPartitions.create());
  }

  /** The partitions of a stored file's rows whose key is wanted, if its Bloom filters allow one. */
  static final class PartitionsOfWantedFn extends DoFn<FileIO.ReadableFile, String> {
    private final Counter scanned = Metrics.counter(FindKeyPartitions.class, "storedKeysScanned");
    private final Counter skipped = Metrics.counter(FindKeyPartitions.class, "filesSkipped");
    private final Counter read = Metrics.counter(FindKeyPartitions.class, "filesRead");
    private final WantedKeys wanted;
    private final List<String> key;
    private final Schema keyAndPartition;
    private final Partitioner partitioner;
    // The wanted keys as values of the key column, once per instance (the side input never
    // changes); null until computed, and when they cannot be probed.
    private transient List<Object> probes;
    private transient boolean probesComputed;

    PartitionsOfWantedFn(PCollectionView<Iterable<String>> wanted, List<String> key,
        Schema keyAndPartition, Partitioner partitioner) {
      this.wanted = new WantedKeys(wanted);
      this.key = key;
      this.keyAndPartition = keyAndPartition;
      this.partitioner = partitioner;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, ProcessContext c) throws IOException {
      Set<String> keys = wanted.all(c);
      if (keys.isEmpty()) {
        return;
      }
      if (!probesComputed) {
        probes = probes(keys, key, keyAndPartition);
        probesComputed = true;
      }
      try (LakeFile stored = LakeFile.open(file.getMetadata())) {
        if (probes != null && !stored.mayHoldAny(key.get(0), probes)) {
          skipped.inc();
          return;
        }
        read.inc();
        Set<String> found = new TreeSet<>();
        stored.readColumns(keyAndPartition, row -> {
          scanned.inc();
          if (keys.contains(ApplyTombstones.keyOf(row, key))) {
            found.add(partitioner.folderOf(row));
          }
        });
        found.forEach(c::output);
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
