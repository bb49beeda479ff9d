package dev.intake.transforms.sources.socrata;

import static dev.intake.transforms.sources.socrata.Fixtures.RESOURCE;
import static dev.intake.transforms.sources.socrata.Fixtures.T0;
import static dev.intake.transforms.sources.socrata.Fixtures.client;
import static dev.intake.transforms.sources.socrata.Fixtures.config;
import static dev.intake.transforms.sources.socrata.Fixtures.fetch;
import static dev.intake.transforms.sources.socrata.Fixtures.field;
import static dev.intake.transforms.sources.socrata.Fixtures.keys;
import static dev.intake.transforms.sources.socrata.Fixtures.records;
import static dev.intake.transforms.sources.socrata.Fixtures.serviceRequestIds;
import static dev.intake.transforms.sources.socrata.Fixtures.upsertAt;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.testdata.socrata.FakeSocrataServer;
import dev.intake.testdata.http.RecordedRequest;
import dev.intake.testdata.socrata.SocrataDataset;
import dev.intake.transforms.sources.http.ApiException;
import dev.intake.transforms.sources.http.Page;
import dev.intake.transforms.sources.http.WindowTooLargeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Paging against the fake Socrata. The dataset: a01-a05 changed at T0+1h, b01-b23 all at T0+2h
 * (one :updated_at shared across several page boundaries), c01-c04 at T0+3h, d01 at T0+4h.
 */
class SocrataClientPagingTest {
  private static final Instant H1 = T0.plus(Duration.ofHours(1));
  private static final Instant H2 = T0.plus(Duration.ofHours(2));
  private static final Instant H3 = T0.plus(Duration.ofHours(3));
  private static final Instant H4 = T0.plus(Duration.ofHours(4));
  private static final Instant H5 = T0.plus(Duration.ofHours(5));

  private FakeSocrataServer socrata;
  private SocrataDataset sf311;

  @BeforeEach
  void start() throws Exception {
    socrata = new FakeSocrataServer().start();
    sf311 = socrata.addDataset(RESOURCE);
    upsertAt(socrata, sf311, H1, keys("a", 5));
    upsertAt(socrata, sf311, H2, keys("b", 23));
    upsertAt(socrata, sf311, H3, keys("c", 4));
    upsertAt(socrata, sf311, H4, keys("d", 1));
  }

  @AfterEach
  void stop() {
    socrata.close();
  }

  @SafeVarargs
  private static List<String> allKeys(List<String>... groups) {
    List<String> all = new ArrayList<>();
    for (List<String> g : groups) {
      all.addAll(g);
    }
    return all;
  }

  @Test
  void keysetPagesGiveExactlyTheRowsOfTheWindowInOrder() throws Exception {
    try (SocrataClient client = client(config(socrata).pageSize(5).build())) {
      List<Page> pages = fetch(client, H1, H4);

      assertThat(serviceRequestIds(pages), containsInAnyOrder(
          allKeys(keys("a", 5), keys("b", 23), keys("c", 4)).toArray()));
      assertThat(pages.stream().map(Page::number).toList(), contains(0, 1, 2, 3, 4, 5, 6));
      assertThat(pages.stream().map(p -> p.records().size()).toList(),
          contains(5, 5, 5, 5, 5, 5, 2));
      assertStrictlyOrderedByUpdatedAtThenId(pages);
      assertThat(socrata.requests(), hasSize(7));
    }
  }

  @Test
  void manyRowsSharingOneUpdatedAtAcrossPageBoundariesAreNeitherLostNorDoubled()
      throws Exception {
    for (int pageSize : new int[] {1, 2, 5, 22, 23, 24}) {
      try (SocrataClient client = client(config(socrata).pageSize(pageSize).build())) {
        List<Page> pages = fetch(client, H2, H3);
        assertThat("pageSize " + pageSize, serviceRequestIds(pages),
            containsInAnyOrder(keys("b", 23).toArray()));
        assertThat(new HashSet<>(field(pages, ":id")), hasSize(23));
      }
    }
  }

  @Test
  void keysetRequestsCarryTheWindowAndContinueAfterTheLastRowAsReceived() throws Exception {
    try (SocrataClient client = client(config(socrata).pageSize(5).build())) {
      List<Page> pages = fetch(client, H1, H4);
      List<RecordedRequest> requests = socrata.requests();
      String window = ":updated_at >= '2021-07-10T01:00:00.000'"
          + " AND :updated_at < '2021-07-10T04:00:00.000'";
      assertThat(requests.get(0).params(), equalTo(Map.of("$select", ":*,*", "$where", window,
          "$order", ":updated_at,:id", "$limit", "5")));
      String lastId = field(pages.subList(0, 1), ":id").get(4);
      assertThat(requests.get(1).param("$where"), is(window
          + " AND (:updated_at > '2021-07-10T01:00:00.000Z' OR (:updated_at ="
          + " '2021-07-10T01:00:00.000Z' AND :id > '" + lastId + "'))"));
      assertThat(pages.get(1).requestUrl(), startsWith(socrata.resourceUrl(RESOURCE)
          + "?$select=:*,*&$where=:updated_at%20%3E%3D%20%272021-07-10T01:00:00.000%27"));
      assertThat(requests.get(0).header("Accept"), is("application/json"));
    }
  }

