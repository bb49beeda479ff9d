package dev.intake.transforms.parse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.SourceRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** JSON paths, list and date fields, on the shapes of Crunchbase's organization entities. */
class RecordParserPathsTest {
  private static final List<FieldDef> FIELDS =
      List.of(
          FieldDef.of("uuid", FieldType.STRING),
          FieldDef.of("permalink", FieldType.STRING),
          FieldDef.of("name", FieldType.STRING),
          FieldDef.of("categories", FieldType.STRING_LIST),
          FieldDef.of("city", FieldType.STRING),
          FieldDef.of("region", FieldType.STRING),
          FieldDef.of("country", FieldType.STRING),
          FieldDef.of("founded_on", FieldType.DATE),
          FieldDef.of("founded_on_precision", FieldType.STRING),
          FieldDef.of("funding_usd", FieldType.DOUBLE),
          FieldDef.of("facet_ids", FieldType.STRING_LIST),
          FieldDef.of("aliases", FieldType.STRING_LIST),
          FieldDef.of("identifier", FieldType.STRING),
          FieldDef.of("updated_at", FieldType.TIMESTAMP));

  private static final RecordFormat FORMAT = format(columns());

  private static Map<String, String> columns() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("properties.identifier.permalink", "permalink");
    c.put("properties.identifier.value", "name");
    c.put("properties.categories[*].value", "categories");
    c.put("properties.location_identifiers[location_type=city].value", "city");
    c.put("properties.location_identifiers[location_type=region].value", "region");
    c.put("properties.location_identifiers[location_type=country].value", "country");
    c.put("properties.founded_on.value", "founded_on");
    c.put("properties.founded_on.precision", "founded_on_precision");
    c.put("properties.funding_total.value_usd", "funding_usd");
    c.put("properties.facet_ids", "facet_ids");
    c.put("properties.permalink_aliases", "aliases");
    c.put("properties.identifier", "identifier");
    c.put("properties.updated_at", "updated_at");
    return c;
  }

  private static RecordFormat format(Map<String, String> columns) {
    return RecordFormat.of(
        "entities", RecordFormat.Kind.JSON, columns, List.of("yyyy-MM-dd'T'HH:mm:ssX"), "UTC");
  }

  private static SourceRecord resource(String name) throws IOException {
    try (InputStream in = RecordParserPathsTest.class.getResourceAsStream("/crunchbase/" + name)) {
      return json(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static SourceRecord json(String text) {
    return SourceRecord.of("window-1/page-0", 0, 3, text, null);
  }

  @Test
  void flattensAnOrganizationEntity() throws IOException {
    RecordParser.Outcome out = new RecordParser(FIELDS, FORMAT).parse(resource("organization_ekohe_entity.json"));

    assertTrue(out.ok(), () -> String.valueOf(out.reasons));
    Row r = out.row;
    assertEquals("9fe491b2-b6a1-5c87-0f4d-226dd0cc97a9", r.getString("uuid"));
    assertEquals("ekohe", r.getString("permalink"));
    assertEquals("Ekohe", r.getString("name"));
    assertThat(
        r.getArray("categories"),
        contains("Apps", "Artificial Intelligence", "Big Data", "Blockchain", "Cryptocurrency",
            "Enterprise Software", "iOS", "Machine Learning", "Retail", "UX Design"));
    assertEquals("Shanghai", r.getString("city"));
    assertEquals("Shanghai", r.getString("region"));
    assertEquals("China", r.getString("country"));
    assertEquals(LocalDate.of(2007, 2, 1), r.getLogicalTypeValue("founded_on", LocalDate.class));
    assertEquals("day", r.getString("founded_on_precision"));
    assertNull(r.getValue("funding_usd"));
    assertThat(r.getArray("facet_ids"), contains("company", "rank"));
    assertEquals(List.of(), List.copyOf(r.getArray("aliases")));
    assertEquals(
        "{\"uuid\":\"9fe491b2-b6a1-5c87-0f4d-226dd0cc97a9\",\"value\":\"Ekohe\","
            + "\"image_id\":\"v1500646625/zhionn8nlgbkz4lj7ilz.png\",\"permalink\":\"ekohe\","
            + "\"entity_def_id\":\"organization\"}",
        r.getString("identifier"));
    assertEquals(Instant.parse("2022-07-19T01:29:26Z"), r.getDateTime("updated_at"));
  }

  @Test
  void absentPropertiesAreNull() throws IOException {
    RecordParser.Outcome out = new RecordParser(FIELDS, FORMAT).parse(resource("organization_360vuz_entity.json"));

    assertTrue(out.ok(), () -> String.valueOf(out.reasons));
    Row r = out.row;
    assertEquals("360vuz", r.getString("permalink"));
    assertEquals("360VUZ", r.getString("name"));
    for (String f :
        List.of("categories", "city", "country", "founded_on", "founded_on_precision",
            "funding_usd", "facet_ids", "aliases", "updated_at")) {
      assertNull(r.getValue(f), f);
    }
  }

  @Test
  void moneyValueUsdIsANumber() {
    RecordParser.Outcome out =
        new RecordParser(FIELDS, FORMAT)
            .parse(json("{\"uuid\":\"u\",\"properties\":{\"funding_total\":"
                + "{\"value\":1500000,\"currency\":\"EUR\",\"value_usd\":1623450.5}}}"));

    assertEquals(1623450.5, out.row.getDouble("funding_usd"));
  }

  @Test
  void listElementsAreConvertedAndBadOnesDeadLetterTheRecord() {
    List<FieldDef> fields =
        List.of(
            FieldDef.of("ids", FieldType.LONG_LIST).withNullValues(List.of("-1")),
            FieldDef.of("scores", FieldType.DOUBLE_LIST));
    RecordParser parser = new RecordParser(fields, format(Map.of("a[*].n", "ids")));

    RecordParser.Outcome ok =
        parser.parse(json("{\"a\":[{\"n\":3},{\"n\":\"4\"},{},{\"n\":null},{\"n\":-1},{\"n\":5}],"
            + "\"scores\":[1.5, 2, null, \"\"]}"));
    assertThat(ok.row.getArray("ids"), contains(3L, 4L, 5L));
    assertThat(ok.row.getArray("scores"), contains(1.5, 2.0));

    RecordParser.Outcome bad =
        parser.parse(json("{\"a\":[{\"n\":3},{\"n\":\"x\"}],\"scores\":\"1.5\"}"));
    assertFalse(bad.ok());
    assertEquals(List.of("type:ids", "type:scores"), bad.codes);
    assertEquals(
        List.of("ids[1]: 'x' is not a whole number",
            "scores: '1.5' is not a list (expected a JSON array)"),
        bad.reasons);
  }

  @Test
  void aCsvListIsTheJsonTextOfAnArray() {
    List<FieldDef> fields =
        List.of(FieldDef.of("id", FieldType.LONG), FieldDef.of("tags", FieldType.STRING_LIST));
    RecordFormat csv =
        RecordFormat.of("export", RecordFormat.Kind.CSV, Map.of(), List.of("yyyy"), "UTC");
    RecordParser parser = new RecordParser(fields, csv);

    Row row = parser.parse(SourceRecord.of("f.csv", 2, 0, "1,\"[\"\"a\"\",\"\"b,c\"\"]\"", "id,tags")).row;
    assertThat(row.getArray("tags"), contains("a", "b,c"));
    assertNull(parser.parse(SourceRecord.of("f.csv", 3, 0, "2,", "id,tags")).row.getValue("tags"));
  }

  @Test
  void datesFollowTheFormatsDatePatterns() {
    List<FieldDef> fields = List.of(FieldDef.of("d", FieldType.DATE));
    RecordParser iso = new RecordParser(fields, format(Map.of()));
    RecordParser us =
        new RecordParser(fields, format(Map.of()).withDatePatterns(List.of("MM/dd/yyyy")));

    assertEquals(LocalDate.of(2013, 1, 1),
        iso.parse(json("{\"d\":\"2013-01-01\"}")).row.getLogicalTypeValue("d", LocalDate.class));
    assertEquals(LocalDate.of(2013, 12, 31),
        us.parse(json("{\"d\":\"12/31/2013\"}")).row.getLogicalTypeValue("d", LocalDate.class));
    RecordParser.Outcome bad = iso.parse(json("{\"d\":\"2013-02-30\"}"));
    assertEquals(List.of("type:d"), bad.codes);
    assertEquals(List.of("d: '2013-02-30' is not a date (expected yyyy-MM-dd)"), bad.reasons);
  }

  @Test
  void topLevelNamesWithSpecialCharactersStillWork() {
    List<FieldDef> fields =
        List.of(FieldDef.of("updated", FieldType.STRING), FieldDef.of("dotted", FieldType.STRING));
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put(":updated_at", "updated");
    columns.put("a.b", "dotted");
    RecordParser parser = new RecordParser(fields, format(columns));

    Row row = parser.parse(json("{\":updated_at\":\"t\",\"a.b\":\"literal\",\"a\":{\"b\":\"nested\"}}")).row;
    assertEquals("t", row.getString("updated"));
    assertEquals("literal", row.getString("dotted"));
    assertEquals("nested",
        parser.parse(json("{\"a\":{\"b\":\"nested\"}}")).row.getString("dotted"));
  }
}
