package dev.intake.transforms.derive;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Computes derived columns again on rows that already have them in their schema (clean rows read
 * back from the lake), so that a derived column added to a spec is back-filled in the partitions a
 * run rewrites. Every other value is kept; the schema is unchanged. One output row per input row.
 */
public final class RecomputeColumns extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final List<Derivation> derivations;

  private RecomputeColumns(List<Derivation> derivations) {
    this.derivations = derivations;
  }

  /** Recomputes {@code derivations}, whose columns the input schema must already hold. */
  public static RecomputeColumns of(List<Derivation> derivations) {
    return new RecomputeColumns(List.copyOf(derivations));
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    for (Derivation d : derivations) {
      if (!input.getSchema().hasField(d.name())) {
        throw new IllegalArgumentException("derived column " + d.name() + " is not in the schema");
      }
    }
    return input.apply("Recompute", ParDo.of(new RecomputeFn(derivations)))
        .setRowSchema(input.getSchema());
  }

  static final class RecomputeFn extends DoFn<Row, Row> {
    private final List<Derivation> derivations;

    private final Map<String, Integer> index;

    RecomputeFn(List<Derivation> derivations) {
      this.derivations = derivations;
      this.index = RowValues.indexOf(derivations);
    }

    // A recomputed column that reads another recomputed one sees the new value, not the stored.
    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      Row.FieldValueBuilder b = Row.fromRow(row);
      Object[] computed = RowValues.computeInOrder(derivations, index, row);
      for (int i = 0; i < computed.length; i++) {
        b = b.withFieldValue(derivations.get(i).name(), computed[i]);
      }
      out.output(b.build());
    }
  }
}
