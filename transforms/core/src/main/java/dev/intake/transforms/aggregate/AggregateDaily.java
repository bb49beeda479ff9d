package dev.intake.transforms.aggregate;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.ReadableInstant;

/**
 * Aggregates rows per local day of a timestamp field and per values of the group fields: one output
 * row {@code (day, group fields…, measures…)} per group. The day is the calendar date in the given
 * zone; rows without a value in the day field are not aggregated (they have no day). Results do
 * not depend on input order.
 */
public final class AggregateDaily extends PTransform<PCollection<Row>, PCollection<Row>> {
  public static final String DAY = "day";

  private final String dayField;
  private final String zone;
  private final List<String> groupFields;
  private final List<Measure> measures;

  private AggregateDaily(String dayField, String zone, List<String> groupFields, List<Measure> m) {
    this.dayField = dayField;
    this.zone = zone;
    this.groupFields = groupFields;
    this.measures = m;
  }

  /** Groups by the date of {@code dayField} in {@code zone} and by {@code groupFields}. */
  public static AggregateDaily of(
      String dayField, String zone, List<String> groupFields, List<Measure> measures) {
    checkArgumentNotNull(dayField, "dayField must not be null");
    ZoneId.of(zone);
    if (measures == null || measures.isEmpty()) {
      throw new IllegalArgumentException("measures must not be empty");
    }
    return new AggregateDaily(dayField, zone, List.copyOf(groupFields), List.copyOf(measures));
  }

  /** The output schema for rows of {@code input}. */
  public Schema outputSchema(Schema input) {
    Schema.Builder b = Schema.builder().addField(DAY, Schema.FieldType.logicalType(SqlTypes.DATE));
    for (String f : groupFields) {
      if (!input.hasField(f)) {
        throw new IllegalArgumentException("group field " + f + " is not in the schema");
      }
      b.addField(input.getField(f));
    }
    for (Measure m : measures) {
      if (m.field() != null && !input.hasField(m.field())) {
        throw new IllegalArgumentException(
            "measure " + m.name() + ": field " + m.field() + " is not in the schema");
      }
      b.addField(
          m.kind() == Measure.Kind.COUNT
              ? Schema.Field.of(m.name(), Schema.FieldType.INT64)
              : Schema.Field.nullable(m.name(), Schema.FieldType.DOUBLE));
    }
    return b.build();
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    Schema out = outputSchema(input.getSchema());
    String day = dayField;
    String z = zone;
    List<String> groups = groupFields;
    return input
        .apply(
            "KeyByDayAndGroup",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.rows()))
                .via((Row r) -> KV.of(groupKey(r, day, z, groups), r)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(input.getSchema())))
        .apply(
            "DropRowsWithoutDay",
            org.apache.beam.sdk.transforms.Filter.by(kv -> !kv.getKey().isEmpty()))
        .apply("GroupRows", GroupByKey.create())
        .apply("ComputeMeasures", ParDo.of(new ComputeMeasuresFn(out, groups, measures)))
        .setRowSchema(out);
  }

  /** "yyyy-MM-dd\u0001v1\u0001v2…", or "" when the row has no day. */
  static String groupKey(Row row, String dayField, String zone, List<String> groupFields) {
    ReadableInstant t = row.getDateTime(dayField);
    if (t == null) {
      return "";
    }
    StringBuilder sb =
        new StringBuilder(
            LocalDate.ofInstant(Instant.ofEpochMilli(t.getMillis()), ZoneId.of(zone)).toString());
    for (String f : groupFields) {
      Object v = row.getValue(f);
      sb.append('\u0001').append(v == null ? "\u0000" : v.toString());
    }
    return sb.toString();
  }

  static LocalDate dayOf(String groupKey) {
    return LocalDate.parse(groupKey.substring(0, 10));
  }
}
