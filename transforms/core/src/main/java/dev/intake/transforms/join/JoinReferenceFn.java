package dev.intake.transforms.join;

import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.SourceRecord;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/** Looks each row up in the reference's index and routes it: joined, kept miss or dead letter. */
class JoinReferenceFn extends DoFn<KV<SourceRecord, Row>, KV<SourceRecord, Row>> {
  static final String INDEX = "index";
  private static final Counter HITS = Metrics.counter(JoinReference.class, "hits");
  private static final Counter MISSES = Metrics.counter(JoinReference.class, "misses");

  private final ReferenceLookup lookup;
  private final JoinReference.OnMiss onMiss;
  private final Lineage lineage;
  private final TupleTag<KV<SourceRecord, Row>> joined;
  private final TupleTag<DeadLetter> rejected;
  private final TupleTag<String> missed;

  JoinReferenceFn(ReferenceLookup lookup, JoinReference.OnMiss onMiss, Lineage lineage,
      TupleTag<KV<SourceRecord, Row>> joined,
      TupleTag<DeadLetter> rejected, TupleTag<String> missed) {
    this.lookup = lookup;
    this.onMiss = onMiss;
    this.lineage = lineage;
    this.joined = joined;
    this.rejected = rejected;
    this.missed = missed;
  }

  @ProcessElement
  public void process(@Element KV<SourceRecord, Row> element,
      @SideInput(INDEX) Map<String, Row> reference, MultiOutputReceiver out) {
    Row row = element.getValue();
    String value = lookup.joinValue(row);
    Row match = value == null ? null : reference.get(value);
    if (value != null && match == null) {
      MISSES.inc();
      if (onMiss == JoinReference.OnMiss.REJECT) {
        out.get(rejected).output(DeadLetter.of(lineage, "reference",
            "reference:" + lookup.reference(), lookup.joinField() + " '" + value
                + "' is not in reference " + lookup.reference(), element.getKey()));
        return;
      }
      out.get(missed).output(value);
    } else if (match != null) {
      HITS.inc();
    }
    out.get(joined).output(KV.of(element.getKey(), lookup.joined(row, match)));
  }
}
