package dev.intake.testdata.crunchbase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.intake.testdata.http.Fault;
import dev.intake.testdata.http.Json;
import dev.intake.testdata.http.RecordedRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeCrunchbaseServerTest {
  private static final String KEY = "test-key";
  private static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2020-06-01T00:00:00Z");
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private FakeCrunchbaseServer cb;

  @BeforeEach
  void start() throws IOException {
    cb = new FakeCrunchbaseServer().start();
    cb.requireUserKey(KEY);
    cb.organizations().generate(250, 42, FROM, TO);
  }

  @AfterEach
  void stop() {
    cb.close();
  }

  private HttpResponse<String> post(String body, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create(cb.baseUrl() + "/api/v4/searches/organizations"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("X-cb-user-key", key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(cb.baseUrl() + pathAndQuery))
        .header("X-cb-user-key", KEY).build(), HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(HttpResponse<String> r) {
    return (Map<String, Object>) Json.parse(r.body());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> entities(HttpResponse<String> r) {
    return (List<Map<String, Object>>) object(r).get("entities");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> props(Map<String, Object> entity) {
    return (Map<String, Object>) entity.get("properties");
  }

  private static String search(String gte, String lte, String after, int limit) {
    StringBuilder q = new StringBuilder("[{\"type\":\"predicate\",\"field_id\":\"updated_at\","
        + "\"operator_id\":\"gte\",\"values\":[\"" + gte + "\"]}");
    if (lte != null) {
      q.append(",{\"type\":\"predicate\",\"field_id\":\"updated_at\",\"operator_id\":\"lte\","
          + "\"values\":[\"" + lte + "\"]}");
    }
    q.append(']');
    return "{\"field_ids\":[\"uuid\",\"updated_at\",\"name\"],\"query\":" + q
        + ",\"order\":[{\"field_id\":\"updated_at\",\"sort\":\"asc\"}],\"limit\":" + limit
        + (after == null ? "" : ",\"after_id\":\"" + after + "\"") + "}";
  }

  @Test
  void afterIdFollowsTheRequestedOrderAcrossPagesWithoutGapsOrDoubles() throws Exception {
    List<String> seen = new ArrayList<>();
    List<String> times = new ArrayList<>();
    String after = null;
    int pages = 0;
    while (true) {
      HttpResponse<String> r = post(search("2020-01-01", null, after, 40), KEY);
      assertThat(r.statusCode(), is(200));
      assertThat(object(r).get("count"), is(new BigDecimal(250)));
      List<Map<String, Object>> page = entities(r);
      pages++;
      if (page.isEmpty()) {
        break;
      }
      for (Map<String, Object> e : page) {
        seen.add((String) e.get("uuid"));
        times.add((String) props(e).get("updated_at"));
      }
      after = (String) page.get(page.size() - 1).get("uuid");
    }
    assertThat(pages, is(8)); // 7 pages of up to 40, then the empty page past the end
    List<String> expected = cb.organizations().all().stream()
        .sorted(Comparator.<Map<String, Object>, String>comparing(
            e -> (String) e.get("updated_at")).thenComparing(e -> (String) e.get("uuid")))
        .map(e -> (String) e.get("uuid")).toList();
    assertThat(seen, equalTo(expected));
    List<String> sorted = new ArrayList<>(times);
    sorted.sort(null);
    assertThat(times, equalTo(sorted));
  }

  @Test
  void answersOnlyTheFieldIdsAskedForWithUuidAtTheTop() throws Exception {
    HttpResponse<String> r = post("{\"field_ids\":[\"name\",\"funding_total\"],\"limit\":5}", KEY);
    assertThat(r.statusCode(), is(200));
    for (Map<String, Object> e : entities(r)) {
      assertThat(e, hasKey("uuid"));
      assertThat(props(e).keySet(), everyItem(org.hamcrest.Matchers.in(
          List.of("name", "funding_total"))));
      assertThat(props(e), hasKey("name"));
    }
    assertThat(entities(r).size(), is(5));
  }

  @Test
  void gteAndLteBoundTheUpdateTimeInclusively() throws Exception {
    Map<String, Object> one = cb.organizations().all().get(7);
    String t = (String) one.get("updated_at");
    HttpResponse<String> r = post(search(t, t, null, 1000), KEY);
    List<Map<String, Object>> page = entities(r);
    assertThat(page.stream().map(e -> e.get("uuid")).toList().contains(one.get("uuid")),
        is(true));
    for (Map<String, Object> e : page) {
      assertThat((String) props(e).get("updated_at"), is(t));
    }
    HttpResponse<String> late = post(search("2020-03-01", "2020-03-31T23:59:59Z", null, 1000),
        KEY);
    long expected = cb.organizations().all().stream()
        .map(e -> (String) e.get("updated_at"))
        .filter(u -> u.compareTo("2020-03-01T00:00:00Z") >= 0
            && u.compareTo("2020-03-31T23:59:59Z") <= 0).count();
    assertThat(((BigDecimal) object(late).get("count")).longValue(), is(expected));
    assertThat(entities(late).size(), is((int) expected));
  }

  @Test
  void refusesGtOnADatetimeALimitAbove1000AndAnUnknownAfterId() throws Exception {
    HttpResponse<String> gt = post("{\"field_ids\":[\"uuid\"],\"query\":[{\"type\":\"predicate\","
        + "\"field_id\":\"updated_at\",\"operator_id\":\"gt\",\"values\":[\"2020-01-01\"]}]}", KEY);
    assertThat(gt.statusCode(), is(400));
    assertThat(object(gt).get("code"), is("MD100"));
    assertThat((String) object(gt).get("error"), containsString("Operator gt"));
    HttpResponse<String> big = post("{\"field_ids\":[\"uuid\"],\"limit\":1001}", KEY);
    assertThat(big.statusCode(), is(400));
    HttpResponse<String> max = post("{\"field_ids\":[\"uuid\"],\"limit\":1000}", KEY);
    assertThat(max.statusCode(), is(200));
    assertThat(entities(max).size(), is(250));
    HttpResponse<String> unknown = post(search("2020-01-01", null,
        "00000000-0000-0000-0000-000000000000", 10), KEY);
    assertThat(unknown.statusCode(), is(400));
    assertThat((String) object(unknown).get("error"), containsString("after_id"));
  }

  @Test
  void defaultLimitIs100AndBeforeIdGivesThePreviousPage() throws Exception {
    HttpResponse<String> first = post("{\"field_ids\":[\"uuid\"]}", KEY);
    assertThat(entities(first).size(), is(100));
    List<Map<String, Object>> page1 = entities(post(search("2020-01-01", null, null, 10), KEY));
    String tenth = (String) page1.get(9).get("uuid");
    List<Map<String, Object>> page2 = entities(post(search("2020-01-01", null, tenth, 10), KEY));
    String body = search("2020-01-01", null, null, 10).replace("}]}", "}]}")
        .replace("\"limit\":10", "\"limit\":10,\"before_id\":\"" + page2.get(0).get("uuid") + "\"");
    assertThat(entities(post(body, KEY)).stream().map(e -> e.get("uuid")).toList(),
        equalTo(page1.stream().map(e -> e.get("uuid")).toList()));
  }

  @Test
  void missingOrWrongKeyIs401AndTheQueryParameterAlsoWorks() throws Exception {
    HttpResponse<String> none = post("{\"field_ids\":[\"uuid\"]}", null);
    assertThat(none.statusCode(), is(401));
    assertThat(object(none).get("code"), is("LA401"));
    assertThat(post("{\"field_ids\":[\"uuid\"]}", "wrong").statusCode(), is(401));
    HttpResponse<String> viaParam = http.send(HttpRequest.newBuilder(
            URI.create(cb.baseUrl() + "/api/v4/searches/organizations?user_key=" + KEY))
        .POST(HttpRequest.BodyPublishers.ofString("{\"field_ids\":[\"uuid\"],\"limit\":1}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(viaParam.statusCode(), is(200));
  }

  @Test
  void upsertStampsNowAndDeleteMovesTheEntityToDeletedEntities() throws Exception {
    List<Map<String, Object>> all = cb.organizations().all();
    String changed = (String) all.get(0).get("uuid");
    String gone = (String) all.get(1).get("uuid");
    String gone2 = (String) all.get(2).get("uuid");
    cb.setNow(Instant.parse("2020-07-01T10:00:00Z"));
    assertThat(cb.organizations().upsert(Map.of("uuid", changed, "name", "Renamed")),
        is("2020-07-01T10:00:00Z"));
    cb.organizations().delete(gone);
    cb.advance(Duration.ofMinutes(5));
    cb.organizations().delete(gone2);
    List<Map<String, Object>> recent = entities(post(search("2020-07-01", null, null, 100), KEY));
    assertThat(recent.size(), is(1));
    assertThat(props(recent.get(0)).get("name"), is("Renamed"));
    HttpResponse<String> del = get("/api/v4/deleted_entities/organizations?limit=10");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) Json.parse(del.body());
    assertThat(rows.stream().map(r -> r.get("uuid")).toList(), contains(gone2, gone));
    assertThat(rows.get(0).get("deleted_at"), is("2020-07-01T10:05:00Z"));
    assertThat(rows.get(0).get("entity_def_id"), is("organization"));
    HttpResponse<String> next = get("/api/v4/deleted_entities?collection_ids=organizations"
        + "&limit=1&after_id=" + gone2);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> page2 = (List<Map<String, Object>>) Json.parse(next.body());
    assertThat(page2.stream().map(r -> r.get("uuid")).toList(), contains(gone));
    assertThat(get("/api/v4/deleted_entities/organizations?after_id=nope").statusCode(), is(400));
    assertThat(entities(post("{\"field_ids\":[\"uuid\"],\"limit\":1000}", KEY)).size(), is(248));
  }

  @Test
  void loadsTheRecordedSearchAnswerWithItsShapes() throws Exception {
    FakeCrunchbaseServer plain = new FakeCrunchbaseServer().start();
    try (plain) {
      plain.organizations().loadSearchAnswer(Files.readString(Path.of(
          "crunchbase/search_updated_since_2020-05-05_first100.json")));
      assertThat(plain.organizations().size(), is(100));
      Map<String, Object> anavara =
          plain.organizations().entity("2086ca71-54fa-cdc7-0f9a-907d05d8c6d9");
      assertThat(anavara.get("name"), is("Anavara Limited"));
    }
  }

  @Test
  void generatedEntitiesHaveTheRecordedNestedShapesAndLeaveFieldsOut() {
    List<Map<String, Object>> all = cb.organizations().all();
    long withoutFunding = all.stream().filter(e -> !e.containsKey("funding_total")).count();
    assertThat(withoutFunding, greaterThanOrEqualTo(20L));
    assertThat(withoutFunding, lessThanOrEqualTo(100L));
    Map<String, Object> e = all.stream().filter(x -> x.containsKey("funding_total")
        && x.containsKey("location_identifiers") && x.containsKey("founded_on")).findFirst()
        .orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> money = (Map<String, Object>) e.get("funding_total");
    assertThat(money.keySet(), contains("value", "currency", "value_usd"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> places = (List<Map<String, Object>>) e.get("location_identifiers");
    assertThat(places.stream().map(p -> p.get("location_type")).toList(),
        contains("city", "region", "country", "continent"));
    assertThat(new OrganizationGenerator(42).organizations(250, FROM, TO), equalTo(all));
    assertThat(all.get(0).keySet().stream().toList(),
        not(equalTo(all.get(1).keySet().stream().toList())));
  }

  @Test
  void injectsTooManyRequestsWithoutRetryAfterAndLogsTheBody() throws Exception {
    cb.failNext(1, FakeCrunchbaseServer.searches(), Fault.tooManyRequests());
    HttpResponse<String> r = post("{\"field_ids\":[\"uuid\"],\"limit\":3}", KEY);
    assertThat(r.statusCode(), is(429));
    assertThat(r.headers().firstValue("Retry-After").orElse(null), nullValue());
    assertThat(object(r).get("code"), is("RL429"));
    assertThat(post("{\"field_ids\":[\"uuid\"],\"limit\":3}", KEY).statusCode(), is(200));
    List<RecordedRequest> log = cb.requests(FakeCrunchbaseServer.searches());
    assertThat(log.size(), is(2));
    assertThat(log.get(0).fault(), is(Fault.tooManyRequests()));
    assertThat(log.get(1).rows(), is(3));
    assertThat(log.get(1).bodyText(), containsString("\"limit\":3"));
  }

  @Test
  void seededRandomFaultsHitTheSameRequestNumbersEveryRun() throws Exception {
    List<Integer> failed = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      try (FakeCrunchbaseServer s = new FakeCrunchbaseServer().start()) {
        s.failRandomly(0.3, 11, Fault.serverError(), Fault.tooManyRequests());
        for (int i = 0; i < 20; i++) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                  URI.create(s.baseUrl() + "/api/v4/searches/organizations"))
              .POST(HttpRequest.BodyPublishers.ofString("{\"field_ids\":[\"uuid\"]}")).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            failed.add(i);
          }
        }
      }
    }
    assertThat(failed, not(empty()));
    assertThat(failed.subList(0, failed.size() / 2), equalTo(failed.subList(failed.size() / 2,
        failed.size())));
  }
}
