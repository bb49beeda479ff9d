package dev.intake.transforms.join;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.SourceRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Joins rows (with their source records) to a small reference table: each row's {@code joinField}
 * is looked up among the reference's {@code keyColumn} values, and the chosen reference columns
 * are appended to the row, under their output names, in the order given.
 *
 * <p>The reference is broadcast: its rows become one map keyed by the key column (a side input), so
 * it must fit in a worker's memory. A reference with two rows for one key fails the pipeline with a
 * {@link DuplicateReferenceKeyException} naming the key; reference rows with a null key are
 * ignored (nothing can match them). Keys are compared by value; the join field and the key column
 * must have the same type.
 *
 * <p>A row whose join value is null is not looked up: its reference columns are null, and it is
 * neither a miss nor rejected. A row whose value is not a key is a <em>miss</em>: with {@link
 * OnMiss#KEEP} (the default) it is output with null reference columns and its join value is also
 * output to {@link Result#misses()}; with {@link OnMiss#REJECT} it becomes a {@link DeadLetter} at
 * stage {@code reference} with reason code {@code reference:<name>} and the record's original text.
 * Every input row is either output or a dead letter.
 */
public final class JoinReference
    extends PTransform<PCollection<KV<SourceRecord, Row>>, JoinReference.Result> {
  /** What a row whose join value is not a key of the reference becomes. */
  public enum OnMiss {
    /** Output with null reference columns, and counted in {@link Result#misses()}. */
    KEEP,
    /** A dead letter with reason code {@code reference:<name>}. */
    REJECT
  }

  private static final TupleTag<KV<SourceRecord, Row>> JOINED = new TupleTag<>() {};
  private static final TupleTag<DeadLetter> REJECTED = new TupleTag<>() {};
  private static final TupleTag<String> MISSED = new TupleTag<>() {};

  private final String name;
  private final PCollection<Row> reference;
  private final String keyColumn;
  private final String joinField;
  private final LinkedHashMap<String, String> columns;
  private final OnMiss onMiss;
  private final Lineage lineage;

  private JoinReference(String name, PCollection<Row> reference, String keyColumn,
      String joinField, LinkedHashMap<String, String> columns, OnMiss onMiss, Lineage lineage) {
    this.name = name;
    this.reference = reference;
    this.keyColumn = keyColumn;
    this.joinField = joinField;
    this.columns = columns;
    this.onMiss = onMiss;
    this.lineage = lineage;
  }

  /**
   * Joins rows whose {@code joinField} matches {@code keyColumn} of the {@code reference} rows
   * called {@code name}; brings in every other column of the reference under its own name, and
   * keeps misses.
   */
  public static JoinReference of(String name, PCollection<Row> reference, String keyColumn,
      String joinField, Lineage lineage) {
    checkArgumentNotNull(name, "name must not be null");
    checkArgumentNotNull(reference, "reference must not be null");
    checkArgumentNotNull(keyColumn, "keyColumn must not be null");
    checkArgumentNotNull(joinField, "joinField must not be null");
    checkArgumentNotNull(lineage, "lineage must not be null");
    LinkedHashMap<String, String> all = new LinkedHashMap<>();
    for (Schema.Field f : reference.getSchema().getFields()) {
      if (!f.getName().equals(keyColumn)) {
        all.put(f.getName(), f.getName());
      }
    }
    return new JoinReference(name, reference, keyColumn, joinField, all, OnMiss.KEEP, lineage);
  }

  /**
   * Brings in only these reference columns: reference column name → output column name, in this
   * order (the key column may be among them).
   */
  public JoinReference withColumns(Map<String, String> referenceToOutput) {
    if (referenceToOutput == null || referenceToOutput.isEmpty()) {
      throw new IllegalArgumentException("columns must name at least one reference column");
    }
    return new JoinReference(name, reference, keyColumn, joinField,
        new LinkedHashMap<>(referenceToOutput), onMiss, lineage);
  }

  /** What a miss becomes; {@link OnMiss#KEEP} unless set. */
  public JoinReference withOnMiss(OnMiss onMiss) {
    checkArgumentNotNull(onMiss, "onMiss must not be null");
    return new JoinReference(name, reference, keyColumn, joinField, columns, onMiss, lineage);
  }

  /** The reference's name, as dead letters' reason codes show it. */
  public String name() {
    return name;
  }

  /** The schema of the output rows for input rows of {@code input}. */
  public Schema outputSchema(Schema input) {
    Schema ref = reference.getSchema();
    if (!ref.hasField(keyColumn)) {
      throw new IllegalArgumentException("reference " + name + " has no key column " + keyColumn
          + " (its columns: " + ref.getFieldNames() + ")");
    }
    if (!input.hasField(joinField)) {
      throw new IllegalArgumentException("reference " + name + ": the rows have no field "
          + joinField + " to join on");
    }
    Schema.FieldType keyType = ref.getField(keyColumn).getType().withNullable(true);
    Schema.FieldType joinType = input.getField(joinField).getType().withNullable(true);
    if (!keyType.equals(joinType)) {
      throw new IllegalArgumentException("reference " + name + ": field " + joinField + " ("
          + joinType.getTypeName() + ") cannot be compared with key column " + keyColumn + " ("
          + keyType.getTypeName() + ")");
    }
    Schema.Builder b = Schema.builder().addFields(input.getFields());
    for (Map.Entry<String, String> c : columns.entrySet()) {
      if (!ref.hasField(c.getKey())) {
        throw new IllegalArgumentException("reference " + name + " has no column " + c.getKey()
            + " (its columns: " + ref.getFieldNames() + ")");
      }
      if (input.hasField(c.getValue())) {
        throw new IllegalArgumentException("reference " + name + ": column " + c.getValue()
            + " is already a field of the rows");
      }
      b.addField(c.getValue(), ref.getField(c.getKey()).getType().withNullable(true));
    }
    return b.build();
  }

  @Override
  public Result expand(PCollection<KV<SourceRecord, Row>> input) {
    @SuppressWarnings("unchecked")
    KvCoder<SourceRecord, Row> coder = (KvCoder<SourceRecord, Row>) input.getCoder();
    Schema inputSchema = ((RowCoder) coder.getValueCoder()).getSchema();
    Schema out = outputSchema(inputSchema);
    PCollectionView<Map<String, Row>> index =
        reference.apply("IndexByKey",
            Combine.globally(new IndexByKeyFn(name, keyColumn, reference.getSchema()))
                .asSingletonView());
    PCollectionTuple looked =
        input.apply("LookUp",
            ParDo.of(new JoinReferenceFn(new ReferenceLookup(name, joinField, columns, out),
                    onMiss, lineage, JOINED, REJECTED, MISSED))
                .withSideInput(JoinReferenceFn.INDEX, index)
                .withOutputTags(JOINED, TupleTagList.of(REJECTED).and(MISSED)));
    Pipeline p = input.getPipeline();
    return new Result(p,
        looked.get(JOINED).setCoder(KvCoder.of(coder.getKeyCoder(), RowCoder.of(out))),
        looked.get(REJECTED).setCoder(DeadLetter.coder(p)),
        looked.get(MISSED).setCoder(StringUtf8Coder.of()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("reference", name))
        .add(DisplayData.item("on", joinField + " = " + keyColumn))
        .add(DisplayData.item("columns", columns.toString()))
        .add(DisplayData.item("onMiss", onMiss.toString()));
  }

  /** The joined rows, the rejected misses and the kept misses' join values, together. */
  public static final class Result implements POutput {
    private final Pipeline pipeline;
    private final PCollection<KV<SourceRecord, Row>> output;
    private final PCollection<DeadLetter> deadLetters;
    private final PCollection<String> misses;

    private Result(Pipeline pipeline, PCollection<KV<SourceRecord, Row>> output,
        PCollection<DeadLetter> deadLetters, PCollection<String> misses) {
      this.pipeline = pipeline;
      this.output = output;
      this.deadLetters = deadLetters;
      this.misses = misses;
    }

    /** Every row that was not rejected, with the reference columns appended. */
    public PCollection<KV<SourceRecord, Row>> output() {
      return output;
    }

    /** The rejected misses (only with {@link OnMiss#REJECT}). */
    public PCollection<DeadLetter> deadLetters() {
      return deadLetters;
    }

    /** The join value (as text) of each kept miss (only with {@link OnMiss#KEEP}). */
    public PCollection<String> misses() {
      return misses;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(JOINED, output, REJECTED, deadLetters, MISSED, misses);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
