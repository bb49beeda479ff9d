package dev.intake.transforms.derive;

import dev.intake.transforms.model.RecordStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Adds calculated columns and applies PII handling: a hashed field's value becomes the hex
 * HMAC-SHA256 of its text under a key read on the worker from an environment variable (the key is
 * never part of the pipeline), a masked text field keeps its text with what its {@link TextMask}s
 * match replaced, a dropped field leaves the schema. One output row per input row.
 *
 * <p>Derivations are computed in order, each from the input's fields and the derived columns
 * before it; one that reads a hashed or dropped field is refused (it would carry the value the PII
 * handling removes). A derivation gives null where it cannot compute a value; none rejects a row.
 */
public final class DeriveColumns extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final List<Derivation> derivations;
  private final List<String> hashed;
  private final List<String> dropped;
  private final String hashKeyEnv;
  private final Map<String, List<TextMask>> masked;
  private final List<String> nulled;

  private DeriveColumns(List<Derivation> derivations, List<String> hashed, List<String> dropped,
      String hashKeyEnv, Map<String, List<TextMask>> masked, List<String> nulled) {
    this.derivations = derivations;
    this.hashed = hashed;
    this.dropped = dropped;
    this.hashKeyEnv = hashKeyEnv;
    this.masked = masked;
    this.nulled = nulled;
  }

  public static DeriveColumns of(List<Derivation> derivations) {
    return new DeriveColumns(
        List.copyOf(derivations), List.of(), List.of(), null, Map.of(), List.of());
  }

  /** Keeps these fields in the schema but always null (a retired field of an evolved spec). */
  public DeriveColumns withNulled(List<String> fields) {
    return new DeriveColumns(
        derivations, hashed, dropped, hashKeyEnv, masked, List.copyOf(fields));
  }

  /** Hashes these fields with the key in environment variable {@code keyEnv}. */
  public DeriveColumns withHashed(List<String> fields, String keyEnv) {
    if (!fields.isEmpty() && (keyEnv == null || keyEnv.isEmpty())) {
      throw new IllegalArgumentException("hashing needs the name of the key's environment variable");
    }
    return new DeriveColumns(derivations, List.copyOf(fields), dropped, keyEnv, masked, nulled);
  }

  /** Removes these fields. */
  public DeriveColumns withDropped(List<String> fields) {
    return new DeriveColumns(derivations, hashed, List.copyOf(fields), hashKeyEnv, masked, nulled);
  }

  /** Masks these text fields, each by its patterns in order (field name to its masks). */
  public DeriveColumns withMasked(Map<String, List<TextMask>> fields) {
    Map<String, List<TextMask>> copy = new LinkedHashMap<>();
    fields.forEach((f, masks) -> {
      if (masks.isEmpty()) {
        throw new IllegalArgumentException("masked field " + f + " needs at least one mask");
      }
      copy.put(f, List.copyOf(masks));
    });
    return new DeriveColumns(derivations, hashed, dropped, hashKeyEnv, copy, nulled);
  }

  /** The output schema for rows of {@code input}. */
  public Schema outputSchema(Schema input) {
    Schema.Builder b = Schema.builder();
    for (String f : hashed) {
      if (!input.hasField(f)) {
        throw new IllegalArgumentException("hashed field " + f + " is not in the schema");
      }
    }
    for (String f : dropped) {
      if (!input.hasField(f)) {
        throw new IllegalArgumentException("dropped field " + f + " is not in the schema");
      }
    }
    for (String f : masked.keySet()) {
      if (!input.hasField(f)
          || input.getField(f).getType().getTypeName() != Schema.TypeName.STRING) {
        throw new IllegalArgumentException("masked field " + f + " is not a text field");
      }
    }
    for (Schema.Field f : input.getFields()) {
      if (dropped.contains(f.getName())) {
        continue;
      }
      b.addField(
          hashed.contains(f.getName())
              ? Schema.Field.nullable(f.getName(), Schema.FieldType.STRING)
              : f);
    }
    Schema.Builder readable = Schema.builder().addFields(input.getFields());
    for (Derivation d : derivations) {
      for (String f : d.inputs()) {
        if (hashed.contains(f) || dropped.contains(f) || masked.containsKey(f)) {
          throw new IllegalArgumentException("derived column " + d.name() + " reads " + f
              + ", which is " + (hashed.contains(f) ? "hashed" : dropped.contains(f) ? "dropped"
              : "masked") + " (pii)");
        }
      }
      d.checkInput(readable.build());
      if (input.hasField(d.name()) || b.build().hasField(d.name())) {
        throw new IllegalArgumentException("derived column " + d.name() + " is named twice");
      }
      readable.addField(d.name(), d.type());
      b.addField(d.name(), d.type());
    }
    return b.build();
  }

  /** Deriving rows of {@code input} as a {@link RecordStep} (it rejects nothing). */
  public RecordStep<Row, Row> step(Schema input) {
    List<String> kept = new ArrayList<>();
    for (Schema.Field f : input.getFields()) {
      if (!dropped.contains(f.getName())) {
        kept.add(f.getName());
      }
    }
    return new DeriveRow(outputSchema(input), kept, hashed, hashKeyEnv, masked, derivations,
        nulled);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    return input
        .apply("Compute", ParDo.of(new DeriveColumnsFn(step(input.getSchema()))))
        .setRowSchema(outputSchema(input.getSchema()));
  }

  private static final class DeriveColumnsFn extends DoFn<Row, Row> {
    private final RecordStep<Row, Row> derive;

    DeriveColumnsFn(RecordStep<Row, Row> derive) {
      this.derive = derive;
    }

    @Setup
    public void setup() throws Exception {
      derive.setup();
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      out.output(derive.apply(row, null, d -> {
        throw new IllegalStateException("deriving rejects no row");
      }));
    }
  }
}
