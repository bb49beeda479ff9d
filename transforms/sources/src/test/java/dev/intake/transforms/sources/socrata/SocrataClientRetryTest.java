package dev.intake.transforms.sources.socrata;

import static dev.intake.transforms.sources.socrata.Fixtures.RESOURCE;
import static dev.intake.transforms.sources.socrata.Fixtures.T0;
import static dev.intake.transforms.sources.socrata.Fixtures.client;
import static dev.intake.transforms.sources.socrata.Fixtures.config;
import static dev.intake.transforms.sources.socrata.Fixtures.fetch;
import static dev.intake.transforms.sources.socrata.Fixtures.keys;
import static dev.intake.transforms.sources.socrata.Fixtures.records;
import static dev.intake.transforms.sources.socrata.Fixtures.upsertAt;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.testdata.socrata.FakeSocrataServer;
import dev.intake.testdata.socrata.SocrataRequests;
import dev.intake.testdata.http.Fault;
import dev.intake.testdata.http.RecordedRequest;
import dev.intake.transforms.sources.http.ApiException;
import dev.intake.transforms.sources.http.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Retries, backoff and the retry budget, against the fake Socrata's faults. */
class SocrataClientRetryTest {
  private static final Instant FROM = T0;
  private static final Instant TO = T0.plus(Duration.ofDays(1));

  private FakeSocrataServer socrata;
  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws Exception {
    socrata = new FakeSocrataServer().start();
    var sf311 = socrata.addDataset(RESOURCE);
    upsertAt(socrata, sf311, T0.plusSeconds(60), keys("a", 7));
    upsertAt(socrata, sf311, T0.plusSeconds(120), keys("b", 5));
  }

  @AfterEach
  void stop() {
    socrata.close();
  }

  private SocrataClient client(SocrataConfig.Builder config) {
    return Fixtures.client(config.build(), Map.of(), sleeps);
  }

  /** 12 rows in pages of 5: three requests. */
  private static SocrataConfig.Builder threePages(FakeSocrataServer socrata) {
    return config(socrata).pageSize(5).requestTimeout(Duration.ofSeconds(1));
  }

  static Stream<Fault> faults() {
    return Stream.of(
        Fault.tooManyRequests(1),
        Fault.tooManyRequests(0),
        Fault.tooManyRequests(),
        Fault.stillProcessing(),
        Fault.serverError(),
        Fault.status(502),
        Fault.serviceUnavailable(),
        Fault.status(504),
        Fault.resetBeforeHeaders(),
        Fault.resetAfterHeaders(),
        Fault.truncatedBody(),
        Fault.malformedJson(),
        Fault.slow(Duration.ofSeconds(3)));
  }

  @ParameterizedTest
  @MethodSource("faults")
  void eachFaultIsRetriedAndGivesTheFaultFreeResult(Fault fault) throws Exception {
    List<Page> clean;
    try (SocrataClient client = client(threePages(socrata))) {
      clean = fetch(client, FROM, TO);
    }
    socrata.clearRequests();
    socrata.failRequest(socrata.requestCount() + 2, fault); // the second page's first attempt
    try (SocrataClient client = client(threePages(socrata))) {
      List<Page> faulty = fetch(client, FROM, TO);

      assertThat(records(faulty), equalTo(records(clean)));
      assertThat(faulty.stream().map(Page::requestUrl).toList(),
          equalTo(clean.stream().map(Page::requestUrl).toList()));
      assertThat(socrata.pendingFaults(), is(0));
      assertThat(sleeps, hasSize(1));
      assertThat(client.retryBudgetLeft(), is(99));
    }
    assertThat(socrata.requests().stream().map(RecordedRequest::fault).toList(),
        contains(null, fault, null, null));
  }

  @Test
  void retryAfterSecondsAreHonoured() throws Exception {
    socrata.failNext(Fault.tooManyRequests(3));
    try (SocrataClient client = client(threePages(socrata))) {
      client.checkAccess();
    }
    assertThat(sleeps, contains(Duration.ofSeconds(3)));
  }

