package dev.intake.pipeline.steps;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SetCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * The distinct partition folders of the input ({@code month=2019-03}, …), each once; none for an
 * empty input. A dataset has few partitions (months, days), so they are gathered in one set and
 * leave as the elements of one list: one bundle on the DirectRunner, where a per-key distinct
 * makes a bundle of every partition and each bundle costs a set-up in every later step.
 */
public final class DistinctPartitions extends PTransform<PCollection<String>, PCollection<String>> {
  private DistinctPartitions() {}

  public static DistinctPartitions create() {
    return new DistinctPartitions();
  }

  @Override
  public PCollection<String> expand(PCollection<String> partitions) {
    return partitions
        .apply("AsOneSet", Combine.globally(new GatherFn()).withoutDefaults())
        .setCoder(ListCoder.of(StringUtf8Coder.of()))
        .apply("Each", Flatten.iterables())
        .setCoder(StringUtf8Coder.of());
  }

  /** The partitions seen so far, in order. */
  static final class GatherFn extends Combine.CombineFn<String, Set<String>, List<String>> {
    @Override
    public Set<String> createAccumulator() {
      return new TreeSet<>();
    }

    @Override
    public Set<String> addInput(Set<String> seen, String partition) {
      seen.add(partition);
      return seen;
    }

    @Override
    public Set<String> mergeAccumulators(Iterable<Set<String>> accumulators) {
      Set<String> merged = new TreeSet<>();
      accumulators.forEach(merged::addAll);
      return merged;
    }

    @Override
    public List<String> extractOutput(Set<String> seen) {
      return new ArrayList<>(seen);
    }

    @Override
    public Coder<Set<String>> getAccumulatorCoder(CoderRegistry registry, Coder<String> input) {
      return SetCoder.of(StringUtf8Coder.of());
    }
  }
}
