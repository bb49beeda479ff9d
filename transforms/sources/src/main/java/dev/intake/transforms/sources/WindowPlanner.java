package dev.intake.transforms.sources;

import static dev.intake.transforms.model.Arguments.check;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans the windows of an API read from the data, not the calendar, so that the requests of a run
 * grow with its rows, not with the length of its range.
 *
 * <p>With a {@link WindowCounter}: counts the whole range, drops it if empty, keeps it as one
 * window if it holds at most {@code rowsPerWindow} records, else halves it and plans each half the
 * same way; a range not longer than {@code finestRange} is never split by counting (the read
 * splits it if it has more than {@code maxPagesPerWindow} pages). So a two-year gap with a few
 * hundred changes costs one count and one window, and a range of {@code n} rows about {@code 2n /
 * rowsPerWindow} counts. Without a counter: the range cut into consecutive {@code finestRange}
 * windows, each read by keyset paging and split only when too large.
 *
 * <p>Immutable; {@link #of} then {@code withX()}.
 */
public final class WindowPlanner {
  private final long rowsPerWindow;
  private final long finestRangeMillis;

  /** The windows planned and what planning cost. */
  public record Plan(List<TimeWindow> windows, int countRequests, long countedRows) {}

  private WindowPlanner(long rowsPerWindow, long finestRangeMillis) {
    this.rowsPerWindow = rowsPerWindow;
    this.finestRangeMillis = finestRangeMillis;
  }

  /** At most {@code rowsPerWindow} records per window; ranges of one day are not split further. */
  public static WindowPlanner of(long rowsPerWindow) {
    check(rowsPerWindow > 0, "rowsPerWindow must be > 0, but was %s", rowsPerWindow);
    return new WindowPlanner(rowsPerWindow, 86_400_000L);
  }

  /**
   * The shortest range counting splits down to, and the window length when the source cannot
   * count.
   */
  public WindowPlanner withFinestRange(java.time.Duration range) {
    check(range != null && range.toMillis() > 0, "finestRange must be > 0, but was %s", range);
    return new WindowPlanner(rowsPerWindow, range.toMillis());
  }

  /** The windows of {@code [from, to)}; {@code counter} null: the source cannot count. */
  public Plan plan(Instant from, Instant to, WindowCounter counter) throws IOException {
    List<TimeWindow> windows = new ArrayList<>();
    if (!from.isBefore(to)) {
      return new Plan(windows, 0, 0);
    }
    org.joda.time.Instant start = new org.joda.time.Instant(from.toEpochMilli());
    org.joda.time.Instant end = new org.joda.time.Instant(to.toEpochMilli());
    if (counter == null) {
      return new Plan(TimeWindow.split(start, end, finestRangeMillis), 0, 0);
    }
    long[] cost = {0, 0};
    split(TimeWindow.of(start, end), counter, windows, cost);
    return new Plan(windows, (int) cost[0], cost[1]);
  }

  private void split(TimeWindow range, WindowCounter counter, List<TimeWindow> out, long[] cost)
      throws IOException {
    long rows = counter.count(java.time.Instant.ofEpochMilli(range.getFrom().getMillis()),
        java.time.Instant.ofEpochMilli(range.getTo().getMillis()));
    cost[0]++;
    if (rows == 0) {
      return;
    }
    long length = range.getTo().getMillis() - range.getFrom().getMillis();
    if (rows <= rowsPerWindow || length <= finestRangeMillis || length < 2) {
      out.add(range);
      cost[1] += rows;
      return;
    }
    for (TimeWindow half : range.halves()) {
      split(half, counter, out, cost);
    }
  }
}
