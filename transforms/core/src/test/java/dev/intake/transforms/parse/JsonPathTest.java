package dev.intake.transforms.parse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPathTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode ekohe() throws Exception {
    return JSON.readTree(
        JsonPathTest.class.getResourceAsStream("/crunchbase/organization_ekohe_entity.json"));
  }

  private static String at(String path, JsonNode record) {
    JsonNode v = JsonPath.parse(path).evaluate(record);
    return v == null ? null : v.isValueNode() ? v.asText() : v.toString();
  }

  @Test
  void walksNestedObjects() throws Exception {
    assertEquals("ekohe", at("properties.identifier.permalink", ekohe()));
    assertEquals("Ekohe", at("properties.identifier.value", ekohe()));
    assertEquals("2007-02-01", at("properties.founded_on.value", ekohe()));
    assertEquals("day", at("properties.founded_on.precision", ekohe()));
    assertEquals("9fe491b2-b6a1-5c87-0f4d-226dd0cc97a9", at("uuid", ekohe()));
  }

  @Test
  void everyElementGivesAList() throws Exception {
    assertEquals(
        "[\"Apps\",\"Artificial Intelligence\",\"Big Data\",\"Blockchain\",\"Cryptocurrency\","
            + "\"Enterprise Software\",\"iOS\",\"Machine Learning\",\"Retail\",\"UX Design\"]",
        at("properties.categories[*].value", ekohe()));
    assertEquals("[\"company\",\"rank\"]", at("properties.facet_ids[*]", ekohe()));
    assertEquals("[]", at("properties.permalink_aliases[*]", ekohe()));
    assertTrue(JsonPath.parse("a[*].b").yieldsList());
    assertFalse(JsonPath.parse("a[type=x].b").yieldsList());
  }

  @Test
  void selectsTheFirstElementWhoseFieldHasTheValue() throws Exception {
    String base = "properties.location_identifiers[location_type=";
    assertEquals("Shanghai", at(base + "city].value", ekohe()));
    assertEquals("shanghai-china", at(base + "region].permalink", ekohe()));
    assertEquals("China", at(base + "country].value", ekohe()));
    assertNull(at(base + "planet].value", ekohe()));
  }

  @Test
  void absentAnywhereIsNull() throws Exception {
    JsonNode vuz =
        JSON.readTree(
            JsonPathTest.class.getResourceAsStream("/crunchbase/organization_360vuz_entity.json"));
    assertNull(at("properties.funding_total.value_usd", vuz));
    assertNull(at("properties.categories[*].value", vuz));
    assertNull(at("properties.location_identifiers[location_type=city].value", vuz));
    assertNull(at("properties.name.first", vuz));
    assertEquals("360vuz", at("properties.identifier.permalink", vuz));
    assertNull(at("a.b", JSON.readTree("{\"a\":null}")));
    assertEquals("[]", at("a[*].v", JSON.readTree("{\"a\":[{\"w\":1},null]}")));
  }

  @Test
  void aTopLevelKeySpelledLikeThePathWins() throws Exception {
    JsonNode r = JSON.readTree("{\"a.b\": 1, \"a\": {\"b\": 2}, \":updated_at\": \"t\"}");
    assertEquals("1", at("a.b", r));
    assertEquals("t", at(":updated_at", r));
    assertEquals("2", at("a.b", JSON.readTree("{\"a\": {\"b\": 2}}")));
  }

  @Test
  void aBackslashEscapes() throws Exception {
    JsonNode r = JSON.readTree("{\"x\": {\"a.b\": 1, \"c[0]\": 2}, \"l\": [{\"k\": \"v]w\"}]}");
    assertEquals("1", at("x.a\\.b", r));
    assertEquals("2", at("x.c\\[0\\]", r));
    assertEquals("{\"k\":\"v]w\"}", at("l[k=v\\]w]", r));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a..b        | bad JSON path 'a..b' at character 3: a key is empty",
        ".a          | bad JSON path '.a' at character 1: a key is empty",
        "a.          | bad JSON path 'a.' at character 3: a key is empty",
        "a[x]        | bad JSON path 'a[x]' at character 4: a selector is [*] or [field=value]",
        "a[]         | bad JSON path 'a[]' at character 3: a selector is [*] or [field=value]",
        "a[k=v       | bad JSON path 'a[k=v' at character 6: ']' is missing",
        "a]b         | bad JSON path 'a]b' at character 2: unexpected ']' in a key (escape it with '\\')",
        "a[*]b       | bad JSON path 'a[*]b' at character 5: expected '.' or '['",
        "a\\         | bad JSON path 'a\\' at character 2: a '\\' must be followed by the character it escapes",
      })
  void badSyntaxIsOneLine(String path, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JsonPath.parse(path));
    assertThat(e.getMessage(), is(message));
  }
}
