package dev.intake.pipeline.steps;

import java.util.function.BiConsumer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * Counts, in one pass over the rows a merge keeps, the incoming rows written and the stored rows
 * carried over (by their {@link MarkOrigin} mark), and the newest value of the version field (when
 * it is a time) and of the watermark field (when there is one); one tally per bundle and count.
 * One consumer of the kept rows instead of three: on Flink's batch translation every extra
 * consumer of a collection serializes each of its rows once more.
 */
final class TallyKept extends DoFn<Row, KV<TallyKey, Long>> {
  private final String version;
  private final String watermark;
  private transient Counts counts;

  /** {@code version}: null when it is not a time; {@code watermark}: null when there is none. */
  TallyKept(String version, String watermark) {
    this.version = version;
    this.watermark = watermark;
  }

  @StartBundle
  public void startBundle() {
    counts = new Counts(version, watermark);
  }

  @ProcessElement
  public void process(@Element Row row) {
    counts.add(row);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    counts.emit((key, value) ->
        c.output(KV.of(key, value), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE));
  }

  /** The tallies of some kept rows (a bundle's, a partition's), emitted once they are all added. */
  static final class Counts {
    private final String version;
    private final String watermark;
    private long written;
    private long carried;
    private long newestVersion = Long.MIN_VALUE;
    private long newestWatermark = Long.MIN_VALUE;

    /** As {@link TallyKept#TallyKept}. */
    Counts(String version, String watermark) {
      this.version = version;
      this.watermark = watermark;
    }

    void add(Row row) {
      if (MarkOrigin.isIncoming(row)) {
        written++;
      } else {
        carried++;
      }
      if (version != null) {
        newestVersion = Math.max(newestVersion, millis(row, version));
      }
      if (watermark != null) {
        newestWatermark = Math.max(newestWatermark, millis(row, watermark));
      }
    }

    /** Hands each tally there is (a count above 0, a newest value seen) to {@code out}. */
    void emit(BiConsumer<TallyKey, Long> out) {
      emit(out, TallyKey.of(TallyKey.Kind.WRITTEN), written, written > 0);
      emit(out, TallyKey.of(TallyKey.Kind.CARRIED), carried, carried > 0);
      emit(out, TallyKey.of(TallyKey.Kind.NEWEST, "version"), newestVersion,
          newestVersion != Long.MIN_VALUE);
      emit(out, TallyKey.of(TallyKey.Kind.NEWEST, "watermark"), newestWatermark,
          newestWatermark != Long.MIN_VALUE);
    }

    private static long millis(Row row, String field) {
      ReadableInstant t = row.getDateTime(field);
      return t == null ? Long.MIN_VALUE : t.getMillis();
    }

    private static void emit(BiConsumer<TallyKey, Long> out, TallyKey key, long value,
        boolean any) {
      if (any) {
        out.accept(key, value);
      }
    }
  }
}
