package dev.intake.transforms.sources.rest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.sources.ApiTuning;
import dev.intake.transforms.sources.SourceAccessException;
import dev.intake.transforms.sources.http.ApiException;
import dev.intake.transforms.sources.http.Page;
import dev.intake.transforms.sources.http.PagedWindowFetcher;
import dev.intake.transforms.sources.http.ScriptedServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spec-declared sources against a scripted server: paging, auth placements, secrets, access. */
class HttpSourceTest {
  private static final Instant FROM = Instant.parse("2024-03-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2024-03-02T00:00:00Z");
  private static final String KEY = "s3cr3t-key+/=";
  private static final Map<String, String> ENV = Map.of("CB_API_KEY", KEY, "ITEMS_KEY", KEY,
      "TOKEN", KEY);
  private static final ApiTuning FAST = ApiTuning.defaults().withRequestsPerMinute(1_000_000);

  private ScriptedServer server;
  private final List<Duration> sleeps = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static HttpSource source(dev.intake.transforms.sources.SpecSection section) {
    return (HttpSource) new HttpSourceType().configure(section);
  }

  private PagedWindowFetcher fetcher(HttpSource source) {
    HttpSource.Run run = source.run(FAST);
    return run.fetcher(run.requester(ENV::get, sleeps::add, Clock.systemUTC()));
  }

  private List<Page> fetch(HttpSource source) throws Exception {
    List<Page> pages = new ArrayList<>();
    try (PagedWindowFetcher f = fetcher(source)) {
      f.fetchWindow(FROM, TO, pages::add);
    }
    return pages;
  }

  private static String org(String uuid, String updatedAt) {
    return "{\"uuid\":\"" + uuid + "\",\"properties\":{\"identifier\":{\"value\":\"" + uuid
        + "\"},\"updated_at\":\"" + updatedAt + "\"}}";
  }

  private static String entities(String... orgs) {
    return "{\"count\":5,\"entities\":[" + String.join(",", orgs) + "]}";
  }

  private static String searchBody(String afterId, int limit) {
    return "{\"field_ids\":[\"identifier\",\"updated_at\"],\"query\":["
        + "{\"type\":\"predicate\",\"field_id\":\"updated_at\",\"operator_id\":\"gte\","
        + "\"values\":[\"2024-03-01T00:00:00Z\"]},"
        + "{\"type\":\"predicate\",\"field_id\":\"updated_at\",\"operator_id\":\"lte\","
        + "\"values\":[\"2024-03-02T00:00:00Z\"]}],"
        + "\"order\":[{\"field_id\":\"updated_at\",\"sort\":\"asc\"},"
        + "{\"field_id\":\"uuid\",\"sort\":\"asc\"}],\"limit\":" + limit
        + (afterId == null ? "" : ",\"after_id\":\"" + afterId + "\"") + "}";
  }

  @Test
  void crunchbasePagesFollowTheLastUuidAndTheKeyTravelsOnlyInItsHeader() throws Exception {
    server.then(200, entities(org("u1", "2024-03-01T01:00:00Z"), org("u2", "2024-03-01T02:00:00Z")))
        .then(200, entities(org("u3", "2024-03-01T02:00:00Z"), org("u4", "2024-03-01T05:00:00Z")))
        .then(200, entities(org("u5", "2024-03-01T09:00:00Z")));
    List<Page> pages = fetch(source(Specs.crunchbase(server.baseUrl())));
    assertThat(pages.stream().map(p -> p.records().size()).toList(), contains(2, 2, 1));
    assertThat(pages.get(2).records(), contains(org("u5", "2024-03-01T09:00:00Z")));
    assertThat(server.received().stream().map(ScriptedServer.Received::body).toList(),
        contains(searchBody(null, 2), searchBody("u2", 2), searchBody("u4", 2)));
    for (ScriptedServer.Received r : server.received()) {
      assertThat(r.method(), is("POST"));
      assertThat(r.header("X-cb-user-key"), is(KEY));
      assertThat(r.uri().toString(), is("/api/v4/searches/organizations"));
    }
    for (Page p : pages) {
      assertThat(p.requestUrl(), is(server.baseUrl() + "/api/v4/searches/organizations"));
    }
  }

