package dev.intake.transforms.sources.rest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateTest {
  private static final Instant FROM = Instant.parse("2024-03-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2024-03-02T06:30:00Z");

  private static Template.Bindings bindings(Object... more) {
    Map<String, Object> v = new HashMap<>();
    v.put("window.from", FROM);
    v.put("window.to", TO);
    v.put("limit", 1000L);
    for (int i = 0; i < more.length; i += 2) {
      v.put((String) more[i], more[i + 1]);
    }
    return new Template.Bindings(v);
  }

  private static final String SEARCH = "{\"field_ids\":[\"uuid\",\"name\"],"
      + "\"query\":[{\"type\":\"predicate\",\"field_id\":\"updated_at\",\"operator_id\":\"gte\","
      + "\"values\":[\"${window.from}\"]}],\"limit\":\"${limit}\",\"after_id\":\"${cursor}\"}";

  @Test
  void aBodyGetsTheWindowAndTheLimitAsNumberAndLeavesOutTheUnsetCursor() {
    Template t = Template.ofJson(SEARCH);
    assertThat(t.render(bindings()).toString(), is("{\"field_ids\":[\"uuid\",\"name\"],"
        + "\"query\":[{\"type\":\"predicate\",\"field_id\":\"updated_at\",\"operator_id\":\"gte\","
        + "\"values\":[\"2024-03-01T00:00:00Z\"]}],\"limit\":1000}"));
    assertThat(t.render(bindings("cursor", "u-7")).toString(), is("{\"field_ids\":[\"uuid\","
        + "\"name\"],\"query\":[{\"type\":\"predicate\",\"field_id\":\"updated_at\","
        + "\"operator_id\":\"gte\",\"values\":[\"2024-03-01T00:00:00Z\"]}],\"limit\":1000,"
        + "\"after_id\":\"u-7\"}"));
  }

  @Test
  void aListElementWithAnUnsetPlaceholderIsLeftOutAndOthersStay() {
    Template t = Template.ofJson("[\"${cursor}\",\"a\",7,true,null]");
    assertThat(t.render(bindings()).toString(), is("[\"a\",7,true,null]"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "${window.to}|2024-03-02T06:30:00Z",
      "${window.to:instant}|2024-03-02T06:30:00Z",
      "${window.to:date}|2024-03-02",
      "${window.to:epochSeconds}|1709361000",
      "${window.to:epochMillis}|1709361000000",
      "since ${window.from:epochSeconds}, n < ${limit}|since 1709251200, n < 1000"})
  void boundsAreWrittenInTheNamedFormatAndSplicedIntoText(String template, String expected) {
    assertThat(Template.ofText(template).renderText(bindings()), is(expected));
  }

  @Test
  void aTextWithAnyUnsetPlaceholderIsLeftOutWhole() {
    assertThat(Template.ofText("after ${cursor.field} / ${cursor}")
        .renderText(bindings("cursor", "u1")), nullValue());
    assertThat(Template.ofText("after ${cursor.field} / ${cursor}")
        .renderText(bindings("cursor", "u1", "cursor.field", "t1")), is("after t1 / u1"));
  }

  @Test
  void placeholdersAreListedInOrder() {
    assertThat(Template.ofJson(SEARCH).placeholders(), contains("window.from", "limit",
        "cursor"));
  }

  @Test
  void anUnknownPlaceholderOrFormatIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Template.ofText("${window.start}"));
    assertThat(e.getMessage(), is("unknown placeholder ${window.start} (known: cursor,"
        + " cursor.field, limit, offset, page, window.from, window.to)"));
    e = assertThrows(IllegalArgumentException.class, () -> Template.ofText("${limit:date}"));
    assertThat(e.getMessage(), is("unknown format 'date' in ${limit:date} (only window bounds"
        + " have one: instant, date, epochSeconds, epochMillis)"));
    e = assertThrows(IllegalArgumentException.class, () -> Template.ofText("${window.to:iso}"));
    assertThat(e.getMessage(), is("unknown format 'iso' in ${window.to:iso} (only window bounds"
        + " have one: instant, date, epochSeconds, epochMillis)"));
  }
}
