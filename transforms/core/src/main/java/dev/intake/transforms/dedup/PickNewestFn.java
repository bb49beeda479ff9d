package dev.intake.transforms.dedup;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/** Outputs the newest version of a key and sends every other version to the superseded output. */
class PickNewestFn extends DoFn<KV<String, Iterable<Row>>, Row> {
  private static final Counter SUPERSEDED = Metrics.counter(DedupByKey.class, "superseded");

  private final VersionOrder order;
  private final TupleTag<Row> superseded;

  PickNewestFn(VersionOrder order, TupleTag<Row> superseded) {
    this.order = order;
    this.superseded = superseded;
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<Row>> versions, MultiOutputReceiver out) {
    Row newest = null;
    for (Row row : versions.getValue()) {
      if (newest == null) {
        newest = row;
      } else if (order.compare(row, newest) > 0) {
        out.get(superseded).output(newest);
        SUPERSEDED.inc();
        newest = row;
      } else {
        out.get(superseded).output(row);
        SUPERSEDED.inc();
      }
    }
    out.get(DedupByKey.NEWEST).output(newest);
  }
}
