package dev.intake.pipeline.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.sources.ApiSource;
import dev.intake.transforms.sources.ApiTuning;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The source section: its type is looked up among the source types on the classpath (here the
 * test-only {@link FixedRecordsType}), which reads the section through a {@code SpecSection}.
 */
class SourceSpecTest {
  private static final String SPEC =
      String.join(
          "\n",
          "name: t",
          "zone: UTC",
          "key: [id]",
          "version: v",
          "fields:",
          "  - {name: id, type: string}",
          "  - {name: v, type: timestamp}",
          "formats:",
          "  j: {kind: json, timestampPatterns: [\"yyyy-MM-dd'T'HH:mm:ssXXX\"]}",
          "  c: {kind: csv, timestampPatterns: [\"yyyy-MM-dd'T'HH:mm:ssXXX\"]}",
          "partition: {field: v, granularity: year, name: y}",
          "source:",
          "  type: fixed",
          "  format: j",
          "  records: ['{\"id\": \"1\"}', '{\"id\": \"2\"}']",
          "  label: demo",
          "  paging: {size: 1}",
          "");

  @Test
  void sourceTypeIsFoundByNameAndReadsItsOwnSection() {
    ApiSource api = SpecLoader.parse("t.yaml", SPEC).api();
    List<String> log = new ArrayList<>();

    ApiSource.Prepared prepared = api.prepare(ApiTuning.defaults(), log::add);
    Pipeline p = Pipeline.create();
    PCollection<SourceRecord> records = p.apply(prepared.read(List.of(), "unused"));

    assertThat(api.type(), is("fixed"));
    assertThat(api.format(), is("j"));
    assertThat(api.secretEnvs(), empty());
    assertThat(prepared.describe(), is("demo (2 record(s))"));
    assertThat(log, is(List.of("reading 2 fixed record(s)")));
    PAssert.that(records)
        .containsInAnyOrder(
            SourceRecord.of("demo/page=0", 0, 0, "{\"id\": \"1\"}", null),
            SourceRecord.of("demo/page=1", 0, 0, "{\"id\": \"2\"}", null));
    p.run().waitUntilFinish();
  }

  @Test
  void optionalSettingsTakeTheirDefaults() {
    String text = SPEC.replace("  label: demo\n", "").replace("  paging: {size: 1}\n", "");

    ApiSource.Prepared prepared =
        SpecLoader.parse("t.yaml", text).api().prepare(ApiTuning.defaults(), line -> {});

    assertThat(prepared.describe(), is("fixed (2 record(s))"));
  }

  @Test
  void specWithoutSourceHasNoApi() {
    String text = SPEC.substring(0, SPEC.indexOf("source:"));

    assertThat(SpecLoader.parse("t.yaml", text).api(), nullValue());
  }

  @Test
  void unknownSourceTypeFailsTheSpecWithItsLine() {
    SpecException e =
        assertThrows(
            SpecException.class,
            () -> SpecLoader.parse("t.yaml", SPEC.replace("type: fixed", "type: soap")));

    assertThat(e.getMessage(), startsWith("t.yaml:13: unknown source type 'soap' (known: "));
    assertThat(e.getMessage(), containsString("fixed"));
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "format: j|format: c|t.yaml:14: source format 'c' must name a json format among [j, c]",
        "format: j|format: x|t.yaml:14: source format 'x' must name a json format among [j, c]",
        "format: j|format: ''|t.yaml:14: 'format' must be a non-empty value",
        "'  format: j\\n'|''|t.yaml:13: missing 'format'",
        "label: demo|lable: demo|t.yaml:16: unknown setting 'lable' (known here: type, format, records, label, paging)",
        "size: 1|size: 0|t.yaml:17: size must be a whole number between 1 and 100",
        "size: 1|size: 2.5|t.yaml:17: size must be a whole number between 1 and 100",
        "size: 1|size: many|t.yaml:17: size must be a whole number between 1 and 100",
        "paging: {size: 1}|paging: 3|t.yaml:17: 'paging' must be a mapping",
        "records: [|records: [[x], |t.yaml:15: 'records' must be a list of non-empty values",
        "'  type: fixed\\n'|''|t.yaml:13: missing 'type'",
      })
  void sourceErrorsNameFileAndLine(String from, String to, String message) {
    String text = SPEC.replace(from.replace("\\n", "\n"), to);
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.parse("t.yaml", text));
    assertThat(e.getMessage(), is(message));
  }

  @Test
  void sourceTypeCanFailOnItsSectionWithTheLine() {
    String records = "records: ['{\"id\": \"1\"}', '{\"id\": \"2\"}']";
    String empty = SPEC.replace(records, "records: []");
    String notAList = SPEC.replace(records, "records: '{}'");

    SpecException none =
        assertThrows(SpecException.class, () -> SpecLoader.parse("t.yaml", empty));
    SpecException scalar =
        assertThrows(SpecException.class, () -> SpecLoader.parse("t.yaml", notAList));

    assertThat(none.getMessage(), is("t.yaml:15: a fixed source lists at least one record"));
    assertThat(scalar.getMessage(), is("t.yaml:15: 'records' must be a list"));
  }
}
