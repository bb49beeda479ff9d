package dev.intake.transforms.aggregate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Aggregates rows per group: one output row {@code (bucket, group fields…, measures…)} per
 * distinct combination of a {@link TimeBucket} of a timestamp or date field (optional: {@link
 * #withBucket}) and the values of the group fields (a null value is a group of its own). The bucket
 * is a DATE column; rows without a value in the bucket's field are not aggregated (they have no
 * bucket). Without a bucket, and without group fields, the output is one row over all input rows
 * (none for an empty input). Results do not depend on input order.
 *
 * <p>A list group field is exploded: a row counts once under each distinct element of its list
 * (an empty or null list: under null), so its measures add up to more than the input where lists
 * hold several elements; with several list group fields, under each combination.
 *
 * <p>With a {@link Pivot} ({@link #withPivot}), each measure becomes one column per pivot value,
 * plus the columns of other values and of null, named {@code <measure>_<suffix>}: a count of the
 * group's rows with that value (0 when none), a sum or quantile over them (null when none). The
 * rows of a group add up across its pivot columns; none is dropped.
 *
 * <p>The output schema ({@link #outputSchema}) is the bucket column (not nullable), then the group
 * fields as the input declares them (a list field as its nullable element type), then the
 * measures (measure by measure, each in its pivot columns' order): counts are INT64, sums and
 * quantiles a nullable DOUBLE. A sum is exact until it is rounded once to a double, so it does not
 * depend on the order of its rows either.
 *
 * <p>The rows, keyed by group, are combined in hash buckets of their group ({@link
 * #withHashBuckets}, {@link MeasureGroupsFn}): a runner that lifts combines (Flink does) adds each
 * row to its group's accumulator where it is read and shuffles the accumulators, not the rows.
 */
public final class AggregateRows extends PTransform<PCollection<Row>, PCollection<Row>> {
  /** The hash bucket count unless {@link #withHashBuckets} says otherwise. */
  public static final int DEFAULT_HASH_BUCKETS = 512;

  private final TimeBucket bucket;
  private final List<String> groupFields;
  private final List<Measure> measures;
  private final Pivot pivot;
  private final int hashBuckets;

  private AggregateRows(
      TimeBucket bucket,
      List<String> groupFields,
      List<Measure> measures,
      Pivot pivot,
      int hashBuckets) {
    this.bucket = bucket;
    this.groupFields = groupFields;
    this.measures = measures;
    this.pivot = pivot;
    this.hashBuckets = hashBuckets;
  }

  /**
   * Groups by {@code groupFields} only, computing {@code measures}.
   *
   * @throws IllegalArgumentException if there are no measures
   */
  public static AggregateRows of(List<String> groupFields, List<Measure> measures) {
    Objects.requireNonNull(groupFields, "groupFields");
    if (measures == null || measures.isEmpty()) {
      throw new IllegalArgumentException("measures must not be empty");
    }
    return new AggregateRows(
        null, List.copyOf(groupFields), List.copyOf(measures), null, DEFAULT_HASH_BUCKETS);
  }

  /** Also groups by {@code bucket}, which becomes the output's first column. */
  public AggregateRows withBucket(TimeBucket bucket) {
    return new AggregateRows(
        Objects.requireNonNull(bucket, "bucket"), groupFields, measures, pivot, hashBuckets);
  }

  /** Spreads every measure into one column per value of the pivot's field (see the class doc). */
  public AggregateRows withPivot(Pivot pivot) {
    return new AggregateRows(
        bucket, groupFields, measures, Objects.requireNonNull(pivot, "pivot"), hashBuckets);
  }

  /**
   * Shuffles the groups in {@code hashBuckets} hash buckets of their key (default {@value
   * #DEFAULT_HASH_BUCKETS}) rather than one by one; a bucket holds one accumulator per group it
   * has. Each bucket is one bundle downstream on the DirectRunner, whose grouping steps copy a
   * key's values on every bundle that adds to them, so a few buckets suit it; a distributed runner
   * spreads the buckets over its workers, so many suit it.
   */
  public AggregateRows withHashBuckets(int hashBuckets) {
    if (hashBuckets <= 0) {
      throw new IllegalArgumentException("hashBuckets must be > 0, but was " + hashBuckets);
    }
    return new AggregateRows(bucket, groupFields, measures, pivot, hashBuckets);
  }

  /** The pivot of the measures, or null when there is none. */
  public Pivot pivot() {
    return pivot;
  }

  /** The time bucket rows are grouped by, or null when there is none. */
  public TimeBucket bucket() {
    return bucket;
  }

  /**
   * The output schema for rows of {@code input}.
   *
   * @throws IllegalArgumentException if a field the aggregate reads is not in {@code input}, the
   *     bucket field is not a timestamp or a date, the pivot field is grouped by or not a string,
   *     whole number or boolean, or two output columns have the same name
   */
  public Schema outputSchema(Schema input) {
    Schema.Builder b = Schema.builder();
    Set<String> columns = new HashSet<>();
    if (bucket != null) {
      if (!input.hasField(bucket.field())
          || !TimeBucket.accepts(input.getField(bucket.field()).getType())) {
        throw new IllegalArgumentException("bucket field " + bucket.field()
            + " is not a timestamp or date field of the schema");
      }
      b.addField(unique(columns, bucket.column()), Schema.FieldType.logicalType(SqlTypes.DATE));
    }
    for (String f : groupFields) {
      if (!input.hasField(f)) {
        throw new IllegalArgumentException("group field " + f + " is not in the schema");
      }
    }
    Schema exploded = explodedSchema(input);
    for (String f : groupFields) {
      b.addField(exploded.getField(unique(columns, f)));
    }
    if (pivot != null) {
      checkPivot(input);
    }
    for (Measure m : measures) {
      if (m.field() != null && !input.hasField(m.field())) {
        throw new IllegalArgumentException(
            "measure " + m.name() + ": field " + m.field() + " is not in the schema");
      }
      for (String column : measureColumns(m)) {
        b.addField(
            m.kind() == Measure.Kind.COUNT
                ? Schema.Field.of(unique(columns, column), Schema.FieldType.INT64)
                : Schema.Field.nullable(unique(columns, column), Schema.FieldType.DOUBLE));
      }
    }
    return b.build();
  }

  private void checkPivot(Schema input) {
    String f = pivot.field();
    if (!input.hasField(f)) {
      throw new IllegalArgumentException("pivot field " + f + " is not in the schema");
    }
    if (groupFields.contains(f)) {
      throw new IllegalArgumentException("pivot field " + f + " is also a group field");
    }
    if (!Pivot.accepts(input.getField(f).getType())) {
      throw new IllegalArgumentException(
          "pivot field " + f + " is not a string, whole-number or boolean field");
    }
  }

  /** The output columns of measure {@code m}: its name, or one per pivot column. */
  private List<String> measureColumns(Measure m) {
    if (pivot == null) {
      return List.of(m.name());
    }
    List<String> columns = new ArrayList<>();
    for (String suffix : pivot.suffixes()) {
      columns.add(m.name() + "_" + suffix);
    }
    return columns;
  }

  /** The group fields of {@code input} that are lists (arrays or iterables). */
  private List<String> listFields(Schema input) {
    List<String> lists = new ArrayList<>();
    for (String f : groupFields) {
      if (input.getField(f).getType().getTypeName().isCollectionType()) {
        lists.add(f);
      }
    }
    return lists;
  }

  /**
   * The fields of {@code exploded} that the aggregation reads (the bucket's, the group fields, the
   * measures' and the pivot's), in its order: the rows are shuffled with these only.
   */
  private Schema readFields(Schema exploded) {
    Set<String> read = new HashSet<>(groupFields);
    if (bucket != null) {
      read.add(bucket.field());
    }
    for (Measure m : measures) {
      if (m.field() != null) {
        read.add(m.field());
      }
    }
    if (pivot != null) {
      read.add(pivot.field());
    }
    if (read.isEmpty()) {
      return exploded;
    }
    Schema.Builder b = Schema.builder();
    for (Schema.Field f : exploded.getFields()) {
      if (read.contains(f.getName())) {
        b.addField(f);
      }
    }
    return b.build();
  }

  /** {@code input} with each list group field replaced by its nullable element type. */
  private Schema explodedSchema(Schema input) {
    List<String> lists = listFields(input);
    if (lists.isEmpty()) {
      return input;
    }
    Schema.Builder b = Schema.builder();
    for (Schema.Field f : input.getFields()) {
      b.addField(
          lists.contains(f.getName())
              ? Schema.Field.nullable(
                  f.getName(), f.getType().getCollectionElementType().withNullable(false))
              : f);
    }
    return b.build();
  }

  /**
   * The same aggregation of rows of {@code input} held in memory ({@link RowsAggregator}), for a
   * step that holds every row of the groups it aggregates.
   *
   * @throws IllegalArgumentException as {@link #outputSchema} does
   */
  public RowsAggregator inMemory(Schema input) {
    Schema out = outputSchema(input);
    Schema read = readFields(explodedSchema(input));
    return new RowsAggregator(out, keyByGroup(input, read),
        new MeasureGroupsFn(read, measures, pivot),
        new ComputeMeasuresFn(out, bucket, groupFields, measures.size()));
  }

  private KeyByGroupFn keyByGroup(Schema input, Schema read) {
    return new KeyByGroupFn(bucket, groupFields, explodedSchema(input), listFields(input), read);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    Schema out = outputSchema(input.getSchema());
    Schema read = readFields(explodedSchema(input.getSchema()));
    int buckets = hashBuckets;
    return input
        .apply("KeyByGroup", ParDo.of(keyByGroup(input.getSchema(), read)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(read)))
        .apply(
            "BucketGroups",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.integers(),
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.rows())))
                .via((KV<String, Row> kv) -> KV.of(hashBucketOf(kv.getKey(), buckets), kv)))
        .setCoder(
            KvCoder.of(
                VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), RowCoder.of(read))))
        .apply("MeasureGroups", Combine.perKey(new MeasureGroupsFn(read, measures, pivot)))
        .apply(
            "ComputeMeasures",
            ParDo.of(new ComputeMeasuresFn(out, bucket, groupFields, measures.size())))
        .setRowSchema(out);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    if (bucket != null) {
      builder.add(DisplayData.item("bucket", bucket.toString()));
    }
    builder
        .add(DisplayData.item("groupBy", String.join(", ", groupFields)))
        .add(DisplayData.item("measures", measures.size()))
        .add(DisplayData.item("hashBuckets", hashBuckets));
    if (pivot != null) {
      builder.add(DisplayData.item("pivot", pivot.toString()));
    }
  }

  /**
   * The hash bucket of a group's key: groups are shuffled in buckets of groups rather than one by
   * one, because the DirectRunner hands every group downstream as its own bundle at a set-up cost
   * per bundle.
   */
  static int hashBucketOf(String groupKey, int hashBuckets) {
    return Math.floorMod(groupKey.hashCode(), hashBuckets);
  }

  private static String unique(Set<String> columns, String name) {
    if (!columns.add(name)) {
      throw new IllegalArgumentException("column " + name + " appears twice in the output");
    }
    return name;
  }
}
