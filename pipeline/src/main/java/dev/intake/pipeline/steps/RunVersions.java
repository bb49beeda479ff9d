package dev.intake.pipeline.steps;

import dev.intake.transforms.dedup.VersionOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The newest version of each key a run brings, as a side input of the run's (key text, version)
 * pairs, looked up as a map built once per DoFn instance (the side input is in the global window).
 * It tells which stored versions of the run's keys are older than the run's newest version of
 * their key ({@link #isOlder}): those lose to it in the dedup on their version alone ({@link
 * VersionOrder}), so their other columns are not needed to decide.
 */
final class RunVersions implements FindKeyPartitions.Wanted {
  private static final String KEY = "key";
  private static final String VERSION = "version";

  private final PCollectionView<Iterable<Row>> view;
  private final List<String> key;
  private final String version;
  private transient Map<String, Object> newest;

  private RunVersions(PCollectionView<Iterable<Row>> view, List<String> key, String version) {
    this.view = view;
    this.key = key;
    this.version = version;
  }

  /** The versions of {@code incoming}'s rows by {@code key}, newest by field {@code version}. */
  static RunVersions of(PCollection<Row> incoming, List<String> key, String version) {
    Schema pairs = Schema.builder()
        .addStringField(KEY)
        .addField(Schema.Field.of(VERSION, incoming.getSchema().getField(version).getType())
            .withNullable(true))
        .build();
    List<String> k = List.copyOf(key);
    PCollectionView<Iterable<Row>> view = incoming
        .apply("KeyVersions", MapElements.into(TypeDescriptors.rows())
            .via((Row r) -> Row.withSchema(pairs)
                .addValues(ApplyTombstones.keyOf(r, k), r.getValue(version)).build()))
        .setRowSchema(pairs)
        .apply("AsVersionSet", View.asIterable());
    return new RunVersions(view, k, version);
  }

  @Override
  public PCollectionView<Iterable<Row>> view() {
    return view;
  }

  /** The key fields. */
  List<String> key() {
    return key;
  }

  /** The run's keys, read from {@code c}'s side input the first time. */
  @Override
  public Set<String> keys(DoFn<?, ?>.ProcessContext c) {
    return newest(c).keySet();
  }

  /**
   * Whether {@code stored} (a row with the key fields and the version field) is of one of the run's
   * keys and older than the run's newest version of it.
   */
  boolean isOlder(DoFn<?, ?>.ProcessContext c, Row stored) {
    Map<String, Object> n = newest(c);
    String k = ApplyTombstones.keyOf(stored, key);
    return n.containsKey(k)
        && VersionOrder.compareVersions(stored.getValue(version), n.get(k)) < 0;
  }

  private Map<String, Object> newest(DoFn<?, ?>.ProcessContext c) {
    if (newest == null) {
      Map<String, Object> m = new HashMap<>();
      for (Row r : c.sideInput(view)) {
        String k = r.getString(KEY);
        Object v = r.getValue(VERSION);
        if (!m.containsKey(k) || VersionOrder.compareVersions(v, m.get(k)) > 0) {
          m.put(k, v);
        }
      }
      newest = m;
    }
    return newest;
  }
}
