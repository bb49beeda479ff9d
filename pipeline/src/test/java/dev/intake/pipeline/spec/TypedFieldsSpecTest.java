package dev.intake.pipeline.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.validate.Rule;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** List and date fields, JSON paths in a format's columns, and aggregates over them. */
class TypedFieldsSpecTest {
  private static final String SPEC =
      String.join(
          "\n",
          "name: orgs",
          "zone: UTC",
          "key: [uuid]",
          "version: updated_at",
          "fields:",
          "  - {name: uuid, type: string}",
          "  - {name: updated_at, type: timestamp}",
          "  - {name: categories, type: list<string>, required: true}",
          "  - {name: ranks, type: 'list<long>'}",
          "  - {name: country, type: string}",
          "  - {name: founded_on, type: date}",
          "  - {name: closed_on, type: date, notBefore: founded_on}",
          "formats:",
          "  entities:",
          "    kind: json",
          "    timestampPatterns: [\"yyyy-MM-dd'T'HH:mm:ssX\"]",
          "    datePatterns: [yyyy-MM-dd, yyyy]",
          "    columns:",
          "      properties.updated_at: updated_at",
          "      properties.categories[*].value: categories",
          "      properties.location_identifiers[location_type=country].value: country",
          "      properties.founded_on.value: founded_on",
          "partition: {field: updated_at, granularity: year, name: updated_year}",
          "aggregates:",
          "  - name: by_country_category_year",
          "    bucket: {field: founded_on, unit: year, name: founded_year}",
          "    groupBy: [country, categories]",
          "    measures:",
          "      - {name: orgs, fn: count}",
          "");

  private static DatasetSpec parse(String from, String to) {
    return SpecLoader.parse("orgs.yaml", SPEC.replace(from, to));
  }

  @Test
  void listAndDateFieldsGetTheirTypesAndTheFormatItsPaths() {
    DatasetSpec spec = parse("", "");

    List<String> types = new ArrayList<>();
    spec.fields().forEach(f -> types.add(f.name() + ":" + f.type().specName()));
    assertEquals(
        List.of("uuid:string", "updated_at:timestamp", "categories:list<string>",
            "ranks:list<long>", "country:string", "founded_on:date", "closed_on:date"),
        types);
    RecordFormat entities = spec.formats().get("entities");
    assertEquals("properties.categories[*].value", entities.sourceNameOf("categories"));
    assertEquals(List.of("yyyy-MM-dd", "yyyy"), entities.datePatterns());
    assertEquals(FieldType.STRING_LIST.beamType(), Schema.FieldType.array(Schema.FieldType.STRING)
        .withNullable(true));
  }

  @Test
  void notBeforeComparesTwoDates() {
    Rule order = null;
    for (Rule r : parse("", "").rules()) {
      order = r.code().equals("order:closed_on") ? r : order;
    }
    Schema schema =
        Schema.builder()
            .addNullableField("founded_on", Schema.FieldType.logicalType(SqlTypes.DATE))
            .addNullableField("closed_on", Schema.FieldType.logicalType(SqlTypes.DATE))
            .build();
    Row bad = Row.withSchema(schema).addValues(LocalDate.of(2010, 1, 2), LocalDate.of(2010, 1, 1))
        .build();
    Row good = Row.withSchema(schema).addValues(LocalDate.of(2010, 1, 2), LocalDate.of(2010, 1, 2))
        .build();
    assertEquals("closed_on 2010-01-01 is before founded_on 2010-01-02", order.check(bad));
    assertEquals(null, order.check(good));
  }

  @Test
  void anAggregateGroupsByTheElementsOfAListAndBucketsADateByYear() {
    DatasetSpec.Aggregate agg = parse("", "").aggregates().get(0);
    Schema out = agg.transform().outputSchema(cleanSchema());

    assertThat(out.getField("categories").getType(),
        is(Schema.FieldType.STRING.withNullable(true)));
    assertThat(out.getField("founded_year").getType(),
        is(Schema.FieldType.logicalType(SqlTypes.DATE)));
  }

  private static Schema cleanSchema() {
    return dev.intake.transforms.model.Schemas.of(parse("", "").fields());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "type: 'list<long>'|type: 'list<int>'|orgs.yaml:9: unknown type 'list<int>' for field 'ranks' (known: string, long, int, double, boolean, timestamp, date, list<string>, list<long>, list<double>)",
        "required: true}|min: 1}|orgs.yaml:8: min does not apply to the list field 'categories' (only required does)",
        "required: true}|oneOf: [a]}|orgs.yaml:8: oneOf does not apply to the list field 'categories' (only required does)",
        "required: true}|pattern: a}|orgs.yaml:8: pattern does not apply to the list field 'categories' (only required does)",
        "notBefore: founded_on|notBefore: updated_at|orgs.yaml:12: notBefore needs 'closed_on' and 'updated_at' to be timestamp fields, or both date fields",
        "[*].value: categories|[*].value: country|orgs.yaml:20: format entities: 'properties.categories[*].value' yields a list (it has [*]), so field 'country' must be a list type such as list<string>, not string",
        "[location_type=country]|[location_type=country|orgs.yaml:21: format entities: bad JSON path 'properties.location_identifiers[location_type=country.value' at character 60: ']' is missing",
        "founded_on.value: founded_on|founded_on..value: founded_on|orgs.yaml:22: format entities: bad JSON path 'properties.founded_on..value' at character 23: a key is empty",
        "[yyyy-MM-dd, yyyy]|[yyyy-MM-dd, bbb]|orgs.yaml:17: not a date pattern: Unknown pattern letter: b",
        "unit: year|unit: decade|orgs.yaml:26: aggregate by_country_category_year: bucket unit must be day, week, month or year, not 'decade'",
        "field: founded_on, unit|field: country, unit|orgs.yaml:26: aggregate by_country_category_year: bucket field 'country' is not a timestamp or date field",
      })
  void typeAndPathErrorsNameFileAndLine(String from, String to, String message) {
    String text = SPEC.replace(from, to);
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.parse("orgs.yaml", text));
    assertThat(e.getMessage(), is(message));
  }
}
