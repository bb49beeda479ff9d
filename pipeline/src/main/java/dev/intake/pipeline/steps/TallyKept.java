package dev.intake.pipeline.steps;

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
  private transient long written;
  private transient long carried;
  private transient long newestVersion;
  private transient long newestWatermark;

  /** {@code version}: null when it is not a time; {@code watermark}: null when there is none. */
  TallyKept(String version, String watermark) {
    this.version = version;
    this.watermark = watermark;
  }

  @StartBundle
  public void startBundle() {
    written = 0;
    carried = 0;
    newestVersion = Long.MIN_VALUE;
    newestWatermark = Long.MIN_VALUE;
  }

  @ProcessElement
  public void process(@Element Row row) {
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

  private static long millis(Row row, String field) {
    ReadableInstant t = row.getDateTime(field);
    return t == null ? Long.MIN_VALUE : t.getMillis();
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    emit(c, TallyKey.of(TallyKey.Kind.WRITTEN), written, written > 0);
    emit(c, TallyKey.of(TallyKey.Kind.CARRIED), carried, carried > 0);
    emit(c, TallyKey.of(TallyKey.Kind.NEWEST, "version"), newestVersion,
        newestVersion != Long.MIN_VALUE);
    emit(c, TallyKey.of(TallyKey.Kind.NEWEST, "watermark"), newestWatermark,
        newestWatermark != Long.MIN_VALUE);
  }

  private static void emit(FinishBundleContext c, TallyKey key, long value, boolean any) {
    if (any) {
      c.output(KV.of(key, value), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
    }
  }
}
