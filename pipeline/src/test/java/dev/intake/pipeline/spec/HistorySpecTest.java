package dev.intake.pipeline.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HistorySpecTest {
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
          "  - {name: kind, type: string}",
          "formats:",
          "  csv1:",
          "    kind: csv",
          "    timestampPatterns: ['MM/dd/yyyy hh:mm:ss a']",
          "    columns: {ID: id}",
          "fullLoad: {csv: csv1}",
          "partition: {field: opened, granularity: month, name: opened_month}",
          "");

  private static DatasetSpec parse(String history) {
    return SpecLoader.parse("t.yaml", SPEC + history);
  }

  @Test
  void historyIsOffUnlessTheSpecAsksForIt() {
    assertThat(parse("").history(), is(false));
    assertThat(parse("history: false\n").history(), is(false));
    assertThat(parse("history: {enabled: false}\n").history(), is(false));
    assertThat(parse("history: true\n").history(), is(true));
    assertThat(parse("history: {enabled: true}\n").history(), is(true));
    assertThat(SpecLoader.load("sf311").history(), is(false));
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource(
      delimiter = '#',
      value = {
        "history: yes please#version: updated#t.yaml:17: history must be true, false or"
            + " {enabled: true|false}",
        "history: {enabled: 1}#version: updated#t.yaml:17: history.enabled must be true or false",
        "history: {enabled: true, keep: all}#version: updated#t.yaml:17: unknown setting 'keep'"
            + " (known here: enabled)",
        "history: true#version: kind#t.yaml:17: history needs a timestamp version field: its"
            + " versions are placed in time by it, and version 'kind' is not a timestamp",
      })
  void historyMistakesNameFileAndLine(String history, String version, String message) {
    String text = SPEC.replace("version: updated", version)
        .replace("{name: kind, type: string}", "{name: kind, type: long, required: true}")
        + history + "\n";
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.parse("t.yaml", text));
    assertThat(e.getMessage(), is(message));
  }

  @Test
  void theVersionMustBeRequired() {
    String text = SPEC.replace("type: timestamp, required: true", "type: timestamp")
        + "history: true\n";
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.parse("t.yaml", text));
    assertThat(e.getMessage(), is("t.yaml:17: history needs the version field 'updated' to be"
        + " required (a version without a value has no place in time): add required: true to it"));
  }

  @Test
  void theHistoryColumnsMustBeFree() {
    String text = SPEC.replace("{name: kind, type: string}", "{name: valid_to, type: string}")
        + "history: true\n";
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.parse("t.yaml", text));
    assertThat(e.getMessage(), is("t.yaml:17: history adds the column 'valid_to', which the"
        + " dataset already has; rename that field"));
  }
}
