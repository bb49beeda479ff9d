package dev.intake.transforms.dedup;

import java.util.ArrayList;
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
 * other version to the superseded output, or, {@link #counting}, sets on each newest row how many
 * versions it superseded. Holds the newest row of each key of the bucket.
 */
class PickNewestFn extends DoFn<KV<Integer, Iterable<Row>>, Row> {
  private static final Counter SUPERSEDED = Metrics.counter(DedupByKey.class, "superseded");

  private final List<String> keyFields;
  private final VersionOrder order;
  private final TupleTag<Row> superseded;
  private final int countField;

  private PickNewestFn(List<String> keyFields, VersionOrder order, TupleTag<Row> superseded,
      int countField) {
    this.keyFields = keyFields;
    this.order = order;
    this.superseded = superseded;
    this.countField = countField;
  }

  /** Sends every superseded version to {@code superseded}. */
  static PickNewestFn outputting(List<String> keyFields, VersionOrder order,
      TupleTag<Row> superseded) {
    return new PickNewestFn(keyFields, order, superseded, -1);
  }

  /**
   * Sets field {@code countField} (a nullable INT64) of each newest row that superseded a version
   * to how many it superseded; outputs nothing else.
   */
  static PickNewestFn counting(List<String> keyFields, VersionOrder order, int countField) {
    return new PickNewestFn(keyFields, order, null, countField);
  }

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<Row>> bucket, ProcessContext c) {
    Map<String, Row> newest = new HashMap<>();
    // The counts are kept apart from the rows until they are output: the order compares whole rows.
    Map<String, Long> counts = countField < 0 ? null : new HashMap<>();
    for (Row row : bucket.getValue()) {
      String key = DedupByKey.keyOf(row, keyFields);
      Row held = newest.putIfAbsent(key, row);
      if (held == null) {
        continue;
      }
      Row loser = row;
      if (order.compare(row, held) > 0) {
        newest.put(key, row);
        loser = held;
      }
      if (counts == null) {
        c.output(superseded, loser);
      } else {
        counts.merge(key, 1L, Long::sum);
      }
      SUPERSEDED.inc();
    }
    for (Map.Entry<String, Row> e : newest.entrySet()) {
      Long count = counts == null ? null : counts.get(e.getKey());
      c.output(count == null ? e.getValue() : withCount(e.getValue(), count));
    }
  }

  private Row withCount(Row row, long count) {
    List<Object> values = new ArrayList<>(row.getValues());
    values.set(countField, count);
    return Row.withSchema(row.getSchema()).attachValues(values);
  }
}
