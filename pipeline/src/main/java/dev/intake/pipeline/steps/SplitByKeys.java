package dev.intake.pipeline.steps;

import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Splits stored rows by whether a run brings a version of their key: rows of those keys ({@link
 * #MATCHED}) must be deduplicated against the run's rows; every other stored row ({@link #OTHERS})
 * is the only row of its key in the lake, so it is its key's newest row as it is and needs no
 * shuffle. The keys (texts of {@link ApplyTombstones#keyOf}) are a side input, as in {@link
 * FindKeyPartitions}: a run brings far fewer keys than the lake holds.
 */
public final class SplitByKeys extends PTransform<PCollection<Row>, PCollectionTuple> {
  public static final TupleTag<Row> MATCHED = new TupleTag<>() {};
  public static final TupleTag<Row> OTHERS = new TupleTag<>() {};

  private final PCollection<String> keys;
  private final List<String> key;

  private SplitByKeys(PCollection<String> keys, List<String> key) {
    this.keys = keys;
    this.key = key;
  }

  /** Splits by the {@code key} fields' values against {@code keys}. */
  public static SplitByKeys of(PCollection<String> keys, List<String> key) {
    return new SplitByKeys(keys, List.copyOf(key));
  }

  @Override
  public PCollectionTuple expand(PCollection<Row> stored) {
    PCollectionView<Iterable<String>> wanted = keys.apply("AsKeySet", View.asIterable());
    PCollectionTuple out = stored.apply("SplitByKey",
        ParDo.of(new SplitFn(wanted, key))
            .withSideInputs(wanted)
            .withOutputTags(OTHERS, TupleTagList.of(MATCHED)));
    out.get(OTHERS).setRowSchema(stored.getSchema());
    out.get(MATCHED).setRowSchema(stored.getSchema());
    return out;
  }

  static final class SplitFn extends DoFn<Row, Row> {
    private final WantedKeys wanted;
    private final List<String> key;

    SplitFn(PCollectionView<Iterable<String>> wanted, List<String> key) {
      this.wanted = new WantedKeys(wanted);
      this.key = key;
    }

    @ProcessElement
    public void process(@Element Row row, ProcessContext c) {
      if (wanted.contains(c, ApplyTombstones.keyOf(row, key))) {
        c.output(MATCHED, row);
      } else {
        c.output(row);
      }
    }
  }
}
