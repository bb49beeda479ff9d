package dev.intake.transforms.sources.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Paging stops, driven against a scripted server: a search API answering {@code {"entities":
 * [...]}} to POSTs whose body carries the window and the keyset cursor {@code after_id}, and an
 * offset-paged GET API.
 */
class PagedWindowFetcherTest {
  private static final Instant FROM = Instant.parse("2024-03-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2024-03-02T00:00:00Z");

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

  private Requester requester() {
    return Requester.builder("Search").environment(Map.<String, String>of()::get)
        .sleeper(sleeps::add).build();
  }

  /** Keyset on uuid, POSTed: {"from":..., "to":..., "limit":2[, "after_id":...]}. */
  private PagedWindowFetcher search(int maxPages) {
    HttpUrl url = HttpUrl.get(server.baseUrl() + "/searches/organizations");
    KeysetPaginator keyset = KeysetPaginator.of(2, List.of("uuid"), (from, to, after) ->
        ApiRequest.post(url, "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"limit\":2"
            + (after == null ? "" : ",\"after_id\":\"" + after.get(0) + "\"") + "}"));
    return PagedWindowFetcher.of(requester(), RecordSelector.field("entities"), keyset, maxPages,
        "organizations");
  }

  private PagedWindowFetcher offsets() {
    OffsetPaginator offset = OffsetPaginator.of(2, List.of("uuid"), (from, to, n) ->
        ApiRequest.get(HttpUrl.get(server.baseUrl() + "/items?offset=" + n + "&limit=2")));
    return PagedWindowFetcher.of(requester(), RecordSelector.rootArray(), offset, 10, "items");
  }

  private static String org(String uuid, String updatedAt) {
    return "{\"uuid\":\"" + uuid + "\",\"updated_at\":\"" + updatedAt + "\"}";
  }

  private static String entities(String... records) {
    return "{\"count\":9,\"entities\":[" + String.join(",", records) + "]}";
  }

  private static List<Page> fetch(PagedWindowFetcher fetcher) throws IOException {
    List<Page> pages = new ArrayList<>();
    fetcher.fetchWindow(FROM, TO, pages::add);
    return pages;
  }

  private List<String> bodies() {
    return server.received().stream().map(ScriptedServer.Received::body).toList();
  }

  @Test
  void keysetPagesContinueAfterTheLastRecordAndAShortPageEndsPaging() throws Exception {
    server.then(200, entities(org("u1", "t1"), org("u2", "t2")))
        .then(200, entities(org("u3", "t3"), org("u4", "t4")))
        .then(200, entities(org("u5", "t5")));
    try (PagedWindowFetcher fetcher = search(10)) {
      List<Page> pages = fetch(fetcher);
      assertThat(pages.stream().map(Page::number).toList(), contains(0, 1, 2));
      assertThat(pages.get(2).records(), contains(org("u5", "t5")));
      assertThat(pages.get(1).requestUrl(), is(server.baseUrl() + "/searches/organizations"));
    }
    String window = "{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\",\"limit\":2";
    assertThat(bodies(), contains(window + "}", window + ",\"after_id\":\"u2\"}",
        window + ",\"after_id\":\"u4\"}"));
  }

  @Test
  void anEmptyFirstPageIsDeliveredAndALaterEmptyPageIsNot() throws Exception {
    server.then(200, entities()).then(200, entities(org("u1", "t1"), org("u2", "t2")))
        .then(200, entities());
    try (PagedWindowFetcher fetcher = search(10)) {
      List<Page> first = fetch(fetcher);
      assertThat(first, hasSize(1));
      assertThat(first.get(0).records(), empty());
      assertThat(first.get(0).number(), is(0));

      assertThat(fetch(fetcher), hasSize(1));
    }
    assertThat(server.received(), hasSize(3));
  }

  @Test
  void aPageRepeatingThePreviousOneEndsPagingWithoutItsRecords() throws Exception {
    String same = entities(org("u1", "t1"), org("u2", "t2"));
    server.then(200, same).then(200, same);
    try (PagedWindowFetcher fetcher = search(10)) {
      assertThat(fetch(fetcher), hasSize(1));
      assertThat(fetcher.stalledWindows(), is(1L));
    }
    assertThat(server.received(), hasSize(2));
  }

  @Test
  void aPageEndingOnThePreviousCursorEndsPaging() throws Exception {
    server.then(200, entities(org("u1", "t1"), org("u2", "t2")))
        .then(200, entities(org("u9", "t9"), org("u2", "t2")));
    try (PagedWindowFetcher fetcher = search(10)) {
      assertThat(fetch(fetcher), hasSize(1));
      assertThat(fetcher.stalledWindows(), is(1L));
    }
  }

  @Test
  void aFullPageWhoseLastRecordHasNoCursorCannotBeContinued() {
    server.then(200, entities(org("u1", "t1"), "{\"name\":\"no uuid\"}"));
    try (PagedWindowFetcher fetcher = search(10)) {
      ApiException e = assertThrows(ApiException.class, () -> fetch(fetcher));
      assertThat(e.kind(), is(ApiException.Kind.BAD_ANSWER));
      assertThat(e.getMessage(), is("cannot page on: the last row has no uuid for POST "
          + server.baseUrl() + "/searches/organizations"));
    }
  }

  @Test
  void moreThanMaxPagesFailsSayingSoAfterDeliveringThem() {
    server.then(200, entities(org("u1", "t1"), org("u2", "t2")))
        .then(200, entities(org("u3", "t3"), org("u4", "t4")));
    try (PagedWindowFetcher fetcher = search(1)) {
      List<Page> delivered = new ArrayList<>();
      WindowTooLargeException e = assertThrows(WindowTooLargeException.class,
          () -> fetcher.fetchWindow(FROM, TO, delivered::add));
      assertThat(e.getMessage(), is("window [" + FROM + ", " + TO + ") of organizations has more"
          + " than 1 pages of 2 rows (maxPagesPerWindow): split it; next page POST "
          + server.baseUrl() + "/searches/organizations"));
      assertThat(e.maxPages(), is(1));
      assertThat(e.from(), is(FROM));
      assertThat(delivered, hasSize(1));
    }
  }

  @Test
  void offsetPagesAdvanceByThePageSizeUntilAShortPage() throws Exception {
    server.then(200, "[" + org("u1", "t") + "," + org("u2", "t") + "]")
        .then(200, "[" + org("u3", "t") + "," + org("u4", "t") + "]")
        .then(200, "[" + org("u5", "t") + "]");
    try (PagedWindowFetcher fetcher = offsets()) {
      assertThat(fetch(fetcher), hasSize(3));
    }
    assertThat(server.received().stream().map(r -> r.uri().toString()).toList(), contains(
        "/items?offset=0&limit=2", "/items?offset=2&limit=2", "/items?offset=4&limit=2"));
  }

  @Test
  void aServerIgnoringTheOffsetIsCaughtByTheRepeatedRecords() throws Exception {
    String same = "[" + org("u1", "t") + "," + org("u2", "t") + "]";
    server.then(200, same).then(200, same);
    try (PagedWindowFetcher fetcher = offsets()) {
      assertThat(fetch(fetcher), hasSize(1));
      assertThat(fetcher.stalledWindows(), is(1L));
    }
  }

  @Test
  void aWindowMustNotEndBeforeItStarts() {
    try (PagedWindowFetcher fetcher = offsets()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> fetcher.fetchWindow(TO, FROM, page -> {}));
      assertThat(e.getMessage(), startsWith("from must not be after to"));
    }
    assertThat(server.received(), empty());
  }
}
