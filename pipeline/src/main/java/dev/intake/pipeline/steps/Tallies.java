package dev.intake.pipeline.steps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.transforms.model.Schemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The run's counts as data: each stage maps its elements to {@code (TallyKey, amount)} pairs,
 * combined per key (summed; {@link TallyKey.Kind#NEWEST} keeps the largest) and written as one
 * JSON-lines file that the driver reads after the pipeline ({@code RunTally}). Counting with data
 * rather than metrics gives the same exact figures on every runner; a key no element contributed
 * to is absent (read as 0).
 */
public final class Tallies {
  private Tallies() {}

  /** One {@code (key, 1)} pair per element; summed. */
  public static <T> Each<T> count(SerializableFunction<T, TallyKey> key) {
    return new Each<>(e -> KV.of(key.apply(e), 1L), false);
  }

  /** One {@code (key, amount)} pair per element; summed. */
  public static <T> Each<T> sum(SerializableFunction<T, KV<TallyKey, Long>> tally) {
    return new Each<>(tally, false);
  }

  /** One {@code (key, value)} pair per element, of NEWEST keys: the largest value is kept. */
  public static <T> Each<T> newest(SerializableFunction<T, KV<TallyKey, Long>> tally) {
    return new Each<>(tally, true);
  }

  /** Combines the pairs per key and writes them to {@code path} as JSON lines. */
  public static Write writeTo(String path) {
    return new Write(path);
  }

  static KvCoder<TallyKey, Long> coder(org.apache.beam.sdk.Pipeline p) {
    return KvCoder.of(Schemas.coder(p, TallyKey.class), VarLongCoder.of());
  }

  /** See {@link #count}, {@link #sum} and {@link #newest}. */
  public static final class Each<T>
      extends PTransform<PCollection<T>, PCollection<KV<TallyKey, Long>>> {
    private final SerializableFunction<T, KV<TallyKey, Long>> tally;
    private final boolean newest;

    private Each(SerializableFunction<T, KV<TallyKey, Long>> tally, boolean newest) {
      this.tally = tally;
      this.newest = newest;
    }

    @Override
    public PCollection<KV<TallyKey, Long>> expand(PCollection<T> input) {
      KvCoder<TallyKey, Long> coder = coder(input.getPipeline());
      return input
          .apply(
              "Tally",
              MapElements.into(
                      TypeDescriptors.kvs(
                          TypeDescriptor.of(TallyKey.class), TypeDescriptors.longs()))
                  .via(tally))
          .setCoder(coder)
          .apply(newest ? "MaxPerKey" : "SumPerKey", new CombinePerKey(coder));
    }
  }

  /**
   * Sums the amounts of each key, except NEWEST keys, whose largest amount is kept. Every key is
   * combined in one accumulator and the results leave as one list, not one element per key: the
   * DirectRunner makes a bundle of each key a per-key combine outputs, and each bundle costs a
   * set-up in every later step (a run counts its rows per day: thousands of keys).
   */
  static final class CombinePerKey
      extends PTransform<PCollection<KV<TallyKey, Long>>, PCollection<KV<TallyKey, Long>>> {
    private final KvCoder<TallyKey, Long> coder;

    CombinePerKey(KvCoder<TallyKey, Long> coder) {
      this.coder = coder;
    }

    @Override
    public PCollection<KV<TallyKey, Long>> expand(PCollection<KV<TallyKey, Long>> input) {
      return input
          .apply("Combine",
              Combine.globally(new CombineTalliesFn(coder.getKeyCoder())).withoutDefaults())
          .setCoder(ListCoder.of(coder))
          .apply("Each", Flatten.iterables())
          .setCoder(coder);
    }
  }

  /** See {@link CombinePerKey}: the tallies so far by key. */
  static final class CombineTalliesFn
      extends Combine.CombineFn<KV<TallyKey, Long>, Map<TallyKey, Long>, List<KV<TallyKey, Long>>> {
    private final Coder<TallyKey> keyCoder;

    CombineTalliesFn(Coder<TallyKey> keyCoder) {
      this.keyCoder = keyCoder;
    }

    @Override
    public Map<TallyKey, Long> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<TallyKey, Long> addInput(Map<TallyKey, Long> tallies, KV<TallyKey, Long> tally) {
      add(tallies, tally.getKey(), tally.getValue());
      return tallies;
    }

    @Override
    public Map<TallyKey, Long> mergeAccumulators(Iterable<Map<TallyKey, Long>> accumulators) {
      Map<TallyKey, Long> merged = new HashMap<>();
      for (Map<TallyKey, Long> a : accumulators) {
        a.forEach((key, amount) -> add(merged, key, amount));
      }
      return merged;
    }

    @Override
    public List<KV<TallyKey, Long>> extractOutput(Map<TallyKey, Long> tallies) {
      List<KV<TallyKey, Long>> out = new ArrayList<>(tallies.size());
      tallies.forEach((key, amount) -> out.add(KV.of(key, amount)));
      return out;
    }

    @Override
    public Coder<Map<TallyKey, Long>> getAccumulatorCoder(
        CoderRegistry registry, Coder<KV<TallyKey, Long>> inputCoder) {
      return MapCoder.of(keyCoder, VarLongCoder.of());
    }

    private static void add(Map<TallyKey, Long> tallies, TallyKey key, long amount) {
      tallies.merge(key, amount, key.kind() == TallyKey.Kind.NEWEST ? Math::max : Long::sum);
    }
  }

  /** See {@link #writeTo}. */
  public static final class Write extends PTransform<PCollectionList<KV<TallyKey, Long>>, PDone> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String path;

    private Write(String path) {
      this.path = path;
    }

    @Override
    public PDone expand(PCollectionList<KV<TallyKey, Long>> input) {
      return input
          .apply("Together", Flatten.pCollections())
          .setCoder(coder(input.getPipeline()))
          .apply("CombinePerKey", new CombinePerKey(coder(input.getPipeline())))
          .apply("AsJson", MapElements.into(TypeDescriptors.strings()).via(Write::json))
          .apply("WriteFile", TextIO.write().to(path).withoutSharding());
    }

    static String json(KV<TallyKey, Long> kv) {
      TallyKey k = kv.getKey();
      ObjectNode n = JSON.createObjectNode();
      n.put("kind", k.getKind());
      n.put("output", k.getOutput());
      n.put("stage", k.getStage());
      n.put("reason", k.getReason());
      n.put("partition", k.getPartition());
      n.put("amount", kv.getValue());
      return n.toString();
    }
  }
}
