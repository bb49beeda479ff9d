package dev.intake.pipeline.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A field's schema-evolution keywords, retired and renamedFrom: read, and mistakes located. */
class EvolutionKeywordsSpecTest {
  private static final String SPEC =
      String.join(
          "\n",
          "name: t",
          "zone: UTC",
          "key: [id]",
          "version: updated",
          "fields:",
          "  - {name: id, type: long, required: true}",
          "  - {name: updated, type: timestamp}",
          "  - {name: note, type: string, retired: true}",
          "  - {name: street_name, type: string, renamedFrom: street}",
          "formats:",
          "  csv1: {kind: csv, timestampPatterns: ['yyyy-MM-dd HH:mm:ss']}",
          "fullLoad: {csv: csv1}",
          "partition: {field: updated, granularity: month, name: updated_month}",
          "");

  @Test
  void retiredAndRenamedFieldsAreRead() {
    DatasetSpec spec = SpecLoader.parse("t.yaml", SPEC);
    assertThat(spec.retired(), contains("note"));
    assertThat(spec.renamedFrom(), equalTo(Map.of("street_name", "street")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "retired: true|retired: yes please|t.yaml:8: retired of field 'note' must be true or false",
        "{name: note, type: string, retired: true}|{name: note, type: string, retired: true,"
            + " required: true}|t.yaml:8: field 'note' is retired, so it cannot be required: a"
            + " retired field is null from now on (remove required)",
        "renamedFrom: street|renamedFrom: [street]|t.yaml:9: renamedFrom of field 'street_name'"
            + " must be the field's former name (letters, digits and '_')",
        "renamedFrom: street|renamedFrom: street_name|t.yaml:9: field 'street_name' cannot be"
            + " renamed from itself",
        "renamedFrom: street|renamedFrom: note|t.yaml:9: field 'street_name' is renamed from"
            + " 'note', which is still a field of the spec (remove one of them)",
        "{name: id, type: long, required: true}|{name: id, type: long, retired: true}|t.yaml:3:"
            + " key field 'id' is retired; a key field cannot be",
        "renamedFrom: street|renamedFom: street|t.yaml:9: unknown setting 'renamedFom' (known"
            + " here:",
      })
  void mistakesNameFileAndLine(String from, String to, String message) {
    String text = SPEC.replace(from, to);
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.parse("t.yaml", text));
    assertThat(e.getMessage(), startsWithMessage(message));
  }

  private static org.hamcrest.Matcher<String> startsWithMessage(String message) {
    return org.hamcrest.Matchers.startsWith(message);
  }

  @Test
  void twoFieldsRenamedFromOneNameAreAnError() {
    String text = SPEC.replace("  - {name: note, type: string, retired: true}",
        "  - {name: note, type: string, renamedFrom: street}");
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.parse("t.yaml", text));
    assertThat(e.getMessage(), is("t.yaml:9: two fields are renamed from 'street'"));
  }
}
