package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.spec.SpecLoader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each gate kind firing and not firing, with fail and warn, on summaries with known figures; the
 * end-to-end runs are in {@link GatesRunsTest}.
 */
class QualityGatesTest {
  private static final long NOW = java.time.Instant.parse("2024-03-10T12:00:00Z").toEpochMilli();

  private static DatasetSpec spec(String gates) throws Exception {
    try (InputStream in = QualityGatesTest.class.getClassLoader()
        .getResourceAsStream("specs/sf311.yaml")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replaceFirst("(?m)^gates:[\\s\\S]*?(?=^\\S|\\z)", "");
      return SpecLoader.parse("sf311.yaml", text + "\ngates:\n" + gates);
    }
  }

  private static RunSummary summary() {
    RunSummary s = new RunSummary();
    s.read = 1000;
    s.written = 600;
    s.deletions = 30;
    s.watermark = "2024-03-09T12:00:00Z";
    RunSummary.ColumnProfile lat = new RunSummary.ColumnProfile();
    lat.name = "lat";
    lat.rows = 600;
    lat.nulls = 60;
    s.columns.add(lat);
    return s;
  }

  private static List<String> outcomes(RunSummary s) {
    return s.gates.stream().map(g -> g.name + " " + g.action + " " + g.breached + " " + g.figure)
        .toList();
  }

  @Test
  void eachKindFiresAboveItsBoundAndTheFirstFailingGateFailsTheRun() throws Exception {
    DatasetSpec spec = spec("""
          - {kind: nullShare, column: lat, max: 0.05, action: warn}
          - {name: deletions, kind: deletionShare, max: 0.02, action: fail}
          - {kind: freshness, maxAge: PT12H, action: fail}
          - {kind: rowCountDrop, maxDrop: 0.25, runs: 5, minRuns: 3, action: warn}
        """);
    RunSummary s = summary();
    String failure = QualityGates.check(s, spec.gates(), (count, runs) -> {
      assertThat(count + " " + runs, is("written 5"));
      return List.of(1000L, 900L, 700L, 1200L);
    }, NOW);
    assertThat(outcomes(s), contains("nullShare:lat warn true 0.1", "deletions fail true 0.03",
        "freshness fail true 86400.0", "rowCountDrop warn true 0.3684210526315789"));
    assertThat(failure, is("quality gate deletions failed: 30 deletions in 1000 records read"
        + " (3.0%), more than 2.0%; nothing was committed"));
    assertThat(s.gates.get(2).detail, is("the newest version written (2024-03-09T12:00:00Z) is"
        + " 1 d 0 h old, older than 12 h 0 min"));
    assertThat(s.gates.get(3).detail, is("written 600 is 36.8% below the median 950 of the last"
        + " 4 successful run(s), more than 25.0%"));
  }

  @Test
  void withinTheirBoundsNoGateFiresAndTooFewRunsAreNotChecked() throws Exception {
    DatasetSpec spec = spec("""
          - {kind: nullShare, column: lat, max: 0.1, action: fail}
          - {kind: deletionShare, max: 0.03, action: fail}
          - {kind: freshness, maxAge: P1D, action: fail}
          - {kind: rowCountDrop, maxDrop: 0.25, count: read, minRuns: 3, action: fail}
        """);
    RunSummary s = summary();
    String failure = QualityGates.check(s, spec.gates(), (count, runs) -> List.of(5000L, 10L),
        NOW);
    assertThat(failure, nullValue());
    assertThat(outcomes(s), contains("nullShare:lat fail false 0.1",
        "deletionShare fail false 0.03", "freshness fail false 86400.0",
        "rowCountDrop fail false null"));
    assertThat(s.gates.get(3).detail,
        is("2 earlier successful run(s), 3 needed: not checked (read 1000)"));
  }

  @Test
  void aRunAboveTheMedianHasNoDropAndARunWithoutVersionsIsNotCheckedForFreshness()
      throws Exception {
    DatasetSpec spec = spec("""
          - {kind: rowCountDrop, maxDrop: 0, minRuns: 1, action: fail}
          - {kind: freshness, maxAge: PT1S, action: fail}
        """);
    RunSummary s = summary();
    s.watermark = null;
    assertThat(QualityGates.check(s, spec.gates(), (c, r) -> List.of(100L), NOW), nullValue());
    assertThat(outcomes(s), contains("rowCountDrop fail false 0.0", "freshness fail false null"));
  }

  @Test
  void maxRejectedRatioIsListedAsAFailGate() {
    RunSummary s = summary();
    s.rejected = 80;
    RunSummary.GateResult g = QualityGates.rejected(s, 0.05);
    assertThat(g.kind + " " + g.action + " " + g.breached + " " + g.figure + " " + g.bound,
        is("rejectedShare fail true 0.08 0.05"));
    assertThat(g.detail, is("80 of 1000 records rejected (8.0%), more than --maxRejectedRatio=0.05"));
    s.rejected = 50;
    assertThat(QualityGates.rejected(s, 0.05).breached, is(false));
  }
}
