package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.intake.transforms.model.RunProgress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The progress line: totals, share done, rate and time left, with a clock the test moves. */
class ProgressReportTest {
  private static final String KEY = "progress-report-test/";
  private final AtomicLong nanos = new AtomicLong();

  @AfterEach
  void forget() {
    RunProgress.forget(KEY);
  }

  @Test
  void anApiReadShowsWindowsPagesRowsOfTheCountedTotalAndTheTimeLeft() {
    RunProgress p = RunProgress.of(KEY);
    ProgressReport r = ProgressReport.manual(p, new ProgressReport.Totals(true, 8, 4000, 0),
        nanos::get);
    for (int i = 0; i < 1000; i++) {
      p.recordRead(10);
    }
    p.pageDone();
    p.pageDone();
    p.windowDone();
    nanos.set(20_000_000_000L);
    assertThat(r.line(), is("progress: windows 1/8, pages 2, rows 1,000 of ~4,000 (25%), 50 rows/s,"
        + " ETA 1 min 00 s, 20 s elapsed"));
    for (int i = 0; i < 7; i++) {
      p.windowDone();
    }
    assertThat(r.line(), is("progress: windows 8/8, pages 2, rows 1,000 of ~4,000 (25%), 50 rows/s,"
        + " reading done, writing, 20 s elapsed"));
  }

  @Test
  void aFileReadShowsRowsAndBytesOfTheInput() {
    RunProgress p = RunProgress.of(KEY);
    ProgressReport r = ProgressReport.manual(p, new ProgressReport.Totals(false, 0, 0, 4_000_000),
        nanos::get);
    nanos.set(3_700_000_000_000L);
    for (int i = 0; i < 3; i++) {
      p.recordRead(1_000_000);
    }
    assertThat(r.line(), is("progress: rows 3, 3.0 MB of 4.0 MB (75%), 0 rows/s, ETA 20 min 33 s,"
        + " 1 h 01 min elapsed"));
  }

  @Test
  void aSourceThatCannotCountShowsWindowsAsTheShareDone() {
    RunProgress p = RunProgress.of(KEY);
    ProgressReport r = ProgressReport.manual(p, new ProgressReport.Totals(true, 4, 0, 0),
        nanos::get);
    p.windowDone();
    nanos.set(10_000_000_000L);
    assertThat(r.line(), is("progress: windows 1/4, pages 0, rows 0 (25%), 0 rows/s, ETA 30 s,"
        + " 10 s elapsed"));
  }
}
