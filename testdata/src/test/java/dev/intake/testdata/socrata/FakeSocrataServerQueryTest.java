package dev.intake.testdata.socrata;

import dev.intake.testdata.http.Json;
import dev.intake.testdata.http.RecordedRequest;
import static dev.intake.testdata.socrata.Http.column;
import static dev.intake.testdata.socrata.Http.object;
import static dev.intake.testdata.socrata.Http.row;
import static dev.intake.testdata.socrata.Http.rows;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeSocrataServerQueryTest {
  private static final Path REAL_RECORDS = Paths.get("sf311/api_2021-07_first50.jsonl");
  private static final String SF311 = "vw6y-z8j6";
  private static final String PATH = "/resource/" + SF311 + ".json";
  private static final String FIXED = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

  private FakeSocrataServer server;
  private SocrataDataset dataset;
  private Http http;

  @BeforeEach
  void start() throws IOException {
    server = new FakeSocrataServer().start();
    server.setNow(Instant.parse("2021-07-10T23:00:07Z"));
    dataset = server.addDataset(SF311);
    http = new Http(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Six hand-made cases: two clock ticks, two statuses, floating timestamps. */
  private void sixCases() {
    dataset.upsert(row("service_request_id", "1", "status_description", "Open",
        "updated_datetime", "2021-07-01T08:00:00.000", "supervisor_district", "10"));
    dataset.upsert(row("service_request_id", "2", "status_description", "Closed",
        "updated_datetime", "2021-07-02T08:00:00.000", "supervisor_district", "9"));
    dataset.upsert(row("service_request_id", "3", "status_description", "Closed",
        "updated_datetime", "2021-07-03T08:00:00.000", "supervisor_district", "2"));
    server.advance(Duration.ofHours(1));
    dataset.upsert(row("service_request_id", "4", "status_description", "Open",
        "updated_datetime", "2021-07-04T08:00:00.000", "supervisor_district", "2"));
    dataset.upsert(row("service_request_id", "5", "status_description", "Closed",
        "updated_datetime", "2021-07-05T08:00:00.000"));
    dataset.upsert(row("service_request_id", "6", "status_description", "Open",
        "updated_datetime", "2021-07-06T08:00:00.000", "supervisor_district", "1"));
  }

  @Test
  void realRecordsRoundTripAsSocrataWritesThem() throws IOException {
    assertThat(dataset.loadJson(REAL_RECORDS), is(50));
    HttpResponse<String> r = http.get(PATH, "$order", "service_request_id", "$limit", "1000");

    assertThat(r.statusCode(), is(200));
    assertThat(r.headers().firstValue("Content-Type").orElse(""),
        is("application/json;charset=utf-8"));
    assertThat(r.headers().firstValue("X-Socrata-RequestId").orElse(""), matchesPattern("[0-9a-f]{32}"));
    assertThat(r.body(), startsWith("[{\""));
    assertThat(r.body().split("\n,", -1).length, is(50));
    assertThat(r.body(), matchesPattern("(?s).*\\}\\]\n"));
    List<Map<String, Object>> rows = rows(r);
    assertThat(rows, hasSize(50));
    // every scalar is a string, point stays an object, no system fields without $select
    for (Map<String, Object> row : rows) {
      for (Map.Entry<String, Object> e : row.entrySet()) {
        assertThat(e.getKey(), not(startsWith(":")));
        assertThat(e.getValue(), instanceOf(e.getKey().equals("point") ? Map.class : String.class));
      }
    }
    // the same records as the file, field for field
    Map<String, Map<String, Object>> fromFile = new java.util.HashMap<>();
    for (String line : Files.readAllLines(REAL_RECORDS)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) Json.parse(line);
      fromFile.put((String) m.get("service_request_id"), m);
    }
    for (Map<String, Object> row : rows) {
      assertThat(row, equalTo(fromFile.get((String) row.get("service_request_id"))));
    }
    assertThat(r.headers().firstValue("X-SODA2-Fields").orElse(""), containsString("\"updated_datetime\""));
  }

  @Test
  void loadsAJsonArrayPageAsSocrataWritesIt() {
    assertThat(dataset.loadJson("[{\"service_request_id\":\"1\",\"a\":\"x\"}\n,"
        + "{\"service_request_id\":\"2\",\"a\":\"y\",\"n\":3}]\n"), is(2));
    assertThat(dataset.row("2").get("n"), is("3"));
    assertThat(dataset.row("1").get(":id"), notNullValue());
  }

  @Test
  void whereWithAndOrParenthesesAndFloatingTimestamps() throws IOException {
    sixCases();
    HttpResponse<String> r = http.get(PATH, "$where",
        "(updated_datetime > '2021-07-02T08:00:00.000' AND status_description = 'Closed')"
            + " OR service_request_id = '1'");
    assertThat(column(r, "service_request_id"), containsInAnyOrder("1", "3", "5"));

    // timestamps compare as times, not text: fewer fraction digits, no seconds, a bare date
    r = http.get(PATH, "$where", "updated_datetime >= '2021-07-04T08:00' AND updated_datetime < '2021-07-06'");
    assertThat(column(r, "service_request_id"), containsInAnyOrder("4", "5"));
    r = http.get(PATH, "$where", "updated_datetime <= '2021-07-02T08:00:00.0'");
    assertThat(column(r, "service_request_id"), containsInAnyOrder("1", "2"));

    // numbers compare as numbers ("10" > "9"); a missing field never matches, not even !=
    r = http.get(PATH, "$where", "supervisor_district > '8'");
    assertThat(column(r, "service_request_id"), containsInAnyOrder("1", "2"));
    r = http.get(PATH, "$where", "supervisor_district != '2'");
    assertThat(column(r, "service_request_id"), containsInAnyOrder("1", "2", "6"));
    r = http.get(PATH, "$where", "supervisor_district IS NULL");
    assertThat(column(r, "service_request_id"), contains("5"));
    r = http.get(PATH, "$where", "NOT (status_description = 'Open') AND supervisor_district in ('2', '9')");
    assertThat(column(r, "service_request_id"), containsInAnyOrder("2", "3"));
    // a simple filter parameter is an equality
    r = http.get(PATH, "status_description", "Open");
    assertThat(column(r, "service_request_id"), containsInAnyOrder("1", "4", "6"));
  }

  @Test
  void whereOnSystemTimestampsInFixedAndFloatingForm() throws IOException {
    sixCases(); // 1-3 at 23:00:07Z, 4-6 at 00:00:07Z the next day
    HttpResponse<String> r = http.get(PATH, "$where", ":updated_at > '2021-07-10T23:00:07.000Z'");
    assertThat(column(r, "service_request_id"), containsInAnyOrder("4", "5", "6"));
    r = http.get(PATH, "$where", ":updated_at = '2021-07-10T23:00:07Z'");
    assertThat(column(r, "service_request_id"), containsInAnyOrder("1", "2", "3"));
    // a floating literal against the fixed system field reads as UTC
    r = http.get(PATH, "$where", ":updated_at >= '2021-07-11T00:00:07.000'");
    assertThat(column(r, "service_request_id"), containsInAnyOrder("4", "5", "6"));
    r = http.get(PATH, "$where", ":created_at < '2021-07-11T00:00:00.000+00:00'");
    assertThat(column(r, "service_request_id"), containsInAnyOrder("1", "2", "3"));
    // a future watermark: no rows, written as an empty array
    r = http.get(PATH, "$where", ":updated_at > '2031-01-01T00:00:00.000Z'");
    assertThat(r.body(), is("[]\n"));
  }

  @Test
  void orderByTwoKeys() throws IOException {
    sixCases();
    HttpResponse<String> r = http.get(PATH, "$order", "status_description DESC, updated_datetime");
    assertThat(column(r, "service_request_id"), contains("1", "4", "6", "2", "3", "5"));
    // numbers sort as numbers; a missing value sorts last ascending, first descending
    r = http.get(PATH, "$order", "supervisor_district ASC,service_request_id DESC");
    assertThat(column(r, "service_request_id"), contains("6", "4", "3", "2", "1", "5"));
    r = http.get(PATH, "$order", "supervisor_district desc, service_request_id");
    assertThat(column(r, "service_request_id"), contains("5", "1", "2", "3", "4", "6"));
  }

  @Test
  void limitAndOffsetPageThroughEveryRowOnce() throws IOException {
    for (int i = 1; i <= 25; i++) {
      dataset.upsert(row("service_request_id", Integer.toString(1000 + i), "x", "v" + i));
    }
    List<String> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (int offset = 0; ; offset += 10) {
      HttpResponse<String> r = http.get(PATH, "$order", ":id", "$limit", "10",
          "$offset", Integer.toString(offset));
      List<String> page = column(r, "service_request_id");
      sizes.add(page.size());
      seen.addAll(page);
      if (page.size() < 10) {
        break;
      }
    }
    assertThat(sizes, contains(10, 10, 5));
    assertThat(new HashSet<>(seen), hasSize(25));
    // the default limit is 1000; beyond 50,000 is refused
    for (int i = 26; i <= 1005; i++) {
      dataset.upsert(row("service_request_id", Integer.toString(1000 + i)));
    }
    assertThat(rows(http.get(PATH)), hasSize(1000));
    assertThat(rows(http.get(PATH, "$limit", "50000")), hasSize(1005));
    assertThat(http.get(PATH, "$limit", "50001").statusCode(), is(400));
    assertThat(rows(http.get(PATH, "$offset", "1005")), empty());
  }

  @Test
  void withoutOrderRowsComeInADifferentOrderPerRequest() throws IOException {
    for (int i = 1; i <= 30; i++) {
      dataset.upsert(row("service_request_id", Integer.toString(i)));
    }
    List<String> first = column(http.get(PATH), "service_request_id");
    List<String> second = column(http.get(PATH), "service_request_id");
    assertThat(new HashSet<>(first), equalTo(new HashSet<>(second)));
    assertThat(first, not(equalTo(second)));
    // ties on the $order key are not stable either
    List<String> a = column(http.get(PATH, "$order", ":updated_at"), "service_request_id");
    List<String> b = column(http.get(PATH, "$order", ":updated_at"), "service_request_id");
    assertThat(a, not(equalTo(b)));
    // unless turned off
    server.shuffleUnordered(false);
    assertThat(column(http.get(PATH), "service_request_id"),
        equalTo(column(http.get(PATH), "service_request_id")));
  }

  @Test
  void keysetPagingOnUpdatedAtAndIdLosesAndDoublesNothing() throws IOException {
    // 30 rows on three :updated_at values: every page boundary falls inside a tie
    for (int tick = 0; tick < 3; tick++) {
      for (int i = 0; i < 10; i++) {
        dataset.upsert(row("service_request_id", Integer.toString(tick * 10 + i)));
      }
      server.advance(Duration.ofSeconds(1));
    }
    List<String> seen = new ArrayList<>();
    String lastUpdated = "1970-01-01T00:00:00.000Z";
    String lastId = "";
    int requests = 0;
    while (true) {
      HttpResponse<String> r = http.get(PATH,
          "$select", ":*,*",
          "$where", "(:updated_at > '" + lastUpdated + "') OR (:updated_at = '" + lastUpdated
              + "' AND :id > '" + lastId + "')",
          "$order", ":updated_at,:id",
          "$limit", "4");
      requests++;
      List<Map<String, Object>> page = rows(r);
      if (page.isEmpty()) {
        break;
      }
      for (Map<String, Object> row : page) {
        seen.add((String) row.get("service_request_id"));
      }
      Map<String, Object> last = page.get(page.size() - 1);
      lastUpdated = (String) last.get(":updated_at");
      lastId = (String) last.get(":id");
    }
    assertThat(seen, hasSize(30));
    assertThat(new HashSet<>(seen), hasSize(30));
    assertThat(requests, is(9)); // 8 pages (4,4,...,2) and the empty one
    assertThat(server.requests().get(0).param("$where"), startsWith("(:updated_at > '1970"));
  }

  @Test
  void selectAllWithSystemFields() throws IOException {
    Map<String, Object> stored = dataset.upsert(row("service_request_id", "7", "status_notes", "n"));
    HttpResponse<String> r = http.get(PATH, "$select", ":*,*");
    Map<String, Object> got = rows(r).get(0);
    assertThat(new ArrayList<>(got.keySet()), contains(":id", ":version", ":created_at",
        ":updated_at", "service_request_id", "status_notes"));
    assertThat((String) got.get(":id"), matchesPattern("row-[a-z0-9]{4}~[a-z0-9]{4}~[a-z0-9]{4}"));
    assertThat(got.get(":created_at"), is("2021-07-10T23:00:07.000Z"));
    assertThat((String) got.get(":updated_at"), matchesPattern(FIXED));
    assertThat(got, equalTo(stored));
    // explicit columns and aliases; count(*)
    r = http.get(PATH, "$select", "service_request_id AS id, :updated_at");
    assertThat(rows(r).get(0), equalTo(Map.of("id", "7", ":updated_at", "2021-07-10T23:00:07.000Z")));
    assertThat(rows(http.get(PATH, "$select", "count(*)")), contains(Map.of("count", "1")));
  }

  @Test
  void upsertKeepsIdWhileReplaceAllRepublishesEveryRow() {
    Map<String, Object> first = dataset.upsert(row("service_request_id", "1", "s", "Open"));
    dataset.upsert(row("service_request_id", "2", "s", "Open"));
    server.advance(Duration.ofMinutes(5));
    Map<String, Object> updated = dataset.upsert(row("service_request_id", "1", "s", "Closed"));
    assertThat(updated.get(":id"), is(first.get(":id")));
    assertThat(updated.get(":created_at"), is("2021-07-10T23:00:07.000Z"));
    assertThat(updated.get(":updated_at"), is("2021-07-10T23:05:07.000Z"));
    assertThat(updated.get(":version"), not(first.get(":version")));

    server.advance(Duration.ofDays(1));
    Set<Object> oldIds = dataset.rows().stream().map(m -> m.get(":id")).collect(Collectors.toSet());
    dataset.replaceAll(List.of(row("service_request_id", "1", "s", "Closed"),
        row("service_request_id", "2", "s", "Open")));
    for (Map<String, Object> r : dataset.rows()) {
      assertThat(oldIds.contains(r.get(":id")), is(false));
      assertThat(r.get(":updated_at"), is("2021-07-11T23:05:07.000Z"));
    }
    assertThat(dataset.remove("2"), is(true));
    assertThat(dataset.remove("2"), is(false));
    assertThat(dataset.size(), is(1));
  }

  @Test
  void unknownDatasetIs404DatasetMissing() throws IOException {
    HttpResponse<String> r = http.get("/resource/abcd-1234.json", "$limit", "5");
    assertThat(r.statusCode(), is(404));
    Map<String, Object> body = object(r);
    assertThat(body.get("code"), is("dataset.missing"));
    assertThat(body.get("error"), is(true));
    assertThat(body.get("message"), is("Not found"));
    assertThat(body.get("data"), equalTo(Map.of("id", "abcd-1234")));
    assertThat(r.headers().firstValue("X-Socrata-RequestId").isPresent(), is(true));
    assertThat(http.get("/api/views/abcd-1234.json").statusCode(), is(404));
  }

  @Test
  void malformedQueriesAre400() throws IOException {
    sixCases();
    for (String[] bad : new String[][] {
        {"$where", "status_description = 'Open"},
        {"$where", "(status_description = 'Open'"},
        {"$where", "status_description === 'Open'"},
        {"$where", "status_description 'Open'"},
        {"$where", "status_description = 'Open' AND"},
        {"$order", "updated_datetime sideways"},
        {"$order", ","},
        {"$select", "a b"},
        {"$limit", "-1"},
        {"$offset", "ten"}}) {
      HttpResponse<String> r = http.get(PATH, bad);
      assertThat(bad[1], r.statusCode(), is(400));
      Map<String, Object> body = object(r);
      assertThat(bad[1], body.get("code"), is("query.compiler.malformed"));
      assertThat(body.get("error"), is(true));
      assertThat((String) body.get("message"), containsString("Could not parse SoQL query"));
    }
    HttpResponse<String> r = http.get(PATH, "$where", "no_such_field = '1'");
    assertThat(r.statusCode(), is(400));
    assertThat(object(r).get("errorCode"), is("query.soql.no-such-column"));
    r = http.get(PATH, "$where", ":updated_at > 'yesterday'");
    assertThat(object(r).get("errorCode"), is("query.soql.type-mismatch"));
    r = http.get(PATH, "$bogus", "1");
    assertThat(r.statusCode(), is(400));
    // valid SoQL this fake does not implement is a loud 501, never a silent wrong answer
    assertThat(http.get(PATH, "$where", "upper(status_description) = 'OPEN'").statusCode(), is(501));
  }

  @Test
  void appTokenIsEnforcedWhenRequired() throws IOException {
    sixCases();
    server.requireAppToken("s3cret");
    HttpResponse<String> none = http.get(PATH);
    HttpResponse<String> wrong = http.send(http.request(PATH).header("X-App-Token", "nope").build());
    HttpResponse<String> right = http.send(http.request(PATH).header("X-App-Token", "s3cret").build());
    for (HttpResponse<String> r : List.of(none, wrong)) {
      assertThat(r.statusCode(), is(403));
      Map<String, Object> body = object(r);
      assertThat(body.get("code"), is("permission_denied"));
      assertThat(body.get("error"), is(true));
      assertThat(body.get("message"), is("Invalid app_token specified"));
    }
    assertThat(right.statusCode(), is(200));
    // the 403 wins over the 404 of an unknown dataset
    assertThat(http.get("/resource/zzzz-zzzz.json").statusCode(), is(403));
    List<RecordedRequest> log = server.requests();
    assertThat(log.get(0).header("x-app-token"), is((String) null));
    assertThat(log.get(1).header("X-App-Token"), is("nope"));
    assertThat(log.get(2).header("x-APP-token"), is("s3cret"));
    assertThat(log.stream().map(RecordedRequest::status).toList(), contains(403, 403, 200, 403));
  }

  @Test
  void viewMetadataNamesColumnsAndTypes() throws IOException {
    sixCases();
    Map<String, Object> view = object(http.get("/api/views/" + SF311 + ".json"));
    assertThat(view.get("id"), is(SF311));
    assertThat(view, hasKey("rowsUpdatedAt"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> columns = (List<Map<String, Object>>) view.get("columns");
    Map<String, Object> types = new java.util.HashMap<>();
    columns.forEach(c -> types.put((String) c.get("fieldName"), c.get("dataTypeName")));
    assertThat(types, equalTo(Map.of("service_request_id", "number", "status_description", "text",
        "updated_datetime", "calendar_date", "supervisor_district", "number")));
    assertThat(columns.stream().map(c -> c.get("fieldName")).toList(), everyItem(instanceOf(String.class)));
  }
}