  @Test
  void aServerWhoseAfterIdIgnoresTheOrderIsCaughtByUpdatedAtGoingBackwards() throws Exception {
    server.then(200, entities(org("u1", "2024-03-01T01:00:00Z"), org("u2", "2024-03-01T08:00:00Z")))
        .then(200, entities(org("u0", "2024-03-01T00:30:00Z"), org("u3", "2024-03-01T03:00:00Z")));
    try (PagedWindowFetcher f = fetcher(source(Specs.crunchbase(server.baseUrl())))) {
      List<Page> pages = new ArrayList<>();
      f.fetchWindow(FROM, TO, pages::add);
      assertThat(pages, hasSize(1));
      assertThat(f.stalledWindows(), is(1L));
    }
  }

  @Test
  void aPagePastTheEndWithNoEntitiesEndsPaging() throws Exception {
    server.then(200, entities(org("u1", "2024-03-01T01:00:00Z"), org("u2", "2024-03-01T02:00:00Z")))
        .then(200, entities());
    List<Page> pages = fetch(source(Specs.crunchbase(server.baseUrl())));
    assertThat(pages, hasSize(1));
    assertThat(server.received(), hasSize(2));
  }

  @Test
  void anOffsetGetSendsTheKeyAsAQueryParameterOnlyOnTheWire() throws Exception {
    server.then(200, "{\"data\":{\"total\":3,\"items\":[{\"id\":1},{\"id\":2}]}}")
        .then(200, "{\"data\":{\"items\":[{\"id\":3}]}}");
    List<Page> pages = fetch(source(Specs.offsetGet(server.baseUrl())));
    assertThat(pages.stream().map(Page::records).toList(),
        contains(List.of("{\"id\":1}", "{\"id\":2}"), List.of("{\"id\":3}")));
    String encoded = "s3cr3t-key%2B%2F%3D";
    assertThat(server.received().stream().map(r -> r.uri().toString()).toList(), contains(
        "/v1/items?since=1709251200&until=1709337600&offset=0&limit=2&api_key=" + encoded,
        "/v1/items?since=1709251200&until=1709337600&offset=2&limit=2&api_key=" + encoded));
    assertThat(pages.get(1).requestUrl(), is(server.baseUrl()
        + "/v1/items?since=1709251200&until=1709337600&offset=2&limit=2"));
    for (Page p : pages) {
      assertThat(new String(p.body(), StandardCharsets.UTF_8), not(containsString(KEY)));
    }
  }

  @Test
  void anErrorThatEchoesTheQueryKeyIsReportedWithoutIt() throws Exception {
    server.then(403, "{\"error\":{\"message\":\"key " + KEY + " not allowed at /v1/items?api_key="
        + "s3cr3t-key%2B/%3D\"}}");
    ApiException e = assertThrows(ApiException.class,
        () -> fetch(source(Specs.offsetGet(server.baseUrl()))));
    assertThat(e.getMessage(), is("Items answered 403 key <API key> not allowed at /v1/items?"
        + "api_key=<API key> for GET " + server.baseUrl()
        + "/v1/items?since=1709251200&until=1709337600&offset=0&limit=2"));
  }

  @Test
  void pageNumbersStartAtFirstPageAndAdvanceByOne() throws Exception {
    server.then(200, "[{\"id\":1},{\"id\":2}]").then(200, "[{\"id\":3}]");
    fetch(source(Specs.offsetGet(server.baseUrl())
        .with("query", Specs.map("page", "${page}", "per_page", "${limit}"))
        .with("records", "$")
        .with("paginator", Specs.map("type", "pageNumber", "firstPage", 1))));
    assertThat(server.received().stream().map(r -> r.uri().getQuery()).toList(), contains(
        "page=1&per_page=2&api_key=" + KEY, "page=2&per_page=2&api_key=" + KEY));
  }

  @Test
  void aCursorFromTheResponseIsPassedOnUntilTheAnswerHasNone() throws Exception {
    server.then(200, "{\"items\":[{\"id\":1},{\"id\":2}],\"meta\":{\"next\":\"c2\"}}")
        .then(200, "{\"items\":[{\"id\":3},{\"id\":4}],\"meta\":{\"next\":null}}");
    List<Page> pages = fetch(source(Specs.offsetGet(server.baseUrl())
        .with("query", Specs.map("cursor", "${cursor}", "n", "${limit}"))
        .with("records", "items")
        .with("auth", null)
        .with("paginator", Specs.map("type", "cursor", "fromResponse", "meta.next"))));
    assertThat(pages, hasSize(2));
    assertThat(server.received().stream().map(r -> r.uri().toString()).toList(),
        contains("/v1/items?n=2", "/v1/items?cursor=c2&n=2"));
  }

