package dev.intake.pipeline.steps;

import dev.intake.transforms.sinks.lake.StoredRowFilter;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;

/**
 * Keeps the stored rows whose key is one of a run's keys ({@link #ofRunKeys}: the versions the
 * run's rows are deduplicated against), or those whose key is not ({@link #otherThanRunKeys}: the
 * rows a rewritten partition carries over as they are). The keys are a side input, texts of
 * {@link ApplyTombstones#keyOf}.
 */
final class RunKeyFilter implements StoredRowFilter {
  private final WantedKeys keys;
  private final List<String> key;
  private final boolean matching;

  private RunKeyFilter(PCollectionView<Iterable<String>> keys, List<String> key,
      boolean matching) {
    this.keys = new WantedKeys(keys);
    this.key = List.copyOf(key);
    this.matching = matching;
  }

  static RunKeyFilter ofRunKeys(PCollectionView<Iterable<String>> keys, List<String> key) {
    return new RunKeyFilter(keys, key, true);
  }

  static RunKeyFilter otherThanRunKeys(PCollectionView<Iterable<String>> keys, List<String> key) {
    return new RunKeyFilter(keys, key, false);
  }

  @Override
  public List<PCollectionView<?>> sideInputs() {
    return List.of(keys.view());
  }

  @Override
  public boolean keep(DoFn<?, ?>.ProcessContext c, Row row) {
    return keys.contains(c, ApplyTombstones.keyOf(row, key)) == matching;
  }
}
