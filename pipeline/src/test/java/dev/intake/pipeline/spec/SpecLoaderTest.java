package dev.intake.pipeline.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.pipeline.IntakePipeline;
import dev.intake.transforms.aggregate.TimeBucket;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.sinks.lake.Partitioner;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecLoaderTest {
  private static final String VALID =
      String.join(
          "\n",
          "name: t",
          "zone: America/Los_Angeles",
          "key: [id]",
          "version: updated",
          "fields:",
          "  - {name: id, type: long, required: true}",
          "  - {name: opened, type: timestamp}",
          "  - {name: updated, type: timestamp, notBefore: opened}",
          "  - {name: kind, type: string, oneOf: [a, b]}",
          "  - {name: lat, type: double, min: 37.6, max: 37.9, nullValues: ['0']}",
          "formats:",
          "  csv1:",
          "    kind: csv",
          "    timestampPatterns: ['MM/dd/yyyy hh:mm:ss a']",
          "    columns: {ID: id}",
          "fullLoad: {csv: csv1}",
          "partition: {field: opened, granularity: month, name: opened_month}",
          "");

  @Test
  void bundledSf311SpecLoads() {
    DatasetSpec spec = SpecLoader.load("sf311");
    assertThat(spec.key(), contains("service_request_id"));
    assertThat(spec.version(), is("updated_datetime"));
    assertThat(spec.fields().get(0).type(), is(FieldType.LONG));
    assertThat(spec.exportFormat().kind(), is(RecordFormat.Kind.CSV));
    assertThat(spec.exportFormat().sourceNameOf("requested_datetime"), is("Opened"));
    assertThat(spec.jsonLinesFormat().sourceNameOf("requested_datetime"), is("requested_datetime"));
    assertThat(spec.dropped(), contains("media_url"));
    assertThat(spec.aggregates().get(0).name(), is("daily"));
    assertThat(spec.partitioner().name(), is("requested_month"));
  }

  @Test
  void bundledSf311DailyAggregateKeepsItsColumnsAndPartitions() {
    DatasetSpec spec = SpecLoader.load("sf311");
    DatasetSpec.Aggregate daily = spec.aggregates().get(0);
    Schema expected =
        Schema.builder()
            .addField("day", Schema.FieldType.logicalType(SqlTypes.DATE))
            .addNullableField("service_name", Schema.FieldType.STRING)
            .addNullableField("analysis_neighborhood", Schema.FieldType.STRING)
            .addField("opened", Schema.FieldType.INT64)
            .addField("closed", Schema.FieldType.INT64)
            .addNullableField("median_hours_to_close", Schema.FieldType.DOUBLE)
            .addNullableField("p90_hours_to_close", Schema.FieldType.DOUBLE)
            .build();

    assertThat(daily.bucketColumn(), is("day"));
    assertThat(daily.transform().bucket().unit(), is(TimeBucket.Unit.DAY));
    assertThat(daily.transform().bucket().field(), is("requested_datetime"));
    assertThat(daily.transform().outputSchema(IntakePipeline.cleanSchema(spec)), is(expected));
    Partitioner lake = daily.lakePartitioner(spec.partitioner());
    assertThat(lake.name(), is("requested_month"));
    assertThat(lake.field(), is("day"));
  }

  /** Needs the Socrata source type of transforms/sources on the classpath. */
  @Test
  void bundledSf311ReadsTheSocrataApi() {
    DatasetSpec spec = SpecLoader.load("sf311");
    assertThat(spec.api().type(), is("socrata"));
    assertThat(spec.api().format(), is("api_json"));
    assertThat(spec.api().secretEnvs(), contains("SOCRATA_APP_TOKEN"));
  }

  @Test
  void validSpecHasItsRulesInFieldOrder() {
    DatasetSpec spec = SpecLoader.parse("t.yaml", VALID);
    assertThat(
        spec.rules().stream().map(r -> r.code()).toList(),
        contains("required:id", "order:updated", "enum:kind", "range:lat"));
    assertThat(spec.fields().get(4).nullValues(), contains("0"));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "type: long, required: true}|type: lng, required: true}|t.yaml:6: unknown type 'lng' for field 'id' (known: string, long, int, double, boolean, timestamp, date, list<string>, list<long>, list<double>)",
        "key: [id]|key: [nope]|t.yaml:3: key field 'nope' is not among the fields",
        "version: updated|version: kind|t.yaml:4: version field 'kind' must be a timestamp or a number",
        "zone: America/Los_Angeles|zone: Mars/Olympus|t.yaml:2: unknown time zone 'Mars/Olympus' (e.g. America/Los_Angeles)",
        "{name: kind, type: string, oneOf: [a, b]}|{name: kind, type: string, requird: true}|t.yaml:9: unknown setting 'requird' (known here: name, type, required, min, max, oneOf, pattern, notBefore, nullValues, pii, mask, description, retired, renamedFrom)",
        "min: 37.6, max: 37.9|min: 38, max: 37.9|t.yaml:10: range of lat: min 38.0 is greater than max 37.9",
        "{name: kind, type: string, oneOf: [a, b]}|{name: kind, type: string, min: 1}|t.yaml:9: min/max apply to numeric fields, and 'kind' is a string",
        "columns: {ID: id}|columns: {ID: ident}|t.yaml:15: format csv1: column 'ID' maps to 'ident', which is not a field",
        "granularity: month|granularity: week|t.yaml:17: granularity must be day, month or year, not 'week'",
        "notBefore: opened|notBefore: kind|t.yaml:8: notBefore needs 'updated' and 'kind' to be timestamp fields, or both date fields",
        "{name: kind, type: string, oneOf: [a, b]}|{name: kind, type: string, pattern: '(a'}|t.yaml:9: pattern of 'kind' is not a valid regular expression: Unclosed group",
        "{name: kind, type: string, oneOf: [a, b]}|{name: kind, type: string, pii: hash}|t.yaml:1: fields [kind] have pii: hash, so 'piiHashKeyEnv' must name the environment variable that holds the hash key",
        "{name: kind, type: string, oneOf: [a, b]}|{name: kind, type: string, pii: mask, mask: [phone, plate]}|t.yaml:9: unknown mask 'plate' (built-in: email, phone, street_number; or one of maskPatterns)",
        "fullLoad: {csv: csv1}|fullLoad: {csv: csv1}\\nmaskPatterns: {plate: '[0-9'}|t.yaml:17: mask 'plate' is not a valid regular expression: Unclosed character class near index 3",
        "fullLoad: {csv: csv1}|fullLoad: {csv: csv1}\\nmaskPatterns:\\n  plate: '[0-9]+'\\n  any: '.*'|t.yaml:19: mask 'any' matches the empty text",
        "{name: opened, type: timestamp}|{name: opened, type: timestamp, pii: mask}|t.yaml:7: pii: mask is for text fields, and 'opened' is timestamp",
        "{name: kind, type: string, oneOf: [a, b]}|{name: kind, type: string, mask: [phone]}|t.yaml:9: 'mask' lists the patterns of a field with pii: mask",
      })
  void specErrorsNameFileAndLine(String from, String to, String message) {
    String text = VALID.replace(from, to.replace("\\n", "\n"));
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.parse("t.yaml", text));
    assertThat(e.getMessage(), is(message));
  }

  @Test
  void maskedFieldsGetTheirNamedPatternsOrEveryBuiltIn() {
    DatasetSpec spec = SpecLoader.parse("t.yaml", VALID
        .replace("{name: kind, type: string, oneOf: [a, b]}",
            "{name: kind, type: string, pii: mask, mask: [plate, email]}\n"
                + "  - {name: notes, type: string, pii: mask}")
        .replace("fullLoad: {csv: csv1}", "fullLoad: {csv: csv1}\nmaskPatterns: {plate: '[0-9][A-Z]{3}[0-9]{3}'}"));
    assertThat(spec.masked().get("kind").stream().map(m -> m.name()).toList(),
        contains("plate", "email"));
    assertThat(spec.masked().get("notes").stream().map(m -> m.name()).toList(),
        contains("email", "phone", "street_number"));
    assertThat(spec.masked().get("kind").get(0).apply("car 7ABC123"), is("car [plate]"));
  }

  @Test
  void invalidYamlNamesTheLine() {
    SpecException e =
        assertThrows(
            SpecException.class, () -> SpecLoader.parse("t.yaml", "name: t\nfields: [\n  {name: x\n"));
    assertThat(e.getMessage().startsWith("t.yaml:"), is(true));
  }

  @Test
  void jsonSpecsWorkToo() {
    DatasetSpec spec =
        SpecLoader.parse(
            "t.json",
            "{\"name\": \"t\", \"zone\": \"UTC\", \"key\": \"id\", \"version\": \"v\","
                + " \"fields\": [{\"name\": \"id\", \"type\": \"string\"}, {\"name\": \"v\", \"type\": \"timestamp\"}],"
                + " \"formats\": {\"j\": {\"kind\": \"json\", \"timestampPatterns\": [\"yyyy-MM-dd'T'HH:mm:ssXXX\"]}},"
                + " \"partition\": {\"field\": \"v\", \"granularity\": \"year\", \"name\": \"y\"}}");
    assertThat(spec.key(), is(List.of("id")));
    assertThat(spec.rules().get(0).code(), is("required:id"));
  }
}
