package dev.intake.pipeline.steps;

import dev.intake.transforms.sinks.lake.StoredRowFilter;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;

/**
 * Keeps the stored rows whose key is not one of a run's keys ({@link #otherThanRunKeys}): the rows
 * a rewritten partition carries over as they are. The keys come from a side input ({@link
 * FindKeyPartitions.Wanted}), texts of {@link ApplyTombstones#keyOf}.
 */
final class RunKeyFilter implements StoredRowFilter {
  private final FindKeyPartitions.Wanted keys;
  private final List<String> key;

  private RunKeyFilter(FindKeyPartitions.Wanted keys, List<String> key) {
    this.keys = keys;
    this.key = List.copyOf(key);
  }

  static RunKeyFilter otherThanRunKeys(FindKeyPartitions.Wanted keys, List<String> key) {
    return new RunKeyFilter(keys, key);
  }

  @Override
  public List<PCollectionView<?>> sideInputs() {
    return List.of(keys.view());
  }

  @Override
  public boolean keep(DoFn<?, ?>.ProcessContext c, Row row) {
    return !keys.keys(c).contains(ApplyTombstones.keyOf(row, key));
  }
}
