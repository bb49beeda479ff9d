package dev.intake.pipeline.steps;

import dev.intake.transforms.model.SourceRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Keeps each row's source record through validation and derivation, which output rows alone: the
 * record rides in an extra column ({@link #COLUMN}, a name no spec field can have) from {@link
 * #attach()} to {@link #detach()}. The joins after derivation need it for the original text of
 * the records they reject.
 */
final class CarrySource {
  /** The carrying column: a name a spec's field names ([A-Za-z0-9_]) can never be. */
  static final String COLUMN = "intake$source";

  private CarrySource() {}

  /** (record, row) → (record, row + the record as a column). */
  static Attach attach() {
    return new Attach();
  }

  /** row + the record as a column → (record, row). */
  static Detach detach() {
    return new Detach();
  }

  /** See {@link #attach()}. */
  static final class Attach
      extends PTransform<PCollection<KV<SourceRecord, Row>>, PCollection<KV<SourceRecord, Row>>> {
    @Override
    public PCollection<KV<SourceRecord, Row>> expand(PCollection<KV<SourceRecord, Row>> in) {
      @SuppressWarnings("unchecked")
      KvCoder<SourceRecord, Row> coder = (KvCoder<SourceRecord, Row>) in.getCoder();
      Schema schema = ((RowCoder) coder.getValueCoder()).getSchema();
      SchemaRegistry registry = in.getPipeline().getSchemaRegistry();
      Schema carrying = Schema.builder().addFields(schema.getFields())
          .addNullableField(COLUMN, Schema.FieldType.row(sourceSchema(registry))).build();
      return in.apply("Attach", ParDo.of(new AttachFn(carrying, toRow(registry))))
          .setCoder(KvCoder.of(coder.getKeyCoder(), RowCoder.of(carrying)));
    }
  }

  /** See {@link #detach()}. */
  static final class Detach
      extends PTransform<PCollection<Row>, PCollection<KV<SourceRecord, Row>>> {
    @Override
    public PCollection<KV<SourceRecord, Row>> expand(PCollection<Row> in) {
      SchemaRegistry registry = in.getPipeline().getSchemaRegistry();
      Schema.Builder b = Schema.builder();
      for (Schema.Field f : in.getSchema().getFields()) {
        if (!f.getName().equals(COLUMN)) {
          b.addField(f);
        }
      }
      Schema plain = b.build();
      return in.apply("Detach", ParDo.of(new DetachFn(plain, fromRow(registry))))
          .setCoder(KvCoder.of(
              dev.intake.transforms.model.Schemas.coder(in.getPipeline(), SourceRecord.class),
              RowCoder.of(plain)));
    }
  }

  private static Schema sourceSchema(SchemaRegistry registry) {
    try {
      return registry.getSchema(SourceRecord.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SerializableFunction<SourceRecord, Row> toRow(SchemaRegistry registry) {
    try {
      return registry.getToRowFunction(SourceRecord.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SerializableFunction<Row, SourceRecord> fromRow(SchemaRegistry registry) {
    try {
      return registry.getFromRowFunction(SourceRecord.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  static final class AttachFn extends DoFn<KV<SourceRecord, Row>, KV<SourceRecord, Row>> {
    private final Schema carrying;
    private final SerializableFunction<SourceRecord, Row> toRow;

    AttachFn(Schema carrying, SerializableFunction<SourceRecord, Row> toRow) {
      this.carrying = carrying;
      this.toRow = toRow;
    }

    @ProcessElement
    public void process(@Element KV<SourceRecord, Row> e,
        OutputReceiver<KV<SourceRecord, Row>> out) {
      List<Object> values = new ArrayList<>(e.getValue().getValues());
      values.add(toRow.apply(e.getKey()));
      out.output(KV.of(e.getKey(), Row.withSchema(carrying).addValues(values).build()));
    }
  }

  static final class DetachFn extends DoFn<Row, KV<SourceRecord, Row>> {
    private final Schema plain;
    private final SerializableFunction<Row, SourceRecord> fromRow;

    DetachFn(Schema plain, SerializableFunction<Row, SourceRecord> fromRow) {
      this.plain = plain;
      this.fromRow = fromRow;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<SourceRecord, Row>> out) {
      Row.Builder b = Row.withSchema(plain);
      for (Schema.Field f : plain.getFields()) {
        b.addValue(row.getValue(f.getName()));
      }
      out.output(KV.of(fromRow.apply(row.getRow(COLUMN)), b.build()));
    }
  }
}
