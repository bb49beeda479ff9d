package dev.intake.pipeline.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.pipeline.IntakePipeline;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An aggregate's pivot: its columns come from the spec, and every mistake names its line. */
class PivotSpecTest {
  private static final String SPEC =
      String.join(
          "\n",
          "name: t",
          "zone: America/Los_Angeles",
          "key: [id]",
          "version: opened",
          "fields:",
          "  - {name: id, type: long}",
          "  - {name: opened, type: timestamp}",
          "  - {name: hood, type: string}",
          "  - {name: source, type: string}",
          "  - {name: district, type: long}",
          "  - {name: hours, type: double}",
          "formats:",
          "  j: {kind: json, timestampPatterns: [\"yyyy-MM-dd'T'HH:mm:ss\"]}",
          "partition: {field: opened, granularity: month, name: opened_month}",
          "aggregates:",
          "  - name: m",
          "    bucket: {field: opened, unit: month, name: month}",
          "    groupBy: [hood]",
          "    pivot:",
          "      field: source",
          "      values: [Phone, Mobile/Open311, {value: Other Department, column: department}]",
          "    measures:",
          "      - {name: cases, fn: count}",
          "      - {name: p50, fn: median, field: hours}",
          "");

  private static List<String> columns(String from, String to) {
    DatasetSpec spec = SpecLoader.parse("t.yaml", SPEC.replace(from, to));
    Schema out =
        spec.aggregates().get(0).transform().outputSchema(IntakePipeline.cleanSchema(spec));
    List<String> names = new ArrayList<>();
    for (Schema.Field f : out.getFields()) {
      names.add(f.getName() + ":" + f.getType().getTypeName());
    }
    return names;
  }

  @Test
  void theColumnsOfAPivotAreKnownFromTheSpec() {
    assertThat(
        columns("", ""),
        contains(
            "month:LOGICAL_TYPE",
            "hood:STRING",
            "cases_phone:INT64",
            "cases_mobile_open311:INT64",
            "cases_department:INT64",
            "cases_other:INT64",
            "cases_null:INT64",
            "p50_phone:DOUBLE",
            "p50_mobile_open311:DOUBLE",
            "p50_department:DOUBLE",
            "p50_other:DOUBLE",
            "p50_null:DOUBLE"));
  }

  @Test
  void otherAndNullColumnsCanBeRenamedAndWholeNumbersPivot() {
    assertThat(
        columns(
            "      field: source\n      values: [Phone, Mobile/Open311, {value: Other Department,"
                + " column: department}]",
            "      field: district\n      values: [1, '02', 11]\n      otherColumn: elsewhere\n"
                + "      nullColumn: unknown"),
        contains(
            "month:LOGICAL_TYPE",
            "hood:STRING",
            "cases_1:INT64",
            "cases_2:INT64",
            "cases_11:INT64",
            "cases_elsewhere:INT64",
            "cases_unknown:INT64",
            "p50_1:DOUBLE",
            "p50_2:DOUBLE",
            "p50_11:DOUBLE",
            "p50_elsewhere:DOUBLE",
            "p50_unknown:DOUBLE"));
  }

  @Test
  void twoMeasuresWhosePivotColumnsCollideAreRefused() {
    String text =
        SPEC.replace("[Phone, Mobile/Open311,", "[Phone, Mobile/Open311, Open311,")
            .replace("name: p50", "name: cases_mobile");
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.parse("t.yaml", text));
    assertThat(e.getMessage(),
        is("t.yaml:16: aggregate m: column cases_mobile_open311 appears twice in the output"));
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "field: source|field: channel|t.yaml:20: aggregate m: pivot field 'channel' is not a column",
        "field: source|field: hours|t.yaml:20: aggregate m: pivot field 'hours' must be a string, whole-number or boolean column",
        "field: source|field: hood|t.yaml:20: aggregate m: pivot field 'hood' is also in groupBy; a field is grouped or pivoted",
        "      values: [Phone, Mobile/Open311, {value: Other Department, column: department}]|      values: []|t.yaml:21: aggregate m: pivot needs at least one value in 'values'",
        "      values: [Phone, Mobile/Open311, {value: Other Department, column: department}]|      other: [x]|t.yaml:21: unknown setting 'other' (known here: field, values, otherColumn, nullColumn)",
        "      values: [Phone, Mobile/Open311, {value: Other Department, column: department}]|      otherColumn: x|t.yaml:20: missing 'values'",
        "[Phone, Mobile/Open311,|[Phone, Mobile/Open311, Phone,|t.yaml:21: aggregate m: pivot value 'Phone' is listed twice",
        "[Phone, Mobile/Open311,|[Phone, Mobile/Open311, phone,|t.yaml:21: aggregate m: pivot value 'Phone' and value 'phone' would have the same column suffix 'phone': name one with {value: …, column: …}, otherColumn or nullColumn",
        "[Phone, Mobile/Open311,|[Phone, Mobile/Open311, '#',|t.yaml:21: aggregate m: pivot value '#' has no letter or digit to name its column: give it one, {value: …, column: …}",
        "column: department|column: Department|t.yaml:21: aggregate m: pivot column 'Department' must be lower-case letters, digits and inner '_'",
        "column: department|column: phone|t.yaml:21: aggregate m: pivot value 'Phone' and value 'Other Department' would have the same column suffix 'phone': name one with {value: …, column: …}, otherColumn or nullColumn",
        "{value: Other Department, column: department}|{column: department}|t.yaml:21: aggregate m: pivot value is missing 'value'",
        "{value: Other Department, column: department}|Other|t.yaml:21: aggregate m: pivot value 'Other' and the column of other values would have the same column suffix 'other': name one with {value: …, column: …}, otherColumn or nullColumn",
        "field: source|field: district|t.yaml:21: aggregate m: pivot value 'Phone' is not a whole number",
      })
  void pivotMistakesNameFileAndLine(String from, String to, String message) {
    String text = SPEC.replace(from, to);
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.parse("t.yaml", text));
    assertThat(e.getMessage(), is(message));
  }
}
