package dev.intake.transforms.sources.socrata;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SocrataPageParserTest {
  /** Shaped like a real SODA answer: objects separated by "\n,", a newline after the array. */
  private static final String BODY = "[{\":id\":\"row-a\","
      + "\":updated_at\":\"2021-07-10T01:00:00.000Z\",\"z\":\"1\","
      + "\"a\":\"caf\u00e9 \\\"q\\\" \\u00e9\",\"point\":{\"type\":\"Point\","
      + "\"coordinates\":[-122.41,37.77]},\"n\":1.50}\n"
      + ",{\":id\":\"row-b\",\"tags\":[{\":id\":\"nested\"}],\":updated_at\":null}\n"
      + ",{}]\n";

  @Test
  void eachRecordIsItsExactTextInPageOrder() throws Exception {
    PageParser.Parsed p = PageParser.parse(BODY.getBytes(StandardCharsets.UTF_8), ":updated_at");
    assertThat(p.records(), contains(
        "{\":id\":\"row-a\",\":updated_at\":\"2021-07-10T01:00:00.000Z\",\"z\":\"1\","
            + "\"a\":\"caf\u00e9 \\\"q\\\" \\u00e9\",\"point\":{\"type\":\"Point\","
            + "\"coordinates\":[-122.41,37.77]},\"n\":1.50}",
        "{\":id\":\"row-b\",\"tags\":[{\":id\":\"nested\"}],\":updated_at\":null}",
        "{}"));
    assertThat(p.ids(), contains("row-a", "row-b", null));
    assertThat(p.windowValues(), contains("2021-07-10T01:00:00.000Z", null, null));
  }

  @Test
  void aRealSodaPageSplitsIntoItsRows() throws Exception {
    // data.cityofnewyork.us/resource/uczf-rk3c.json?$limit=1, as received (2025-05-03).
    String real = "[{\"countid\":\"19831896\",\"id\":\"100009425\","
        + "\"date\":\"2023-06-03T00:00:00.000\",\"counts\":\"27\",\"status\":\"0\"}]\n";
    assertThat(Page.splitRecords(real.getBytes(StandardCharsets.UTF_8)), contains(
        "{\"countid\":\"19831896\",\"id\":\"100009425\",\"date\":\"2023-06-03T00:00:00.000\""
            + ",\"counts\":\"27\",\"status\":\"0\"}"));
  }

  @Test
  void anEmptyArrayHasNoRecords() throws Exception {
    assertThat(PageParser.parse("[]\n".getBytes(StandardCharsets.UTF_8), "x").records(), empty());
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
    PageParser.MalformedPageException e = assertThrows(PageParser.MalformedPageException.class,
        () -> PageParser.parse(body.getBytes(StandardCharsets.UTF_8), "x"));
    assertThat(e.getMessage(), startsWith(problem));
  }

  @Test
  void splitRecordsRejectsAMalformedStoredPage() {
    IOException e = assertThrows(IOException.class,
        () -> Page.splitRecords("[{".getBytes(StandardCharsets.UTF_8)));
    assertThat(e.getMessage(), startsWith("not a JSON array of objects: Unexpected end-of-input"));
  }
}
