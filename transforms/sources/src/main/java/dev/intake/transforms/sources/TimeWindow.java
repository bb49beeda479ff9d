package dev.intake.transforms.sources;

import com.google.auto.value.AutoValue;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.joda.time.Instant;

/** A time range {@code [from, to)} of the source's window field. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class TimeWindow implements java.io.Serializable {
  public abstract Instant getFrom();

  public abstract Instant getTo();

  public static TimeWindow of(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("a window must end after it starts: " + from + " / " + to);
    }
    return new AutoValue_TimeWindow(from, to);
  }

  /** {@code [from, to)} cut into consecutive windows of {@code lengthMillis}; the last may be shorter. */
  public static List<TimeWindow> split(Instant from, Instant to, long lengthMillis) {
    if (lengthMillis <= 0) {
      throw new IllegalArgumentException("window length must be > 0, but was " + lengthMillis);
    }
    List<TimeWindow> windows = new ArrayList<>();
    for (long start = from.getMillis(); start < to.getMillis(); start += lengthMillis) {
      windows.add(of(new Instant(start), new Instant(Math.min(to.getMillis(), start + lengthMillis))));
    }
    return windows;
  }

  /** The two halves of this window. */
  public List<TimeWindow> halves() {
    long mid = getFrom().getMillis() + (getTo().getMillis() - getFrom().getMillis()) / 2;
    if (mid == getFrom().getMillis()) {
      throw new IllegalStateException("window " + this + " cannot be split further");
    }
    return List.of(of(getFrom(), new Instant(mid)), of(new Instant(mid), getTo()));
  }

  /** "2021-07-01T00:00:00.000Z/2021-07-02T00:00:00.000Z". */
  @Override
  public String toString() {
    return getFrom() + "/" + getTo();
  }
}
