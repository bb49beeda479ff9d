package dev.intake.testdata.socrata;

import dev.intake.testdata.http.Json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SoQL pieces of the fake server, without HTTP. */
class SocrataSoqlTest {
  private static Boolean eval(String where, Map<String, Object> row) {
    return SoqlWhere.eval(SoqlWhere.parse(where), row::get);
  }

  @Test
  void valuesCompareAsTimestampsThenNumbersThenText() {
    assertThat(SoqlValues.compare("2021-07-10T09:18:00.000", "2021-07-10T09:18:00"), is(0));
    assertThat(SoqlValues.compare("2021-07-10T09:18:00.000Z", "2021-07-10T02:18:00.000-07:00"), is(0));
    assertThat(SoqlValues.compare("2021-07-10T23:00:07.000Z", "2021-07-10T23:00:07.001"), lessThan(0));
    assertThat(SoqlValues.compare("2021-07-10", "2021-07-09T23:59:59.999"), greaterThan(0));
    assertThat(SoqlValues.compare("10", "9"), greaterThan(0));
    assertThat(SoqlValues.compare("-0.5", "0.000000000000"), lessThan(0));
    assertThat(SoqlValues.compare("Closed", "Open"), lessThan(0));
    assertThat(SoqlValues.compare("b", "B"), greaterThan(0));
    assertThat(SoqlValues.timestamp("2021-02-30T00:00:00.000"), nullValue());
    assertThat(SoqlValues.fixed(java.time.Instant.parse("2021-07-10T23:00:07.123456Z")),
        is("2021-07-10T23:00:07.123Z"));
  }

  @Test
  void andBindsTighterThanOrAndNullIsUnknown() {
    Map<String, Object> row = new HashMap<>(Map.of("a", "1", "b", "2"));
    assertThat(eval("a = '1' OR a = '9' AND b = '9'", row), is(true));
    assertThat(eval("(a = '1' OR a = '9') AND b = '9'", row), is(false));
    assertThat(eval("missing = 'x'", row), nullValue());
    assertThat(eval("NOT missing = 'x'", row), nullValue());
    assertThat(eval("missing = 'x' OR a = '1'", row), is(true));
    assertThat(eval("missing = 'x' AND a = '2'", row), is(false));
    assertThat(eval("missing IS NULL AND a IS NOT NULL", row), is(true));
    assertThat(eval("a BETWEEN '0' AND '1' and b not in ('3', 4)", row), is(true));
    assertThat(eval("`a` <> 1", row), is(false));
    row.put("o'k", "it's");
    assertThat(eval("`o'k` = 'it''s'", row), is(true));
  }

  @Test
  void keysetConditionOnSystemFields() {
    String where = "(:updated_at > '2021-07-10T23:00:07.000Z') OR "
        + "(:updated_at = '2021-07-10T23:00:07.000Z' AND :id > 'row-m')";
    assertThat(eval(where, Map.of(":updated_at", "2021-07-10T23:00:08.000Z", ":id", "row-a")), is(true));
    assertThat(eval(where, Map.of(":updated_at", "2021-07-10T23:00:07.000Z", ":id", "row-z")), is(true));
    assertThat(eval(where, Map.of(":updated_at", "2021-07-10T23:00:07.000Z", ":id", "row-a")), is(false));
    assertThat(eval(where, Map.of(":updated_at", "2021-07-10T23:00:06.999Z", ":id", "row-z")), is(false));
  }

  @Test
  void parseErrorsSayWhere() {
    SoqlException e = assertThrows(SoqlException.class, () -> SoqlWhere.parse("a = 'x' AND (b = 'y'"));
    assertThat(e.status, is(400));
    assertThat(e.code, is("query.compiler.malformed"));
    assertThat(e.getMessage(), containsString("character 21"));
    assertThat(e.body(), containsString("\"code\" : \"query.compiler.malformed\""));
    for (String bad : List.of("", "a =", "= 'x'", "a = 'x' b", "a ! 'x'", "a = 'x", "and = 'x'",
        "a IS 'x'", "a BETWEEN '1' OR '2'")) {
      assertThat(bad, assertThrows(SoqlException.class, () -> SoqlWhere.parse(bad)).status, is(400));
    }
    assertThat(assertThrows(SoqlException.class, () -> SoqlWhere.parse("a like 'x%'")).status, is(501));
  }

  @Test
  void jsonRoundTripsSocrataBodies() {
    String page = "[{\"a\":\"x\\\"y\",\"point\":{\"latitude\":\"37.7\",\"human_address\":"
        + "\"{\\\"address\\\": \\\"\\\"}\"}}\n,{\"a\":\"\u2026\\n\"}]\n";
    Object parsed = Json.parse(page);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) parsed;
    assertThat(ResourceQuery.write(rows), is(page));
    assertThat(Json.writePretty(Map.of("code", "x")), is("{\n  \"code\" : \"x\"\n}\n"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("[{\"a\":\"x\"}\n,{\"a\""));
  }
}