  @Test
  void retryAfterIsCappedByBackoffMax() throws Exception {
    socrata.failNext(Fault.serviceUnavailable().withRetryAfter("120"));
    try (SocrataClient client = client(threePages(socrata).backoffMax(Duration.ofSeconds(7)))) {
      client.checkAccess();
    }
    assertThat(sleeps, contains(Duration.ofSeconds(7)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "", "soon", "-5"})
  void aRetryAfterThatIsZeroMissingOrUnparseableFallsBackToTheBackoff(String retryAfter)
      throws Exception {
    Fault fault = retryAfter.isEmpty() ? Fault.tooManyRequests()
        : Fault.tooManyRequests().withRetryAfter(retryAfter);
    socrata.failNext(3, fault);
    try (SocrataClient client = client(threePages(socrata).backoffBase(Duration.ofMillis(200)))) {
      client.checkAccess();
    }
    assertThat(sleeps, hasSize(3));
    for (int i = 0; i < 3; i++) {
      assertThat(sleeps.get(i), greaterThan(Duration.ZERO));
      assertThat(sleeps.get(i), lessThanOrEqualTo(Duration.ofMillis(200L << i)));
    }
  }

  @Test
  void backoffDoublesUpToBackoffMax() throws Exception {
    socrata.failNext(7, Fault.serverError());
    try (SocrataClient client = client(threePages(socrata)
        .backoffBase(Duration.ofMillis(100)).backoffMax(Duration.ofMillis(800)))) {
      client.checkAccess();
    }
    assertThat(sleeps, hasSize(7));
    long[] caps = {100, 200, 400, 800, 800, 800, 800};
    for (int i = 0; i < caps.length; i++) {
      assertThat(sleeps.get(i), greaterThan(Duration.ZERO));
      assertThat(sleeps.get(i), lessThanOrEqualTo(Duration.ofMillis(caps[i])));
    }
  }

  @Test
  void aRequestGivesUpAfterMaxRetriesPerRequest() throws Exception {
    socrata.failNext(50, Fault.serviceUnavailable());
    try (SocrataClient client = client(threePages(socrata).maxRetriesPerRequest(3))) {
      ApiException e = assertThrows(ApiException.class, () -> fetch(client, FROM, TO));
      RecordedRequest last = socrata.lastRequest();
      assertThat(e.getMessage(), is("gave up after 3 retries: Socrata answered 503"
          + " service_unavailable (Service unavailable) for GET " + socrata.resourceUrl(RESOURCE)
          + "?$select=:*,*&$where=:updated_at >= '2021-07-10T00:00:00.000' AND :updated_at <"
          + " '2021-07-11T00:00:00.000'&$order=:updated_at,:id&$limit=5 [request id "
          + last.requestId() + "]"));
      assertThat(e.kind(), is(ApiException.Kind.GAVE_UP));
      assertThat(e.status(), is(503));
      assertThat(e.requestId(), is(last.requestId()));
      assertThat(socrata.requests(), hasSize(4));
      assertThat(client.retryBudgetLeft(), is(97));
    }
  }

  @Test
  void theRetryBudgetIsSharedByAllRequestsOfTheClient() throws Exception {
    try (SocrataClient client = client(threePages(socrata).retryBudget(3))) {
      socrata.failNext(2, Fault.serverError());
      assertThat(records(fetch(client, FROM, TO)), hasSize(12));
      assertThat(client.retryBudgetLeft(), is(1));

      socrata.failNext(50, Fault.status(502));
      socrata.clearRequests();
      ApiException e = assertThrows(ApiException.class, () -> fetch(client, FROM, TO));
      assertThat(e.getMessage(), containsString(
          "gave up after 1 retry (the client's retry budget of 3 is spent): Socrata answered 502"));
      assertThat(socrata.requests(), hasSize(2));

      socrata.clearRequests();
      assertThrows(ApiException.class, client::checkAccess);
      assertThat("a spent budget allows no retry", socrata.requests(), hasSize(1));
      assertThat(client.retryBudgetLeft(), is(0));
    }
  }

  @Test
  void randomFaultsOnManyThreadsGiveTheFaultFreeResultAndEachRetryCostsOneUnit()
      throws Exception {
    List<Instant> bounds = new ArrayList<>();
    for (int i = 0; i <= 4; i++) {
      bounds.add(T0.plusSeconds(30L * i + 30));
    }
    List<List<String>> clean = new ArrayList<>();
    try (SocrataClient client = client(config(socrata).pageSize(2))) {
      for (int i = 0; i < 4; i++) {
        clean.add(records(fetch(client, bounds.get(i), bounds.get(i + 1))));
      }
    }
    socrata.clearRequests();
    socrata.failRandomly(0.3, 7, SocrataRequests.anyResource(), Fault.tooManyRequests(0),
        Fault.stillProcessing(), Fault.serviceUnavailable(), Fault.resetBeforeHeaders(),
        Fault.resetAfterHeaders(), Fault.truncatedBody(), Fault.malformedJson());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (SocrataClient client = client(config(socrata).pageSize(2))) {
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Instant from = bounds.get(i);
        Instant to = bounds.get(i + 1);
        futures.add(pool.submit(() -> records(fetch(client, from, to))));
      }
      for (int i = 0; i < 4; i++) {
        assertThat(futures.get(i).get(), equalTo(clean.get(i)));
      }
      long faulted = socrata.requests().stream().filter(r -> r.fault() != null).count();
      assertThat(faulted, greaterThan(0L));
      assertThat(100 - client.retryBudgetLeft(), is((int) faulted));
      assertThat(sleeps, hasSize((int) faulted));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anInterruptDuringTheBackoffStopsWithTheFlagSet() throws Exception {
    socrata.failNext(Fault.serverError());
    SocrataClient client = SocrataClient.create(threePages(socrata).build(), name -> null,
        d -> {
          throw new InterruptedException();
        }, Clock.systemUTC());
    try (client) {
      ApiException e = assertThrows(ApiException.class, client::checkAccess);
      assertThat(e.kind(), is(ApiException.Kind.INTERRUPTED));
      assertThat(Thread.interrupted(), is(true));
    }
  }

  @Test
  void nothingIsSleptWithoutAFault() throws Exception {
    try (SocrataClient client = client(threePages(socrata))) {
      fetch(client, FROM, TO);
    }
    assertThat(sleeps, empty());
    assertThat(socrata.requests().stream().map(RecordedRequest::status).toList(),
        everyItem(is(200)));
  }
}
