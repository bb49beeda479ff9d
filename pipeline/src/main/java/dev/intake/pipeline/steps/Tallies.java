package dev.intake.pipeline.steps;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Max;
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
 * element contributed to is absent (read as 0). Names made by {@link #max} keep their largest value.
 */
public final class Tallies {
  private Tallies() {}

  /** Maps each element to one {@code (name, amount)} pair; amounts of a name are summed. */
  public static <T> Each<T> each(SerializableFunction<T, KV<String, Long>> tally) {
    return new Each<>(tally, false);
  }

  /**
   * Maps each element to one {@code (name, value)} pair; the largest value of a name is kept. The
   * name is prefixed with {@value #MAX_PREFIX}.
   */
  public static <T> Each<T> max(SerializableFunction<T, KV<String, Long>> tally) {
    return new Each<>(tally, true);
  }

  public static final String MAX_PREFIX = "max\t";

  /** Sums the pairs per name and writes them to {@code path} as "name\tamount" lines. */
  public static Write writeTo(String path) {
    return new Write(path);
  }

  /** See {@link #each}. */
  public static final class Each<T>
      extends PTransform<PCollection<T>, PCollection<KV<String, Long>>> {
    private final SerializableFunction<T, KV<String, Long>> tally;
    private final boolean max;

    private Each(SerializableFunction<T, KV<String, Long>> tally, boolean max) {
      this.tally = tally;
      this.max = max;
    }

    @Override
    public PCollection<KV<String, Long>> expand(PCollection<T> input) {
      SerializableFunction<T, KV<String, Long>> f = tally;
      PCollection<KV<String, Long>> pairs =
          input
              .apply(
                  "Tally",
                  MapElements.into(
                          TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                      .via(
                          (T e) -> {
                            KV<String, Long> kv = f.apply(e);
                            return max ? KV.of(MAX_PREFIX + kv.getKey(), kv.getValue()) : kv;
                          }))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
      return max
          ? pairs.apply("MaxPerName", Max.longsPerKey())
          : pairs.apply("SumPerName", Sum.longsPerKey());
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
      PCollection<KV<String, Long>> all =
          input
              .apply("Together", Flatten.pCollections())
              .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
      PCollection<KV<String, Long>> sums =
          all.apply("Sums", Filter.by((KV<String, Long> kv) -> !kv.getKey().startsWith(MAX_PREFIX)))
              .apply("SumPerName", Sum.longsPerKey());
      PCollection<KV<String, Long>> maxima =
          all.apply("Maxima", Filter.by((KV<String, Long> kv) -> kv.getKey().startsWith(MAX_PREFIX)))
              .apply("MaxPerName", Max.longsPerKey());
      return PCollectionList.of(sums)
          .and(maxima)
          .apply("SumsAndMaxima", Flatten.pCollections())
          .apply(
              "Format",
              MapElements.into(TypeDescriptors.strings())
                  .via((KV<String, Long> kv) -> kv.getKey() + "\t" + kv.getValue()))
          .apply("WriteFile", TextIO.write().to(path).withoutSharding());
    }
  }
}
