package dev.intake.transforms.dedup;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Keeps one row per key: the newest by the version field; on equal versions the row whose values,
 * compared as text in schema order, are greatest, so the result never depends on input order.
 * Every other version of a key is output as superseded, so nothing disappears uncounted.
 *
 * <p>Rows whose key fields are all null are grouped together; validate that key fields are
 * required before deduplicating.
 *
 * <p>Rows are grouped by a hash bucket of their key ({@link #withBuckets}, default {@value
 * #DEFAULT_BUCKETS}), not by the key itself, and each bucket is deduplicated in memory, holding the
 * newest row of each of its distinct keys. Few large groups instead of one group per key: the
 * DirectRunner hands every group downstream as its own bundle and pays a per-bundle set-up cost
 * that grows with the graph, and Flink sorts by a small integer instead of the key text. A bucket
 * holds about (rows / buckets) distinct keys, so raise the bucket count with the row count (see
 * {@link #withBuckets}).
 *
 * <p>{@link #countingSupersededIn} counts each key's superseded versions on its newest row instead
 * of outputting them: the step then has one output, which on Flink's batch translation chains
 * into what follows instead of being serialized once for each of two readers.
 */
public final class DedupByKey extends PTransform<PCollection<Row>, DedupByKey.Result> {
  /** The bucket count unless {@link #withBuckets} says otherwise. */
  public static final int DEFAULT_BUCKETS = 512;

  static final TupleTag<Row> NEWEST = new TupleTag<>() {};
  private static final TupleTag<Row> SUPERSEDED = new TupleTag<>() {};

  private final List<String> keyFields;
  private final String versionField;
  private final int buckets;
  private final String countField;

  private DedupByKey(List<String> keyFields, String versionField, int buckets, String countField) {
    this.keyFields = keyFields;
    this.versionField = versionField;
    this.buckets = buckets;
    this.countField = countField;
  }

  /** Deduplicates on {@code keyFields}, newest by {@code versionField}. */
  public static DedupByKey of(List<String> keyFields, String versionField) {
    checkArgumentNotNull(versionField, "versionField must not be null");
    if (keyFields == null || keyFields.isEmpty()) {
      throw new IllegalArgumentException("keyFields must not be empty");
    }
    return new DedupByKey(List.copyOf(keyFields), versionField, DEFAULT_BUCKETS, null);
  }

  /**
   * Groups the rows into {@code buckets} hash buckets of their key. A bucket's distinct keys are held
   * in memory while it is deduplicated: about (rows / buckets) newest rows, so e.g. 512 buckets keep
   * about 20,000 rows per bucket at 10M rows. One bucket per key is the smallest memory; fewer
   * buckets mean fewer, larger groups (faster on the DirectRunner).
   */
  public DedupByKey withBuckets(int buckets) {
    if (buckets <= 0) {
      throw new IllegalArgumentException("buckets must be > 0, but was " + buckets);
    }
    return new DedupByKey(keyFields, versionField, buckets, countField);
  }

  /**
   * Outputs no superseded rows ({@link Result#superseded} is then null): each newest row holds in
   * {@code field}, a nullable INT64 field of the input, how many versions of its key it
   * superseded, or null for none. The version order does not read that field (every input row's
   * must be null), so the same rows win as without it.
   */
  public DedupByKey countingSupersededIn(String field) {
    checkArgumentNotNull(field, "field must not be null");
    return new DedupByKey(keyFields, versionField, buckets, field);
  }

  @Override
  public Result expand(PCollection<Row> input) {
    Schema schema = input.getSchema();
    for (String f : keyFields) {
      if (!schema.hasField(f)) {
        throw new IllegalArgumentException("key field " + f + " is not in " + schema);
      }
    }
    if (!schema.hasField(versionField)) {
      throw new IllegalArgumentException("version field " + versionField + " is not in " + schema);
    }
    if (countField != null && (!schema.hasField(countField)
        || !schema.getField(countField).getType().equals(Schema.FieldType.INT64.withNullable(true)))) {
      throw new IllegalArgumentException(
          "count field " + countField + " is not a nullable INT64 field of " + schema);
    }
    List<String> keys = keyFields;
    int n = buckets;
    PCollection<KV<Integer, Iterable<Row>>> grouped =
        input
            .apply(
                "BucketRows",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.rows()))
                    .via((Row r) -> KV.of(bucketOf(keyOf(r, keys), n), r)))
            .setCoder(KvCoder.of(VarIntCoder.of(), RowCoder.of(schema)))
            .apply("GroupBuckets", GroupByKey.create());
    VersionOrder order = new VersionOrder(versionField);
    if (countField != null) {
      PCollection<Row> newest = grouped.apply("PickNewest",
          ParDo.of(PickNewestFn.counting(keys, order, schema.indexOf(countField))));
      return new Result(newest.setRowSchema(schema), null);
    }
    PCollectionTuple out = grouped.apply("PickNewest",
        ParDo.of(PickNewestFn.outputting(keys, order, SUPERSEDED))
            .withOutputTags(NEWEST, TupleTagList.of(SUPERSEDED)));
    return new Result(
        out.get(NEWEST).setRowSchema(schema), out.get(SUPERSEDED).setRowSchema(schema));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("keyFields", String.join(", ", keyFields)))
        .add(DisplayData.item("versionField", versionField))
        .add(DisplayData.item("buckets", buckets))
        .addIfNotNull(DisplayData.item("supersededCountedIn", countField));
  }

  /** The bucket of a key: its text's hash (the same in every JVM) modulo {@code buckets}. */
  static int bucketOf(String key, int buckets) {
    return Math.floorMod(key.hashCode(), buckets);
  }

  static String keyOf(Row row, List<String> keyFields) {
    if (keyFields.size() == 1) {
      Object v = row.getValue(keyFields.get(0));
      return v == null ? "\u0000" : v.toString();
    }
    StringBuilder sb = new StringBuilder();
    for (String f : keyFields) {
      Object v = row.getValue(f);
      sb.append(v == null ? "\u0000" : v.toString()).append('\u0001');
    }
    return sb.toString();
  }

  /** The newest row of every key, and every version it superseded. */
  public static final class Result implements PInput, POutput {
    private final PCollection<Row> newest;
    private final PCollection<Row> superseded;

    Result(PCollection<Row> newest, PCollection<Row> superseded) {
      this.newest = newest;
      this.superseded = superseded;
    }

    public PCollection<Row> newest() {
      return newest;
    }

    /** Every superseded version; null where they are counted ({@link #countingSupersededIn}). */
    public PCollection<Row> superseded() {
      return superseded;
    }

    /** Applies a transform that reads both outputs. */
    public <T extends POutput> T apply(String name, PTransform<? super Result, T> transform) {
      return Pipeline.applyTransform(name, this, transform);
    }

    @Override
    public Pipeline getPipeline() {
      return newest.getPipeline();
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return superseded == null
          ? Map.of(NEWEST, newest)
          : Map.of(NEWEST, newest, SUPERSEDED, superseded);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
