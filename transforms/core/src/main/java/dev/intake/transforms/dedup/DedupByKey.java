package dev.intake.transforms.dedup;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
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
 */
public final class DedupByKey extends PTransform<PCollection<Row>, DedupByKey.Result> {
  static final TupleTag<Row> NEWEST = new TupleTag<>() {};
  private static final TupleTag<Row> SUPERSEDED = new TupleTag<>() {};

  private final List<String> keyFields;
  private final String versionField;

  private DedupByKey(List<String> keyFields, String versionField) {
    this.keyFields = keyFields;
    this.versionField = versionField;
  }

  /** Deduplicates on {@code keyFields}, newest by {@code versionField}. */
  public static DedupByKey of(List<String> keyFields, String versionField) {
    checkArgumentNotNull(versionField, "versionField must not be null");
    if (keyFields == null || keyFields.isEmpty()) {
      throw new IllegalArgumentException("keyFields must not be empty");
    }
    return new DedupByKey(List.copyOf(keyFields), versionField);
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
    List<String> keys = keyFields;
    PCollectionTuple out =
        input
            .apply(
                "KeyRows",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.rows()))
                    .via((Row r) -> KV.of(keyOf(r, keys), r)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(schema)))
            .apply("GroupVersions", GroupByKey.create())
            .apply(
                "PickNewest",
                ParDo.of(new PickNewestFn(new VersionOrder(versionField), SUPERSEDED))
                    .withOutputTags(NEWEST, TupleTagList.of(SUPERSEDED)));
    return new Result(
        out.get(NEWEST).setRowSchema(schema), out.get(SUPERSEDED).setRowSchema(schema));
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
      return Map.of(NEWEST, newest, SUPERSEDED, superseded);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
