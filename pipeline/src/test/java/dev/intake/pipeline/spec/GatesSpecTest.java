package dev.intake.pipeline.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatesSpecTest {
  private static final String SPEC =
      String.join(
          "\n",
          "name: t",
          "zone: America/Los_Angeles",
          "key: [id]",
          "version: updated",
          "fields:",
          "  - {name: id, type: long, required: true}",
          "  - {name: opened, type: timestamp}",
          "  - {name: updated, type: timestamp, required: true}",
          "formats:",
          "  csv1:",
          "    kind: csv",
          "    timestampPatterns: ['MM/dd/yyyy hh:mm:ss a']",
          "    columns: {ID: id}",
          "fullLoad: {csv: csv1}",
          "partition: {field: opened, granularity: month, name: opened_month}",
          "gates:",
          "");

  private static List<String> described(DatasetSpec spec) {
    return spec.gates().stream().map(g -> g.name() + " " + g.kind().specName + " " + g.column()
        + " " + g.bound() + " " + g.action().specName() + " " + g.count() + " " + g.runs() + " "
        + g.minRuns()).toList();
  }

  @Test
  void everyKindWithItsDefaults() {
    DatasetSpec spec = SpecLoader.parse("t.yaml", SPEC + String.join("\n",
        "  - {kind: nullShare, column: opened, max: 0.2, action: warn}",
        "  - {name: drop, kind: rowCountDrop, maxDrop: 0.5, action: fail}",
        "  - {kind: rowCountDrop, maxDrop: 0.3, count: read, runs: 4, minRuns: 2, action: warn}",
        "  - {kind: freshness, maxAge: PT6H, action: fail}",
        "  - {kind: deletionShare, max: 0.05, action: warn}", ""));
    assertThat(described(spec), contains(
        "nullShare:opened nullShare opened 0.2 warn null 0 0",
        "drop rowCountDrop null 0.5 fail written 7 3",
        "rowCountDrop rowCountDrop null 0.3 warn read 4 2",
        "freshness freshness null 21600.0 fail null 0 0",
        "deletionShare deletionShare null 0.05 warn null 0 0"));
    assertThat(SpecLoader.parse("t.yaml", SPEC.replace("gates:\n", "")).gates(), is(List.of()));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '#',
      value = {
        "{kind: nullRatio, max: 0.1, action: warn}#t.yaml:18: unknown gate kind 'nullRatio'"
            + " (known: nullShare, rowCountDrop, freshness, deletionShare)",
        "{kind: nullShare, column: closed, max: 0.1, action: warn}#t.yaml:18: gate column"
            + " 'closed' is not a column of the clean dataset (its fields after pii, derived and"
            + " reference columns)",
        "{kind: nullShare, column: opened, max: 5, action: warn}#t.yaml:18: max must be a share"
            + " between 0 and 1 (e.g. 0.05 for 5%), not '5'",
        "{kind: deletionShare, action: warn}#t.yaml:18: missing 'max' (a share between 0 and 1,"
            + " e.g. 0.05 for 5%)",
        "{kind: deletionShare, max: 0.1, action: stop}#t.yaml:18: action must be fail or warn,"
            + " not 'stop'",
        "{kind: deletionShare, max: 0.1}#t.yaml:18: missing 'action'",
        "{kind: freshness, maxAge: 2 days, action: warn}#t.yaml:18: maxAge must be an ISO-8601"
            + " duration such as PT6H or P2D, not '2 days'",
        "{kind: rowCountDrop, maxDrop: 0.1, runs: 2, minRuns: 3, action: warn}#t.yaml:18:"
            + " minRuns (3) cannot exceed runs (2)",
        "{kind: rowCountDrop, maxDrop: 0.1, count: rows, action: warn}#t.yaml:18: count must be"
            + " written or read, not 'rows'",
        "{kind: freshness, maxAge: P1D, action: warn, column: opened}#t.yaml:18: unknown setting"
            + " 'column' (known here: name, kind, maxAge, action)",
      })
  void mistakesNameFileAndLine(String gate, String message) {
    SpecException e = assertThrows(SpecException.class,
        () -> SpecLoader.parse("t.yaml", SPEC + "  - {kind: deletionShare, max: 0.1, action: warn}"
            + "\n  - " + gate + "\n"));
    assertThat(e.getMessage(), is(message));
  }

  @Test
  void twoGatesWithOneNameAreRefused() {
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.parse("t.yaml", SPEC
        + "  - {kind: freshness, maxAge: P1D, action: warn}\n"
        + "  - {kind: freshness, maxAge: P2D, action: fail}\n"));
    assertThat(e.getMessage(),
        is("t.yaml:18: two gates are named 'freshness'; give one a name"));
  }
}