  @Test
  void aResponseCursorThatDoesNotMoveEndsPaging() throws Exception {
    server.then(200, "{\"items\":[{\"id\":1},{\"id\":2}],\"next\":\"c2\"}")
        .then(200, "{\"items\":[{\"id\":3},{\"id\":4}],\"next\":\"c2\"}");
    try (PagedWindowFetcher f = fetcher(source(Specs.offsetGet(server.baseUrl())
        .with("query", Specs.map("after", "${cursor}"))
        .with("records", "items")
        .with("paginator", Specs.map("type", "cursor", "fromResponse", "next"))))) {
      List<Page> pages = new ArrayList<>();
      f.fetchWindow(FROM, TO, pages::add);
      assertThat(pages, hasSize(1));
      assertThat(f.stalledWindows(), is(1L));
    }
  }

  @Test
  void aCursorFromANestedFieldOfTheLastRecordWithABearerToken() throws Exception {
    server.then(200, "[{\"meta\":{\"id\":\"a\"}},{\"meta\":{\"id\":\"b\"}}]")
        .then(200, "[]");
    fetch(source(Specs.offsetGet(server.baseUrl())
        .with("query", Specs.map("starting_after", "${cursor}"))
        .with("records", "$")
        .with("auth", Specs.map("type", "bearer", "secretEnv", "TOKEN"))
        .with("paginator", Specs.map("type", "cursor", "fromRecord", "meta.id"))));
    assertThat(server.received().stream().map(r -> r.uri().toString()).toList(),
        contains("/v1/items", "/v1/items?starting_after=b"));
    assertThat(server.received().get(1).header("Authorization"), is("Bearer " + KEY));
  }

  @Test
  void theAccessCheckAsksTheFirstPageOfAnEmptyWindowAndReportsARefusalInOneLine() {
    server.then(401, "{\"error\":\"Invalid " + KEY + "\",\"code\":\"CS401\"}");
    Clock clock = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);
    SourceAccessException e = assertThrows(SourceAccessException.class,
        () -> source(Specs.crunchbase(server.baseUrl())).prepare(FAST, line -> {}, ENV::get,
            clock));
    assertThat(e.getMessage(), is("Crunchbase answered 401 CS401 (Invalid <API key>) for POST "
        + server.baseUrl() + "/api/v4/searches/organizations"));
    assertThat(server.received().get(0).body(), is(searchBody(null, 1)
        .replace("2024-03-01T00:00:00Z", "2025-01-02T03:04:05Z")
        .replace("2024-03-02T00:00:00Z", "2025-01-02T03:04:05Z")));
  }

  @Test
  void aMissingKeyFailsTheCheckBeforeAnyRequest() {
    SourceAccessException e = assertThrows(SourceAccessException.class,
        () -> source(Specs.crunchbase(server.baseUrl())).prepare(FAST, line -> {},
            Map.<String, String>of()::get, Clock.systemUTC()));
    assertThat(e.getMessage(), is("the environment variable CB_API_KEY (auth.secretEnv) that"
        + " should hold the API key is not set or empty"));
    assertThat(server.received(), hasSize(0));
  }

  @Test
  void aDeclaredCheckIsTheRequestThePreparationSends() {
    server.then(200, "[]");
    List<String> log = new ArrayList<>();
    source(Specs.crunchbase(server.baseUrl())
        .with("check", Specs.map("path", "/api/v4/entities/organizations/x", "query",
            Specs.map("card_ids", "fields"), "records", "$"))).prepare(FAST, log::add,
                ENV::get, Clock.systemUTC());
    assertThat(server.received().get(0).uri().toString(),
        is("/api/v4/entities/organizations/x?card_ids=fields"));
    assertThat(server.received().get(0).method(), is("GET"));
    assertThat(log, contains("Crunchbase: " + server.baseUrl()
        + " POST /api/v4/searches/organizations, 2 per page, 1000000 requests/min"));
  }

  @Test
  void aPageSizeAboveTheSpecsMaximumIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> source(Specs.crunchbase(server.baseUrl())).run(FAST.withPageSize(1001)));
    assertThat(e.getMessage(), is("pageSize must be at most 1000 (the spec's maxPageSize), but"
        + " was 1001"));
  }
}
