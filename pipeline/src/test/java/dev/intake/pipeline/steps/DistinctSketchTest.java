package dev.intake.pipeline.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

class DistinctSketchTest {
  @Test
  void countsExactlyUpToItsCapacityIgnoringRepeatsAndNulls() {
    DistinctSketch s = new DistinctSketch();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < DistinctSketch.CAPACITY; i++) {
        s.addValue("value-" + i);
      }
      s.addValue(null);
    }
    assertThat(s.estimate(), is((long) DistinctSketch.CAPACITY));
    assertThat(s.approximate(), is(false));
  }

  @Test
  void estimatesPastItsCapacityWithinFivePercent() {
    DistinctSketch s = new DistinctSketch();
    for (int i = 0; i < 200_000; i++) {
      s.addValue(i % 100_000);
    }
    assertThat(s.approximate(), is(true));
    assertThat((double) s.estimate(), closeTo(100_000, 5_000));
  }

  @Test
  void mergedHalvesGiveTheSameFigureAsOneSketchInAnyOrder() {
    DistinctSketch whole = new DistinctSketch();
    DistinctSketch evens = new DistinctSketch();
    DistinctSketch odds = new DistinctSketch();
    for (int i = 0; i < 30_000; i++) {
      whole.addValue("k" + i);
      (i % 2 == 0 ? evens : odds).addValue("k" + i);
    }
    DistinctSketch left = DistinctSketch.of(evens.hashes(), evens.full());
    left.merge(odds);
    DistinctSketch right = DistinctSketch.of(odds.hashes(), odds.full());
    right.merge(evens);
    assertThat(left.estimate(), is(whole.estimate()));
    assertThat(right.estimate(), is(whole.estimate()));
    assertThat(left.approximate(), is(true));
  }
}
