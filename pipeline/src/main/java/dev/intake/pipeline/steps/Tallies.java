package dev.intake.pipeline.steps;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The run's counts as data: each stage maps its elements to {@code (name, amount)} pairs, which are
 * summed per name and written as one tab-separated file that the driver reads after the pipeline.
 * Counting with data rather than metrics gives the same exact figures on every runner; a name no
 * element contributed to is absent (read as 0).
 */
public final class Tallies {
  private Tallies() {}

  /** Maps each element to one {@code (name, amount)} pair. */
  public static <T> Each<T> each(SerializableFunction<T, KV<String, Long>> tally) {
    return new Each<>(tally);
  }

  /** Sums the pairs per name and writes them to {@code path} as "name\tamount" lines. */
  public static Write writeTo(String path) {
    return new Write(path);
  }

  /** See {@link #each}. */
  public static final class Each<T>
      extends PTransform<PCollection<T>, PCollection<KV<String, Long>>> {
    private final SerializableFunction<T, KV<String, Long>> tally;

    private Each(SerializableFunction<T, KV<String, Long>> tally) {
      this.tally = tally;
    }

    @Override
    public PCollection<KV<String, Long>> expand(PCollection<T> input) {
      return input
          .apply(
              "Tally",
              MapElements.into(
                      TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                  .via(tally))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
          .apply("SumPerName", Sum.longsPerKey());
    }
  }

  /** See {@link #writeTo}. */
  public static final class Write extends PTransform<PCollectionList<KV<String, Long>>, PDone> {
    private final String path;

    private Write(String path) {
      this.path = path;
    }

    @Override
    public PDone expand(PCollectionList<KV<String, Long>> input) {
      return input
          .apply("Together", Flatten.pCollections())
          .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
          .apply("SumPerName", Sum.longsPerKey())
          .apply(
              "Format",
              MapElements.into(TypeDescriptors.strings())
                  .via((KV<String, Long> kv) -> kv.getKey() + "\t" + kv.getValue()))
          .apply("WriteFile", TextIO.write().to(path).withoutSharding());
    }
  }
}