  @Test
  void theWindowIncludesItsStartAndExcludesItsEnd() throws Exception {
    try (SocrataClient client = client(config(socrata).build())) {
      assertThat(serviceRequestIds(fetch(client, H2, H4)),
          containsInAnyOrder(allKeys(keys("b", 23), keys("c", 4)).toArray()));
      assertThat(serviceRequestIds(fetch(client, H4, H5)), contains("d01"));
      assertThat(serviceRequestIds(fetch(client, H4.minusNanos(1), H4)), empty());
      assertThat(serviceRequestIds(fetch(client, H4.minusNanos(1), H4.plusNanos(1))),
          contains("d01"));

      List<String> adjacent = new ArrayList<>(serviceRequestIds(fetch(client, T0, H2)));
      adjacent.addAll(serviceRequestIds(fetch(client, H2, H5)));
      assertThat(adjacent, containsInAnyOrder(
          allKeys(keys("a", 5), keys("b", 23), keys("c", 4), keys("d", 1)).toArray()));
    }
  }

  @Test
  void aFloatingWindowFieldIsFilteredInItsOwnZone() throws Exception {
    SocrataDataset cases = socrata.addDataset("case-s311");
    Map<String, String> late = new LinkedHashMap<>();
    late.put("service_request_id", "late");
    late.put("updated_datetime", "2021-07-10T23:30:00.000");
    Map<String, String> early = new LinkedHashMap<>();
    early.put("service_request_id", "early");
    early.put("updated_datetime", "2021-07-10T00:30:00.000");
    cases.upsert(late);
    cases.upsert(early);
    SocrataConfig config = config(socrata).resource("case-s311").windowField("updated_datetime")
        .windowFieldZone(ZoneId.of("America/Los_Angeles")).build();
    try (SocrataClient client = client(config)) {
      // The Pacific day 2021-07-10 is [07:00Z, next day 07:00Z).
      List<Page> pages = fetch(client, Instant.parse("2021-07-10T07:00:00Z"),
          Instant.parse("2021-07-11T07:00:00Z"));
      assertThat(serviceRequestIds(pages), containsInAnyOrder("late", "early"));
      assertThat(socrata.lastRequest().param("$where"),
          is("updated_datetime >= '2021-07-10T00:00:00.000'"
              + " AND updated_datetime < '2021-07-11T00:00:00.000'"));
    }
  }

  @Test
  void offsetPagingGivesTheSameRowsAsKeysetPaging() throws Exception {
    try (SocrataClient keyset = client(config(socrata).pageSize(4).build());
        SocrataClient offset = client(config(socrata).pageSize(4)
            .paging(SocrataConfig.Paging.OFFSET).build())) {
      List<Page> byKeyset = fetch(keyset, H1, H5);
      socrata.clearRequests();
      List<Page> byOffset = fetch(offset, H1, H5);

      assertThat(records(byOffset), equalTo(records(byKeyset)));
      assertThat(socrata.requests().stream().map(r -> r.param("$offset")).toList(),
          contains("0", "4", "8", "12", "16", "20", "24", "28", "32"));
      assertThat(socrata.requests().get(3).param("$order"), is(":updated_at,:id"));
    }
  }

  @Test
  void anEmptyWindowGivesOneEmptyPage() throws Exception {
    try (SocrataClient client = client(config(socrata).build())) {
      List<Page> pages = fetch(client, H5, H5.plus(Duration.ofDays(1)));
      assertThat(pages, hasSize(1));
      assertThat(pages.get(0).number(), is(0));
      assertThat(pages.get(0).records(), empty());
      assertThat(new String(pages.get(0).body(), StandardCharsets.UTF_8), is("[]\n"));
      assertThat(socrata.requests(), hasSize(1));
    }
  }

  @Test
  void aShortPageEndsPagingWithoutAnotherRequest() throws Exception {
    try (SocrataClient client = client(config(socrata).pageSize(10).build())) {
      List<Page> pages = fetch(client, H1, H5); // 33 rows: 10, 10, 10, 3
      assertThat(pages.stream().map(p -> p.records().size()).toList(), contains(10, 10, 10, 3));
      assertThat(socrata.requests(), hasSize(4));
    }
  }

