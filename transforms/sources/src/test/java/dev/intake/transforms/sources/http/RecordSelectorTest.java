package dev.intake.transforms.sources.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordSelectorTest {
  private static final List<String> FIELDS = List.of("id", "updated_at");

  /** Shaped like a real answer: objects separated by "\n,", a newline after the array. */
  private static final String ROWS = "{\"id\":\"row-a\","
      + "\"updated_at\":\"2021-07-10T01:00:00.000Z\",\"z\":\"1\","
      + "\"a\":\"caf\u00e9 \\\"q\\\" \\u00e9\",\"point\":{\"type\":\"Point\","
      + "\"coordinates\":[-122.41,37.77]},\"n\":1.50}\n"
      + ",{\"id\":\"row-b\",\"tags\":[{\"id\":\"nested\"}],\"updated_at\":null}\n"
      + ",{}";
  private static final List<String> RECORDS = List.of(
      "{\"id\":\"row-a\",\"updated_at\":\"2021-07-10T01:00:00.000Z\",\"z\":\"1\","
          + "\"a\":\"caf\u00e9 \\\"q\\\" \\u00e9\",\"point\":{\"type\":\"Point\","
          + "\"coordinates\":[-122.41,37.77]},\"n\":1.50}",
      "{\"id\":\"row-b\",\"tags\":[{\"id\":\"nested\"}],\"updated_at\":null}",
      "{}");

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void eachRecordOfARootArrayIsItsExactTextInPageOrder() throws Exception {
    RecordSelector.Selection p =
        RecordSelector.rootArray().select(bytes("[" + ROWS + "]\n"), FIELDS);
    assertThat(p.records(), is(RECORDS));
    assertThat(p.values("id"), contains("row-a", "row-b", null));
    assertThat(p.values("updated_at"), contains("2021-07-10T01:00:00.000Z", null, null));
  }

  @Test
  void recordsUnderANamedFieldAreCutTheSameWayWhateverSurroundsThem() throws Exception {
    String body = "{\"count\":3,\"meta\":{\"entities\":[{\"x\":1}]},\"entities\":[" + ROWS
        + "],\"after\":[\"x\"]}";
    RecordSelector.Selection p = RecordSelector.field("entities").select(bytes(body), FIELDS);
    assertThat(p.records(), is(RECORDS));
    assertThat(p.value(0, "id"), is("row-a"));
    assertThat(p.value(1, "id"), is("row-b"));
  }

  @Test
  void numbersAndBooleansAreReadAsTheirText() throws Exception {
    RecordSelector.Selection p = RecordSelector.field("entities")
        .select(bytes("{\"entities\":[{\"uuid\":7,\"ok\":true,\"at\":1.50e3}]}"),
            List.of("uuid", "ok", "at"));
    assertThat(List.of(p.value(0, "uuid"), p.value(0, "ok"), p.value(0, "at")),
        contains("7", "true", "1.50e3"));
  }

  @Test
  void aRealPageSplitsIntoItsRows() throws Exception {
    // data.cityofnewyork.us/resource/uczf-rk3c.json?$limit=1, as received (2025-05-03).
    String real = "[{\"countid\":\"19831896\",\"id\":\"100009425\","
        + "\"date\":\"2023-06-03T00:00:00.000\",\"counts\":\"27\",\"status\":\"0\"}]\n";
    assertThat(RecordSelector.rootArray().records(bytes(real)), contains(
        "{\"countid\":\"19831896\",\"id\":\"100009425\",\"date\":\"2023-06-03T00:00:00.000\""
            + ",\"counts\":\"27\",\"status\":\"0\"}"));
  }

  @Test
  void anEmptyArrayHasNoRecords() throws Exception {
    assertThat(RecordSelector.rootArray().select(bytes("[]\n"), FIELDS).records(), empty());
    assertThat(RecordSelector.field("entities").records(bytes("{\"entities\":[]}")), empty());
  }

  @Test
  void aFieldThatWasNotAskedForIsAnError() throws Exception {
    RecordSelector.Selection p = RecordSelector.rootArray().select(bytes("[{}]"), FIELDS);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> p.value(0, "other"));
    assertThat(e.getMessage(), is("field other was not selected (only [id, updated_at])"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "''                          | the body is empty",
    "{\"a\":1}                   | expected a JSON array, but got {",
    "[{\"a\":\"1\"},2]           | element 1 is 2, not an object",
    "[{\"a\":\"1\"},{\"b\":      | Unexpected end-of-input",
    "[{\"a\":\"1\"}              | Unexpected end-of-input",
    "[{\"a\":\"1\"}] x           | Unrecognized token 'x'",
    "[{\"a\":\"1\"}][]           | there is more after the array",
  })
  void aBodyThatIsNotAnArrayOfObjectsIsMalformed(String body, String problem) {
    MalformedAnswerException e = assertThrows(MalformedAnswerException.class,
        () -> RecordSelector.rootArray().select(bytes(body), FIELDS));
    assertThat(e.getMessage(), startsWith(problem));
    assertThat(e.expected(), is("a JSON array of objects"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "''                                      | the body is empty",
    "[{\"a\":1}]                             | expected a JSON object, but got [",
    "{\"count\":1}                           | the object has no field entities",
    "{\"entities\":null}                     | the field entities is null, not an array",
    "{\"entities\":{\"a\":1}}                | the field entities is {, not an array",
    "{\"entities\":[1]}                      | element 0 is 1, not an object",
    "{\"entities\":[],\"entities\":[]}       | the field entities appears twice",
    "{\"entities\":[{\"a\":1}]               | Unexpected end-of-input",
    "{\"entities\":[]}{}                     | there is more after the object",
  })
  void aBodyWithoutAnArrayOfObjectsInTheFieldIsMalformed(String body, String problem) {
    MalformedAnswerException e = assertThrows(MalformedAnswerException.class,
        () -> RecordSelector.field("entities").select(bytes(body), FIELDS));
    assertThat(e.getMessage(), startsWith(problem));
    assertThat(e.expected(), is("a JSON object whose field entities is an array of objects"));
  }

  @Test
  void recordsRejectsAMalformedStoredPage() {
    IOException e = assertThrows(IOException.class,
        () -> RecordSelector.rootArray().records(bytes("[{")));
    assertThat(e.getMessage(), startsWith("not a JSON array of objects: Unexpected end-of-input"));
  }

  @Test
  void recordsAtANestedPathAndNestedCursorFieldsAreRead() throws Exception {
    String body = "{\"meta\":{\"n\":2},\"data\":{\"total\":2,\"items\":["
        + "{\"uuid\":\"a\",\"properties\":{\"tags\":[{\"updated_at\":\"x\"}],"
        + "\"updated_at\":\"2020-06-07T03:40:05Z\",\"identifier\":{\"value\":\"A\"}}},"
        + "{\"properties\":{\"updated_at\":{\"value\":\"not a scalar\"}},\"uuid\":\"b\"}]}}";
    RecordSelector.Selection p = RecordSelector.at("data.items").select(bytes(body),
        List.of("properties.updated_at", "uuid", "properties.identifier.value"));
    assertThat(p.records(), contains("{\"uuid\":\"a\",\"properties\":{\"tags\":"
        + "[{\"updated_at\":\"x\"}],\"updated_at\":\"2020-06-07T03:40:05Z\","
        + "\"identifier\":{\"value\":\"A\"}}}", "{\"properties\":{\"updated_at\":"
        + "{\"value\":\"not a scalar\"}},\"uuid\":\"b\"}"));
    assertThat(p.values("properties.updated_at"), contains("2020-06-07T03:40:05Z", null));
    assertThat(p.values("uuid"), contains("a", "b"));
    assertThat(p.values("properties.identifier.value"), contains("A", null));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"data\":{\"total\":1}}|the object has no field data.items",
      "{\"data\":[]}|the field data is [, not an object",
      "{\"data\":{\"items\":{}}}|the field data.items is {, not an array"})
  void aNestedPathThatIsNotThereIsAMalformedAnswer(String body, String detail) {
    MalformedAnswerException e = assertThrows(MalformedAnswerException.class,
        () -> RecordSelector.at("$.data.items").select(bytes(body), List.of()));
    assertThat(e.getMessage(), is(detail));
    assertThat(e.expected(), is("a JSON object whose field data.items is an array of objects"));
  }

  @Test
  void theRootPathIsTheRootArrayAndABadPathIsRefused() throws Exception {
    assertThat(RecordSelector.at("$"), is(RecordSelector.rootArray()));
    assertThat(RecordSelector.at("entities"), is(RecordSelector.field("entities")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RecordSelector.at("data[*]"));
    assertThat(e.getMessage(), startsWith("a JSON path must be $ or field names joined by dots"));
  }
}
