package dev.intake.transforms.sources.rest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.sources.MapSpecSection;
import dev.intake.transforms.sources.SourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import java.util.stream.Stream;

/**
 * Every bad value of a spec-declared source fails at spec load with one line naming the line. In
 * the Crunchbase section of {@link Specs}, keys sit on lines 2 (type) to 16 (maxPageSize); a new
 * key is on line 17, and the keys of a nested section start on the line after it.
 */
class HttpSourceTypeTest {
  private static final MapSpecSection CB = Specs.crunchbase("https://api.crunchbase.com");

  private static Map<String, Object> bodyWithout(String key) {
    Map<String, Object> body = Specs.map();
    body.put("field_ids", List.of("uuid"));
    body.put("limit", "${limit}");
    if (!key.equals("after_id")) {
      body.put("after_id", "${cursor}");
    }
    return body;
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of(CB.with("method", "PUT"),
            "test.yaml:6: method must be GET or POST, but was PUT"),
        Arguments.of(CB.with("method", "GET"), "test.yaml:8: a body needs method: POST"),
        Arguments.of(CB.with("path", "api/v4"), "test.yaml:7: path must be a URL path from / (e.g."
            + " /api/v4/searches/organizations), without a query (that is what query: is for),"
            + " but was api/v4"),
        Arguments.of(CB.with("baseUrl", "ftp://x"), "test.yaml:5: baseUrl must be an http or"
            + " https URL without a query, such as https://api.example.com, but was ftp://x"),
        Arguments.of(CB.with("body", Specs.map("q", "${window.start}", "a", "${cursor}")),
            "test.yaml:8: body: unknown placeholder ${window.start} (known: cursor, cursor.field,"
                + " limit, offset, page, window.from, window.to)"),
        Arguments.of(CB.with("paginator", Specs.map("type", "offset")), "test.yaml:10: ${cursor}"
            + " is not set by the paginator offset (it sets limit, offset, page, window.from,"
            + " window.to)"),
        Arguments.of(CB.with("body", bodyWithout("after_id")), "test.yaml:10: the paginator keyset"
            + " needs ${cursor} in query, headers or body, or every page would be the first"),
        Arguments.of(CB.with("paginator", Specs.map("type", "link")), "test.yaml:11: paginator"
            + " type must be offset, pageNumber, cursor or keyset, but was link"),
        Arguments.of(CB.with("paginator", Specs.map("type", "keyset", "field", "updated_at")),
            "test.yaml:10: tiebreak is required"),
        Arguments.of(CB.with("paginator", Specs.map("type", "cursor", "fromRecord", "a",
            "fromResponse", "b")), "test.yaml:11: a cursor paginator needs either fromResponse"
            + " (a JSON path into the answer) or fromRecord (a path into the last record)"),
        Arguments.of(CB.with("records", "entities[0]"), "test.yaml:9: records: a JSON path must"
            + " be $ or field names joined by dots (e.g. entities, data.items,"
            + " properties.updated_at), but was 'entities[0]'"),
        Arguments.of(CB.with("pageSize", 2000), "test.yaml:15: pageSize must be a whole number"
            + " between 1 and 1000"),
        Arguments.of(CB.with("retryOn", List.of(429, 200)), "test.yaml:17: retryOn must list"
            + " HTTP statuses other than 200 (e.g. [429, 500, 502, 503, 504]), but has 200"),
        Arguments.of(CB.with("auth", Specs.map("type", "apiKey", "secretEnv", "CB_API_KEY")),
            "test.yaml:12: auth of type apiKey needs either header or query (the name the key is"
                + " sent under)"),
        Arguments.of(CB.with("auth", Specs.map("type", "apiKey", "header", "X-cb-user-key",
            "secretEnv", "cb key")), "test.yaml:14: secretEnv: env must name an environment"
                + " variable, but was cb key"),
        Arguments.of(CB.with("auth", Specs.map("type", "basic", "secretEnv", "X")),
            "test.yaml:12: auth type must be apiKey or bearer, but was basic"),
        Arguments.of(CB.with("rateLimit", Specs.map("requestsPerMinute", 0)), "test.yaml:13:"
            + " requestsPerMinute must be a whole number between 1 and 1000000"),
        Arguments.of(CB.with("errorMessage", "error..text"), "test.yaml:13: errorMessage: a JSON"
            + " path must be $ or field names joined by dots (e.g. entities, data.items,"
            + " properties.updated_at), but was 'error..text'"),
        Arguments.of(CB.with("check", Specs.map("path", "/x", "records", "$", "paginator",
            Specs.map("type", "offset"))), "test.yaml:20: the check is one request: it takes no"
            + " paginator"),
        Arguments.of(CB.with("deletions", Specs.map("path", "/api/v4/deleted_entities",
            "query", Specs.map("after_id", "${cursor}"), "records", "$",
            "paginator", Specs.map("type", "offset"))), "test.yaml:21: ${cursor} is not set by"
            + " the paginator offset (it sets limit, offset, page, window.from, window.to)"));
  }

  @ParameterizedTest
  @MethodSource("badSpecs")
  void aBadValueFailsAtSpecLoadNamingItsLine(MapSpecSection section, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new HttpSourceType().configure(section));
    assertThat(e.getMessage(), is(message));
  }

  @Test
  void anUnknownSettingIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new HttpSourceType().configure(CB.with("limit", 5)));
    assertThat(e.getMessage(), startsWith("test.yaml:17: unknown setting 'limit' (known here:"));
  }

  @Test
  void aDeletionsEndpointIsDeclaredWithTheSameKeys() {
    HttpSource source = (HttpSource) new HttpSourceType().configure(CB.with("deletions",
        Specs.map("format", "deleted_json", "deletedAt", "deleted_at",
            "path", "/api/v4/deleted_entities/organizations",
            "query", Specs.map("after_id", "${cursor}", "limit", "${limit}"),
            "records", "$",
            "paginator", Specs.map("type", "cursor", "fromRecord", "uuid"))));
    assertThat(source.deletionsEndpoint().orElseThrow().toString(),
        is("GET /api/v4/deleted_entities/organizations (cursor uuid, records at $)"));
    assertThat(source.records().toString(), is("POST /api/v4/searches/organizations (keyset"
        + " properties.updated_at, uuid, records at entities)"));
    assertThat(source.secretEnvs(), is(List.of("CB_API_KEY")));
    assertThat(source.deletions(),
        is(new dev.intake.transforms.sources.ApiSource.Deletions("deleted_json", "deleted_at")));
  }

  @Test
  void aDeletionsEndpointNeedsTheFormatOfItsRecords() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new HttpSourceType().configure(CB.with("deletions",
            Specs.map("deletedAt", "deleted_at", "path", "/api/v4/deleted_entities/organizations",
                "query", Specs.map("after_id", "${cursor}"), "records", "$",
                "paginator", Specs.map("type", "cursor", "fromRecord", "uuid")))));
    assertThat(e.getMessage(), containsString("format is required"));
  }

  @Test
  void theTypeIsFoundByTheServiceLoader() {
    List<String> names = new ArrayList<>();
    ServiceLoader.load(SourceType.class).forEach(t -> names.add(t.name()));
    assertThat(names, hasItem("http"));
  }
}
