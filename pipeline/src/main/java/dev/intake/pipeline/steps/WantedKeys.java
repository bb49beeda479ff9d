package dev.intake.pipeline.steps;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * A run's keys (texts of {@link ApplyTombstones#keyOf}) as a side input, looked up as a set that is
 * built once per DoFn instance: the side input is in the global window, so it never changes, and
 * rebuilding a large key set per bundle would cost more than the scan it serves.
 */
final class WantedKeys implements FindKeyPartitions.Wanted {
  private final PCollectionView<Iterable<String>> view;
  private transient Set<String> keys;

  WantedKeys(PCollectionView<Iterable<String>> view) {
    this.view = view;
  }

  @Override
  public PCollectionView<Iterable<String>> view() {
    return view;
  }

  /** Whether {@code key} is one of the keys, read from {@code c}'s side input the first time. */
  boolean contains(DoFn<?, ?>.ProcessContext c, String key) {
    return keys(c).contains(key);
  }

  /** The keys, read from {@code c}'s side input the first time. */
  @Override
  public Set<String> keys(DoFn<?, ?>.ProcessContext c) {
    if (keys == null) {
      Set<String> s = new HashSet<>();
      c.sideInput(view).forEach(s::add);
      keys = s;
    }
    return keys;
  }
}
