package dev.intake.transforms.aggregate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * Keys each row by its group, (bucket, group values…); a row whose bucket field has no value has
 * no bucket, so it is not aggregated. A list group field is exploded: the row is output once per
 * distinct element, as a row of {@code explodedSchema} whose list field holds that element (an
 * empty or null list: null); several list group fields give every combination of their elements.
 */
class KeyByGroupFn extends DoFn<Row, KV<String, Row>> {
  private final TimeBucket bucket;
  private final List<String> groupFields;
  private final Schema explodedSchema;
  private final List<String> listFields;
  private final Schema outputSchema;
  private final int[] kept;

  /**
   * {@code listFields}: the group fields that are lists, exploded into {@code explodedSchema};
   * each output row holds only the fields of {@code outputSchema}, a subset of {@code
   * explodedSchema}'s in its order (what the aggregation reads), so the shuffle carries no more.
   */
  KeyByGroupFn(
      TimeBucket bucket, List<String> groupFields, Schema explodedSchema, List<String> listFields,
      Schema outputSchema) {
    this.bucket = bucket;
    this.groupFields = groupFields;
    this.explodedSchema = explodedSchema;
    this.listFields = listFields;
    this.outputSchema = outputSchema;
    this.kept = new int[outputSchema.getFieldCount()];
    for (int i = 0; i < kept.length; i++) {
      kept[i] = explodedSchema.indexOf(outputSchema.getField(i).getName());
    }
  }

  @ProcessElement
  public void process(@Element Row row, OutputReceiver<KV<String, Row>> out) {
    keyed(row, (key, projected) -> out.output(KV.of(key, projected)));
  }

  /** Hands {@code row}'s group key and read fields to {@code out}, once per exploded row. */
  void keyed(Row row, BiConsumer<String, Row> out) {
    LocalDate day = bucket == null ? null : bucket.of(row);
    if (bucket != null && day == null) {
      return;
    }
    if (listFields.isEmpty()) {
      out.accept(keyOf(day, row, groupFields), project(row));
      return;
    }
    for (Row exploded : explode(row, explodedSchema, listFields)) {
      out.accept(keyOf(day, exploded, groupFields), project(exploded));
    }
  }

  private Row project(Row row) {
    if (kept.length == row.getFieldCount()) {
      return row;
    }
    List<Object> values = new ArrayList<>(kept.length);
    for (int i : kept) {
      values.add(row.getValue(i));
    }
    return Row.withSchema(outputSchema).attachValues(values);
  }

  /** One row of {@code schema} per combination of the distinct elements of the list fields. */
  static List<Row> explode(Row row, Schema schema, List<String> listFields) {
    List<List<Object>> combos = new ArrayList<>();
    combos.add(new ArrayList<>(row.getValues()));
    for (String f : listFields) {
      int index = schema.indexOf(f);
      Collection<Object> elements = row.getArray(f);
      List<Object> distinct = new ArrayList<>();
      if (elements == null || elements.isEmpty()) {
        distinct.add(null);
      } else {
        distinct.addAll(new LinkedHashSet<>(elements));
      }
      List<List<Object>> next = new ArrayList<>(combos.size() * distinct.size());
      for (List<Object> combo : combos) {
        for (Object e : distinct) {
          List<Object> values = new ArrayList<>(combo);
          values.set(index, e);
          next.add(values);
        }
      }
      combos = next;
    }
    List<Row> rows = new ArrayList<>(combos.size());
    for (List<Object> values : combos) {
      rows.add(Row.withSchema(schema).addValues(values).build());
    }
    return rows;
  }

  /**
   * The grouping key: each part as {@code =<length>:<text>}, or {@code ~} for null, so that
   * different groups never share a key whatever their values hold, and the key is a string (whose
   * coder is deterministic, unlike that of a row with a double field).
   */
  static String keyOf(LocalDate bucket, Row row, List<String> groupFields) {
    StringBuilder key = new StringBuilder();
    if (bucket != null) {
      append(key, bucket.toString());
    }
    for (String f : groupFields) {
      append(key, text(row.getValue(f)));
    }
    return key.toString();
  }

  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    // An array's toString is its identity, different in every JVM.
    return value instanceof byte[]
        ? Base64.getEncoder().encodeToString((byte[]) value)
        : value.toString();
  }

  private static void append(StringBuilder key, String part) {
    if (part == null) {
      key.append('~');
    } else {
      key.append('=').append(part.length()).append(':').append(part);
    }
  }
}
