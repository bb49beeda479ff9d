package dev.intake.transforms.sources;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowPlannerTest {
  private static final Instant FROM = Instant.parse("2021-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2023-01-01T00:00:00Z");

  /** Counts the given record times; remembers each range it was asked. */
  private static final class Times implements WindowCounter {
    final List<Instant> times;
    final List<String> asked = new ArrayList<>();

    Times(Instant... times) {
      this.times = List.of(times);
    }

    @Override
    public long count(Instant from, Instant to) {
      asked.add(from + "/" + to);
      return times.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count();
    }

    @Override
    public void close() {}
  }

  @Test
  void aLongGapWithFewRowsIsOneCountAndOneWindow() throws Exception {
    Times counter = new Times(Instant.parse("2022-05-01T00:00:00Z"));
    WindowPlanner.Plan plan = WindowPlanner.of(1000).plan(FROM, TO, counter);
    assertThat(plan.windows().stream().map(TimeWindow::toString).toList(),
        contains("2021-01-01T00:00:00.000Z/2023-01-01T00:00:00.000Z"));
    assertThat(plan.countRequests(), is(1));
    assertThat(plan.countedRows(), is(1L));
  }

  @Test
  void anEmptyRangeHasNoWindow() throws Exception {
    WindowPlanner.Plan plan = WindowPlanner.of(10).plan(FROM, TO, new Times());
    assertThat(plan.windows(), empty());
    assertThat(plan.countRequests(), is(1));
  }

  @Test
  void halvesOnlyWhileARangeHoldsMoreThanTheTargetAndDropsEmptyHalves() throws Exception {
    Times counter = new Times(Instant.parse("2021-01-02T00:00:00Z"),
        Instant.parse("2021-01-03T00:00:00Z"), Instant.parse("2022-12-30T00:00:00Z"));
    WindowPlanner.Plan plan = WindowPlanner.of(2).plan(FROM, TO, counter);
    // whole (3) -> halves: [2021-01-01, 2022-01-01) holds 2 (kept), [2022-01-01, 2023) holds 1
    assertThat(plan.windows(), hasSize(2));
    assertThat(plan.countRequests(), is(3));
    assertThat(plan.countedRows(), is(3L));
    Times dense = new Times(Instant.parse("2021-01-02T00:00:00Z"),
        Instant.parse("2021-01-02T00:00:01Z"), Instant.parse("2021-01-02T00:00:02Z"));
    WindowPlanner.Plan floor = WindowPlanner.of(1).withFinestRange(Duration.ofDays(200))
        .plan(FROM, TO, dense);
    // halved while longer than 200 days: 730 -> 365 -> 182.5 (one window holding all three)
    assertThat(floor.windows(), hasSize(1));
    assertThat(floor.countedRows(), is(3L));
    assertThat(dense.asked, hasSize(5));
  }

  @Test
  void withoutACounterTheRangeIsCutIntoFinestRangeWindows() throws Exception {
    WindowPlanner.Plan plan = WindowPlanner.of(10).withFinestRange(Duration.ofDays(100))
        .plan(FROM, TO, null);
    assertThat(plan.windows(), hasSize(8));
    assertThat(plan.countRequests(), is(0));
  }
}
