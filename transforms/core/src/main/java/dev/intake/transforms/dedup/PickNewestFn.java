package dev.intake.transforms.dedup;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Deduplicates one hash bucket: outputs the newest version of each of its keys and sends every
 * other version to the superseded output. Holds the newest row of each key of the bucket.
 */
class PickNewestFn extends DoFn<KV<Integer, Iterable<Row>>, Row> {
  private static final Counter SUPERSEDED = Metrics.counter(DedupByKey.class, "superseded");

  private final List<String> keyFields;
  private final VersionOrder order;
  private final TupleTag<Row> superseded;

  PickNewestFn(List<String> keyFields, VersionOrder order, TupleTag<Row> superseded) {
    this.keyFields = keyFields;
    this.order = order;
    this.superseded = superseded;
  }

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<Row>> bucket, MultiOutputReceiver out) {
    Map<String, Row> newest = new HashMap<>();
    for (Row row : bucket.getValue()) {
      String key = DedupByKey.keyOf(row, keyFields);
      Row held = newest.putIfAbsent(key, row);
      if (held == null) {
        continue;
      }
      if (order.compare(row, held) > 0) {
        newest.put(key, row);
        out.get(superseded).output(held);
      } else {
        out.get(superseded).output(row);
      }
      SUPERSEDED.inc();
    }
    for (Row row : newest.values()) {
      out.get(DedupByKey.NEWEST).output(row);
    }
  }
}
