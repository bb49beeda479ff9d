package dev.intake.pipeline.steps;

import dev.intake.transforms.sinks.lake.ReadLake;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
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
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.ReadableInstant;

/**
 * Applies deletions before the merge. Input: the run's clean rows ({@link #INCOMING}), the stored
 * rows ({@link #STORED}) and the run's tombstones ({@link #TOMBSTONES}); the stored tombstones are
 * read from the lake here. Per key, the newest deletion time T of all its tombstones removes every
 * version whose version field is at or before T: incoming ones are not written (tombstoned),
 * stored ones leave the lake (deleted); a newer version (a re-created entity) stays. Outputs the
 * kept incoming and stored rows (same tags), the removed stored rows ({@link #DELETED}) and the
 * tombstones to keep: those newer than every stored tombstone of their key ({@link #NEW}), so
 * reading a deletion again changes nothing.
 */
public final class ApplyTombstones extends PTransform<PCollectionTuple, PCollectionTuple> {
  public static final TupleTag<Row> INCOMING = new TupleTag<>() {};
  public static final TupleTag<Row> STORED = new TupleTag<>() {};
  public static final TupleTag<Row> TOMBSTONES = new TupleTag<>() {};
  public static final TupleTag<Row> DELETED = new TupleTag<>() {};
  public static final TupleTag<Row> NEW = new TupleTag<>() {};
  private static final TupleTag<Row> STORED_TOMBSTONES = new TupleTag<>() {};
  private static final TupleTag<Row> TOMBSTONED = new TupleTag<>() {};

  private final String tombstonesDirectory;
  private final List<String> key;
  private final String version;

  private ApplyTombstones(String tombstonesDirectory, List<String> key, String version) {
    this.tombstonesDirectory = tombstonesDirectory;
    this.key = key;
    this.version = version;
  }

  /** Tombstones kept under {@code tombstonesDirectory}, by {@code key}, against {@code version}. */
  public static ApplyTombstones of(String tombstonesDirectory, List<String> key, String version) {
    return new ApplyTombstones(tombstonesDirectory, List.copyOf(key), version);
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple in) {
    Schema clean = in.get(INCOMING).getSchema();
    Schema tombstone = in.get(TOMBSTONES).getSchema();
    PCollection<Row> stored =
        in.getPipeline().apply("ReadTombstones", ReadLake.of(tombstonesDirectory, tombstone));
    PCollection<KV<String, CoGbkResult>> byKey =
        KeyedPCollectionTuple.of(INCOMING, keyed("Incoming", in.get(INCOMING), clean))
            .and(STORED, keyed("Stored", in.get(STORED), clean))
            .and(TOMBSTONES, keyed("Tombstones", in.get(TOMBSTONES), tombstone))
            .and(STORED_TOMBSTONES, keyed("StoredTombstones", stored, tombstone))
            .apply("ByKey", CoGroupByKey.create());
    PCollectionTuple out =
        byKey.apply("Apply", ParDo.of(new ApplyFn(version))
            .withOutputTags(INCOMING, TupleTagList.of(List.of(STORED, DELETED, NEW, TOMBSTONED))));
    out.get(INCOMING).setRowSchema(clean);
    out.get(STORED).setRowSchema(clean);
    out.get(DELETED).setRowSchema(clean);
    out.get(TOMBSTONED).setRowSchema(clean);
    out.get(NEW).setRowSchema(tombstone);
    PCollection<KV<TallyKey, Long>> tallies =
        PCollectionList.of(out.get(DELETED).apply("TallyDeleted",
                Tallies.count((Row r) -> TallyKey.of(TallyKey.Kind.DELETED))))
            .and(out.get(TOMBSTONED).apply("TallyTombstoned",
                Tallies.count((Row r) -> TallyKey.of(TallyKey.Kind.TOMBSTONED))))
            .apply("AllTombstoneTallies", Flatten.pCollections());
    return PCollectionTuple.of(INCOMING, out.get(INCOMING))
        .and(STORED, out.get(STORED))
        .and(DELETED, out.get(DELETED))
        .and(NEW, out.get(NEW))
        .and(MergeWithLake.TALLIES, tallies);
  }

  private PCollection<KV<String, Row>> keyed(String name, PCollection<Row> rows, Schema schema) {
    return byKey("Key" + name, rows, schema, key);
  }

  /** {@code rows} (of {@code schema}) keyed by the text of their {@code key} fields' values. */
  static PCollection<KV<String, Row>> byKey(String step, PCollection<Row> rows, Schema schema,
      List<String> key) {
    return rows
        .apply(step, WithKeys.of((Row r) -> keyOf(r, key)).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(schema)));
  }

  /** The key fields' values of {@code r} as one text ({@link #keyText}). */
  static String keyOf(Row r, List<String> fields) {
    List<String> values = new java.util.ArrayList<>(fields.size());
    for (String f : fields) {
      Object v = r.getValue(f);
      values.add(v == null ? null : String.valueOf(v));
    }
    return keyText(values);
  }

  /** Key values (null for none) as one text, each with its length so no two keys collide. */
  static String keyText(List<String> values) {
    StringBuilder sb = new StringBuilder();
    for (String v : values) {
      sb.append(v == null ? -1 : v.length()).append(':').append(v == null ? "" : v);
    }
    return sb.toString();
  }

  /** The key values (null for none) of a text of {@link #keyText}: its inverse. */
  static List<String> keyValues(String text) {
    List<String> values = new java.util.ArrayList<>();
    for (int at = 0; at < text.length(); ) {
      int colon = text.indexOf(':', at);
      int length = Integer.parseInt(text.substring(at, colon));
      int end = colon + 1 + Math.max(length, 0);
      values.add(length < 0 ? null : text.substring(colon + 1, end));
      at = end;
    }
    return values;
  }

  /** Splits one key's rows by its newest deletion time. */
  static final class ApplyFn extends DoFn<KV<String, CoGbkResult>, Row> {
    private final String version;

    ApplyFn(String version) {
      this.version = version;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> e, MultiOutputReceiver out) {
      CoGbkResult g = e.getValue();
      Row newest = newest(g.getAll(TOMBSTONES));
      Row storedNewest = newest(g.getAll(STORED_TOMBSTONES));
      long before = storedNewest == null ? Long.MIN_VALUE : millis(storedNewest);
      long until = Math.max(before, newest == null ? Long.MIN_VALUE : millis(newest));
      if (newest != null && millis(newest) > before) {
        out.get(NEW).output(newest);
      }
      for (Row r : g.getAll(INCOMING)) {
        out.get(removed(r, until) ? TOMBSTONED : INCOMING).output(r);
      }
      for (Row r : g.getAll(STORED)) {
        out.get(removed(r, until) ? DELETED : STORED).output(r);
      }
    }

    private boolean removed(Row r, long until) {
      ReadableInstant v = r.getDateTime(version);
      return until != Long.MIN_VALUE && (v == null || v.getMillis() <= until);
    }

    private static Row newest(Iterable<Row> tombstones) {
      Row best = null;
      for (Row t : tombstones) {
        if (best == null || millis(t) > millis(best)) {
          best = t;
        }
      }
      return best;
    }

    private static long millis(Row tombstone) {
      return tombstone.getDateTime(ParseDeletions.DELETED_AT).getMillis();
    }
  }
}
