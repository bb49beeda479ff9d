package dev.intake.pipeline.steps;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Adds the field {@value #FIELD}: true for rows this run brings, false for rows already in the
 * lake. As the last field it also breaks a tie between an incoming row and an identical stored one
 * in favour of the incoming row (see {@code DedupByKey}); {@link #strip} removes it again.
 */
public final class MarkOrigin extends PTransform<PCollection<Row>, PCollection<Row>> {
  public static final String FIELD = "_incoming";

  private final boolean incoming;
  private final String countField;

  private MarkOrigin(boolean incoming, String countField) {
    this.incoming = incoming;
    this.countField = countField;
  }

  public static MarkOrigin incoming() {
    return new MarkOrigin(true, null);
  }

  /**
   * Marks rows this run brings and adds, after the mark, a nullable INT64 field {@code countField}
   * left null: for a dedup that counts superseded versions on the newest rows ({@code
   * DedupByKey#countingSupersededIn}).
   */
  public static MarkOrigin incomingWithCount(String countField) {
    return new MarkOrigin(true, countField);
  }

  public static MarkOrigin stored() {
    return new MarkOrigin(false, null);
  }

  public static Schema markedSchema(Schema schema) {
    return Schema.builder()
        .addFields(schema.getFields())
        .addField(FIELD, Schema.FieldType.BOOLEAN)
        .build();
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    Schema marked = markedSchema(input.getSchema());
    if (countField != null) {
      marked = Schema.builder().addFields(marked.getFields())
          .addNullableField(countField, Schema.FieldType.INT64).build();
    }
    Schema schema = marked;
    boolean flag = incoming;
    return input
        .apply(
            "AddOrigin",
            MapElements.into(TypeDescriptors.rows())
                .via((Row r) -> withOrigin(schema, r, flag)))
        .setRowSchema(schema);
  }

  // A row's values are already of its schema's Java types: attaching them skips Row.Builder's
  // per-field type resolution, a hot spot of the full load.
  // Fields of {@code marked} after the mark (a count field) are left null.
  static Row withOrigin(Schema marked, Row r, boolean flag) {
    List<Object> values = new ArrayList<>(marked.getFieldCount());
    values.addAll(r.getValues());
    values.add(flag);
    while (values.size() < marked.getFieldCount()) {
      values.add(null);
    }
    return Row.withSchema(marked).attachValues(values);
  }

  /** Removes the origin field. */
  public static StripOrigin strip(Schema clean) {
    return new StripOrigin(clean);
  }

  public static boolean isIncoming(Row row) {
    return Boolean.TRUE.equals(row.getBoolean(FIELD));
  }

  /** Removes the origin field, leaving rows of the clean schema. */
  public static final class StripOrigin extends PTransform<PCollection<Row>, PCollection<Row>> {
    private final Schema clean;

    private StripOrigin(Schema clean) {
      this.clean = clean;
    }

    @Override
    public PCollection<Row> expand(PCollection<Row> input) {
      Schema s = clean;
      return input
          .apply(
              "DropOrigin",
              MapElements.into(TypeDescriptors.rows())
                  .via(
                      (Row r) ->
                          Row.withSchema(s)
                              .attachValues(new ArrayList<>(
                                  r.getValues().subList(0, s.getFieldCount())))))
          .setRowSchema(clean);
    }
  }
}
