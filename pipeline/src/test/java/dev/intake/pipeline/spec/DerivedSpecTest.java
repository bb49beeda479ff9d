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

/** The derived columns section: every function's settings, types and mistakes with their line. */
class DerivedSpecTest {
  private static final String SPEC =
      String.join(
          "\n",
          "name: t",
          "zone: America/Los_Angeles",
          "key: [id]",
          "version: updated",
          "fields:",
          "  - {name: id, type: long}",
          "  - {name: opened, type: timestamp}",
          "  - {name: closed, type: timestamp}",
          "  - {name: updated, type: timestamp}",
          "  - {name: due, type: date}",
          "  - {name: status, type: string}",
          "  - {name: source, type: string}",
          "  - {name: district, type: long}",
          "  - {name: reporter, type: string, pii: hash}",
          "piiHashKeyEnv: KEY",
          "derived:",
          "  - {name: hours, function: hours_between, args: [opened, closed]}",
          "  - {name: days, function: days_between, args: [opened, due]}",
          "  - {name: hour, function: date_part, args: [opened], part: hour}",
          "  - {name: week, function: date_trunc, args: [opened], unit: week}",
          "  - {name: last, function: coalesce, args: [closed, updated]}",
          "  - {name: status_lower, function: lower, args: [status]}",
          "  - {name: status_key, function: normalize, args: [status], steps: [trim, upper]}",
          "  - name: channel",
          "    function: lookup",
          "    args: [source]",
          "    map: {Phone: phone, Mobile/Open311: app}",
          "    default: other",
          "  - {name: east, function: lookup, args: [district], map: {3: true, 6: true}}",
          "  - {name: is_open, function: condition, expr: \"status = 'Open' and closed is null\"}",
          "  - {name: quick, function: condition, expr: \"is_open or hours < 24\"}",
          "formats:",
          "  j: {kind: json, timestampPatterns: [\"yyyy-MM-dd'T'HH:mm:ss\"]}",
          "partition: {field: opened, granularity: month, name: opened_month}",
          "");

  @Test
  void eachDerivedColumnHasTheTypeItsFunctionGives() {
    DatasetSpec spec = SpecLoader.parse("t.yaml", SPEC);
    List<String> derived = new ArrayList<>();
    Schema clean = IntakePipeline.cleanSchema(spec);
    for (Schema.Field f : clean.getFields().subList(clean.getFieldCount() - 11,
        clean.getFieldCount())) {
      derived.add(f.getName() + ":" + f.getType().getTypeName()
          + (f.getType().getNullable() ? "" : "!"));
    }
    assertThat(
        derived,
        contains(
            "hours:DOUBLE",
            "days:INT64",
            "hour:INT64",
            "week:LOGICAL_TYPE",
            "last:DATETIME",
            "status_lower:STRING",
            "status_key:STRING",
            "channel:STRING",
            "east:BOOLEAN",
            "is_open:BOOLEAN",
            "quick:BOOLEAN"));
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "args: [opened, due]}|args: [opened]}|t.yaml:18: days_between takes two timestamp or date fields: [start, end]",
        "args: [opened, due]}|args: [opened, status]}|t.yaml:18: days_between: 'status' is not a timestamp or date field",
        "args: [opened, due]}|args: [opened, nope]}|t.yaml:18: days_between: 'nope' is not a field",
        "part: hour|part: century|t.yaml:19: date_part: part must be year, quarter, month, week, day, dow, doy, hour or minute, not 'century'",
        "args: [opened], part: hour|args: [due], part: hour|t.yaml:19: date_part: 'due' is not a timestamp field",
        "args: [opened], part: hour|args: [opened]|t.yaml:19: missing 'part'",
        "unit: week|unit: fortnight|t.yaml:20: date_trunc: unit must be day, week, month, quarter or year, not 'fortnight'",
        "unit: week|unit: week, zone: UTC|t.yaml:20: unknown setting 'zone' (known here: name, function, args, unit)",
        "args: [closed, updated]|args: [closed]|t.yaml:21: coalesce takes two fields or more of one type: [first, second, …]",
        "args: [closed, updated]|args: [closed, due]|t.yaml:21: coalesce: 'due' is a date field, but 'closed' is a timestamp: all must be of one type",
        "function: lower, args: [status]|function: lower, args: [district]|t.yaml:22: lower: 'district' is not a string field",
        "function: lower, args: [status]|function: lower, args: [reporter]|t.yaml:22: derived column status_lower reads 'reporter', which is hashed, masked or dropped (pii): its value must not reach another column",
        "steps: [trim, upper]|steps: [trim, title]|t.yaml:23: normalize: unknown step 'title' (known: trim, lower, upper, collapse_whitespace)",
        "steps: [trim, upper]|steps: []|t.yaml:23: normalize: steps must list at least one of trim, lower, upper, collapse_whitespace",
        "    map: {Phone: phone, Mobile/Open311: app}|    map: {}|t.yaml:27: lookup: needs a map of the field's values to values",
        "    map: {Phone: phone, Mobile/Open311: app}|    map: {Phone: phone, Mobile/Open311: 3}|t.yaml:27: lookup: the values of the map and the default must be of one type: '3' is not a string",
        "    default: other|    default: [other]|t.yaml:28: lookup: a value of the map (or the default) must be a text, number or boolean",
        "map: {3: true, 6: true}|map: {3: true, six: true}|t.yaml:29: lookup: key 'six' is not a whole number",
        "args: [district], map|args: [opened], map|t.yaml:29: lookup: 'opened' is not a string, whole-number or boolean field",
        "\"status = 'Open' and closed is null\"|\"status = 'Open' and closed is\"|t.yaml:30: condition: expected null after 'is' at character 30 of 'status = 'Open' and closed is'",
        "\"status = 'Open' and closed is null\"|\"status = Open\"|t.yaml:30: condition: unknown field 'Open' at character 10 of 'status = Open'",
        "\"status = 'Open' and closed is null\"|\"quick\"|t.yaml:30: condition: unknown field 'quick' at character 1 of 'quick' (quick is a derived column declared below: declare it first)",
        "\"status = 'Open' and closed is null\"|\"reporter is null\"|t.yaml:30: derived column is_open reads 'reporter', which is hashed, masked or dropped (pii): its value must not reach another column",
        "expr: \"status|args: [status], expr: \"status|t.yaml:30: unknown setting 'args' (known here: name, function, expr)",
        "args: [opened, closed]}|args: [opened, days]}|t.yaml:17: derived column hours reads 'days', a derived column declared below it: declare days first",
        "{name: quick,|{name: hours,|t.yaml:31: derived column 'hours' is declared twice",
        "function: date_part|function: datepart|t.yaml:19: unknown function 'datepart' (known: hours_between, days_between, date_part, date_trunc, coalesce, trim, lower, upper, collapse_whitespace, normalize, lookup, condition)",
      })
  void derivedMistakesNameFileAndLine(String from, String to, String message) {
    String text = SPEC.replace(from, to);
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.parse("t.yaml", text));
    assertThat(e.getMessage(), is(message));
  }
}