  @Test
  void anEmptyPageEndsPagingAndIsNotDelivered() throws Exception {
    upsertAt(socrata, sf311, H4, keys("e", 3));
    try (SocrataClient client = client(config(socrata).pageSize(4).build())) {
      List<Page> pages = fetch(client, H3, H5); // c01-c04, d01, e01-e03: 8 rows
      assertThat(pages.stream().map(p -> p.records().size()).toList(), contains(4, 4));
      assertThat(socrata.requests().stream().map(RecordedRequest::rows).toList(),
          contains(4, 4, 0));
    }
  }

  @Test
  void aServerIgnoringOffsetEndsPagingWithoutDuplicates() throws Exception {
    socrata.ignoreOffset();
    try (SocrataClient client = client(config(socrata).pageSize(4)
        .paging(SocrataConfig.Paging.OFFSET).build())) {
      List<Page> pages = fetch(client, H1, H5);
      List<String> keys = serviceRequestIds(pages);
      assertThat(keys, hasSize(4));
      assertThat(new HashSet<>(keys), hasSize(4));
      assertThat(socrata.requests(), hasSize(2));
      assertThat(client.stalledWindows(), is(1L));
    }
  }

  @Test
  void aWindowWithMorePagesThanTheCapFailsSayingSo() throws Exception {
    try (SocrataClient client = client(config(socrata).pageSize(5).maxPagesPerWindow(3).build())) {
      List<Page> delivered = new ArrayList<>();
      WindowTooLargeException e = assertThrows(WindowTooLargeException.class,
          () -> client.fetchWindow(H1, H4, delivered::add));
      assertThat(e.getMessage(), startsWith("window [2021-07-10T01:00:00Z, 2021-07-10T04:00:00Z)"
          + " of vw6y-z8j6 has more than 3 pages of 5 rows (maxPagesPerWindow): split it;"));
      assertThat(e.kind(), is(ApiException.Kind.TOO_MANY_PAGES));
      assertThat(e.from(), is(H1));
      assertThat(e.to(), is(H4));
      assertThat(delivered, hasSize(3));
      assertThat(socrata.requests(), hasSize(4));
    }
  }

  @Test
  void aWindowThatExactlyFillsTheCapIsFine() throws Exception {
    try (SocrataClient client = client(config(socrata).pageSize(4).maxPagesPerWindow(2).build())) {
      List<Page> pages = fetch(client, H3, H5); // c01-c04, d01: 4 + 1
      assertThat(pages, hasSize(2));
    }
    upsertAt(socrata, sf311, H4, keys("e", 3)); // now 8 rows: 4 + 4, then an empty probe
    try (SocrataClient client = client(config(socrata).pageSize(4).maxPagesPerWindow(2).build())) {
      assertThat(serviceRequestIds(fetch(client, H3, H5)), hasSize(8));
    }
  }

  @Test
  void oneClientServesManyThreadsAtOnce() throws Exception {
    List<Instant> bounds = List.of(T0, H1, H2, H3, H4, H5);
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try (SocrataClient client = client(config(socrata).pageSize(3).build())) {
      List<Future<List<Page>>> futures = IntStream.range(0, 5)
          .mapToObj(i -> pool.submit(() -> fetch(client, bounds.get(i), bounds.get(i + 1))))
          .toList();
      List<String> all = new ArrayList<>();
      for (Future<List<Page>> f : futures) {
        all.addAll(serviceRequestIds(f.get()));
      }
      assertThat(all, containsInAnyOrder(
          allKeys(keys("a", 5), keys("b", 23), keys("c", 4), keys("d", 1)).toArray()));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void checkAccessAsksForOneRowWithTheWindowField() throws Exception {
    try (SocrataClient client = client(config(socrata).build())) {
      client.checkAccess();
      assertThat(socrata.requests(), hasSize(1));
      assertThat(socrata.lastRequest().params(), equalTo(Map.of("$select", ":id,:updated_at",
          "$where", ":updated_at IS NOT NULL", "$limit", "1")));
      assertThat(socrata.lastRequest().status(), is(200));
    }
  }

  private static void assertStrictlyOrderedByUpdatedAtThenId(List<Page> pages) {
    List<String> times = field(pages, ":updated_at");
    List<String> ids = field(pages, ":id");
    for (int i = 1; i < times.size(); i++) {
      int byTime = Instant.parse(times.get(i - 1)).compareTo(Instant.parse(times.get(i)));
      assertThat("row " + i, byTime <= 0, is(true));
      if (byTime == 0) {
        assertThat("row " + i, ids.get(i - 1).compareTo(ids.get(i)), lessThan(0));
      }
    }
  }
}
