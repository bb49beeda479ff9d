package dev.intake.testdata.socrata;

import dev.intake.testdata.http.Json;
import dev.intake.testdata.http.RecordedRequest;
import dev.intake.testdata.http.Fault;
import static dev.intake.testdata.socrata.Http.column;
import static dev.intake.testdata.socrata.Http.row;
import static dev.intake.testdata.socrata.Http.rows;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeSocrataServerFaultTest {
  private static final String SF311 = "vw6y-z8j6";
  private static final String PATH = "/resource/" + SF311 + ".json";

  private FakeSocrataServer server;
  private SocrataDataset dataset;
  private Http http;

  @BeforeEach
  void start() throws IOException {
    server = new FakeSocrataServer().start();
    dataset = server.addDataset(SF311);
    for (int i = 1; i <= 20; i++) {
      dataset.upsert(row("service_request_id", Integer.toString(i), "status_notes",
          "note " + "x".repeat(i * 10)));
    }
    http = new Http(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void tooManyRequestsWithAndWithoutRetryAfter() throws IOException {
    server.failNext(Fault.tooManyRequests(7));
    server.failNext(Fault.tooManyRequests(0));
    server.failNext(Fault.tooManyRequests());
    HttpResponse<String> a = http.get(PATH);
    HttpResponse<String> b = http.get(PATH);
    HttpResponse<String> c = http.get(PATH);
    HttpResponse<String> ok = http.get(PATH);
    assertThat(a.statusCode(), is(429));
    assertThat(a.headers().firstValue("Retry-After").orElse(null), is("7"));
    assertThat(b.statusCode(), is(429));
    assertThat(b.headers().firstValue("Retry-After").orElse(null), is("0"));
    assertThat(c.statusCode(), is(429));
    assertThat(c.headers().firstValue("Retry-After").isPresent(), is(false));
    assertThat(Http.object(a).get("error"), is(true));
    assertThat(a.headers().firstValue("X-Socrata-RequestId").isPresent(), is(true));
    assertThat(rows(ok), hasSize(20));
    assertThat(server.pendingFaults(), is(0));
  }

  @Test
  void serverErrorsAndStillProcessing() throws IOException {
    server.failNext(Fault.serverError());
    server.failNext(Fault.serviceUnavailable().withRetryAfter("2"));
    server.failNext(Fault.stillProcessing());
    server.failNext(Fault.status(504));
    HttpResponse<String> e500 = http.get(PATH);
    HttpResponse<String> e503 = http.get(PATH);
    HttpResponse<String> s202 = http.get(PATH);
    HttpResponse<String> e504 = http.get(PATH);
    assertThat(e500.statusCode(), is(500));
    assertThat(e503.statusCode(), is(503));
    assertThat(e503.headers().firstValue("Retry-After").orElse(null), is("2"));
    assertThat(s202.statusCode(), is(202));
    assertThat(s202.body(), is(""));
    assertThat(e504.statusCode(), is(504));
    // all four came on one kept-alive connection
    assertThat(server.requests().stream().map(RecordedRequest::connection).distinct().count(), is(1L));
  }

  @Test
  void slowResponseTimesTheClientOut() throws IOException {
    server.failNext(Fault.slow(Duration.ofSeconds(3)));
    long start = System.nanoTime();
    assertThrows(HttpTimeoutException.class,
        () -> http.send(http.request(PATH).timeout(Duration.ofMillis(300)).build()));
    assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis(), lessThan(2500L));
    // a slow answer within the client's patience is a normal answer
    server.failNext(Fault.slow(Duration.ofMillis(200)));
    start = System.nanoTime();
    HttpResponse<String> r = http.get(PATH);
    assertThat(rows(r), hasSize(20));
    assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis(), greaterThanOrEqualTo(200L));
  }

  @Test
  void connectionResetBeforeAndAfterHeaders() throws IOException {
    // java.net.http (like okhttp) silently retries a GET once when the connection closes before
    // any response byte, so the client only sees the reset if it happens twice in a row
    server.failNext(2, Fault.resetBeforeHeaders());
    IOException before = assertThrows(IOException.class, () -> http.get(PATH));
    server.failNext(Fault.resetAfterHeaders());
    IOException after = assertThrows(IOException.class, () -> http.get(PATH));
    assertThat(rows(http.get(PATH)), hasSize(20));

    List<RecordedRequest> log = server.requests();
    assertThat(log, hasSize(4));
    assertThat(log.get(0).status(), is(0));
    assertThat(log.get(0).fault(), is(Fault.resetBeforeHeaders()));
    assertThat(log.get(1).fault(), is(Fault.resetBeforeHeaders()));
    assertThat(log.get(2).status(), is(200));
    assertThat(log.get(2).fault().kind(), is(Fault.Kind.RESET_AFTER_HEADERS));
    assertThat(log.get(3).fault(), nullValue());
    assertThat(before.toString() + after, not(containsString("imeout")));
  }

  @Test
  void resetBeforeHeadersOnTheWire() throws IOException {
    server.failNext(Fault.resetBeforeHeaders());
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.getOutputStream().write(
          "GET /resource/vw6y-z8j6.json HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThrows(java.net.SocketException.class, () -> s.getInputStream().read());
    }
  }

  @Test
  void resetAfterHeadersDeliversTheHeadersThenTheReset() throws IOException {
    server.failNext(Fault.resetAfterHeaders());
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.getOutputStream().write(
          "GET /resource/vw6y-z8j6.json HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      StringBuilder head = new StringBuilder();
      IOException reset = null;
      try {
        int b;
        while ((b = in.read()) >= 0) {
          head.append((char) b);
        }
      } catch (IOException e) {
        reset = e;
      }
      assertThat(head.toString(), allOf(containsString("HTTP/1.1 200 OK\r\n"),
          containsString("Content-Length: "), containsString("\r\n\r\n")));
      assertThat(head.toString().endsWith("\r\n\r\n"), is(true)); // no body byte
      assertThat(reset, instanceOf(java.net.SocketException.class));
    }
  }

  @Test
  void truncatedBodyIsShorterThanContentLength() throws IOException {
    server.failNext(Fault.truncatedBody());
    IOException e = assertThrows(IOException.class, () -> http.get(PATH));
    assertThat(e.getMessage(), not(containsString("timed out")));
    // on the wire: a Content-Length larger than what arrives before the close
    server.failNext(Fault.truncatedBody());
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      out.write("GET /resource/vw6y-z8j6.json HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int split = all.indexOf("\r\n\r\n");
      String head = all.substring(0, split);
      int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
      int got = all.substring(split + 4).getBytes(StandardCharsets.UTF_8).length;
      assertThat(got, greaterThan(0));
      assertThat(got, lessThan(length));
    }
  }

  @Test
  void malformedJsonIsA200ThatDoesNotParse() throws IOException {
    server.failNext(Fault.malformedJson());
    HttpResponse<String> r = http.get(PATH, "$limit", "1");
    assertThat(r.statusCode(), is(200));
    assertThat(r.body().startsWith("["), is(true));
    assertThrows(IllegalArgumentException.class, () -> Json.parse(r.body()));
    // even an empty page is broken
    server.failNext(Fault.malformedJson());
    HttpResponse<String> empty = http.get(PATH, "$where", "service_request_id = 'none'");
    assertThrows(IllegalArgumentException.class, () -> Json.parse(empty.body()));
  }

  @Test
  void faultsByRequestNumberAndByPredicate() throws IOException {
    server.addDataset("abcd-efgh").upsert(row("service_request_id", "x"));
    server.failRequest(2, Fault.serverError());
    server.failNext(2, SocrataRequests.forDataset("abcd-efgh"), Fault.tooManyRequests(0));
    server.failNext(1, r -> "10".equals(r.param("$offset")), Fault.serviceUnavailable());
    List<Integer> statuses = new ArrayList<>();
    statuses.add(http.get(PATH).statusCode());                            // 1
    statuses.add(http.get(PATH).statusCode());                            // 2: by number
    statuses.add(http.get("/resource/abcd-efgh.json").statusCode());      // 3: predicate
    statuses.add(http.get(PATH, "$offset", "10").statusCode());           // 4: offset rule
    statuses.add(http.get(PATH, "$offset", "10").statusCode());           // 5: spent
    statuses.add(http.get("/resource/abcd-efgh.json").statusCode());      // 6: second use
    statuses.add(http.get("/resource/abcd-efgh.json").statusCode());      // 7: spent
    assertThat(statuses, contains(200, 500, 429, 503, 200, 429, 200));
    assertThat(server.pendingFaults(), is(0));
  }

  @Test
  void randomFaultsAreReproducibleFromTheSeed() throws IOException {
    List<Integer> first = randomRun(42);
    List<Integer> second = randomRun(42);
    assertThat(first, equalTo(second));
    long faulted = first.stream().filter(s -> s != 200).count();
    assertThat(faulted, allOf(greaterThan(5L), lessThan(35L))); // about 20 of 60
    assertThat(first, not(equalTo(randomRun(43))));
  }

  private static List<Integer> randomRun(long seed) throws IOException {
    try (FakeSocrataServer s = new FakeSocrataServer().start()) {
      s.addDataset(SF311).upsert(row("service_request_id", "1"));
      s.failRandomly(0.33, seed, Fault.serverError(), Fault.tooManyRequests(0));
      Http h = new Http(s);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        statuses.add(h.get(PATH).statusCode());
      }
      return statuses;
    }
  }

  @Test
  void aFaultedRequestChangesNothing() throws IOException {
    List<Map<String, Object>> before = dataset.rows();
    for (Fault f : List.of(Fault.serverError(), Fault.truncatedBody(), Fault.resetBeforeHeaders(),
        Fault.malformedJson(), Fault.stillProcessing())) {
      server.failNext(f);
      try {
        http.get(PATH, "$select", ":*,*");
      } catch (IOException expected) {
        // the reset and the truncation
      }
    }
    assertThat(dataset.rows(), equalTo(before));
    assertThat(rows(http.get(PATH, "$select", ":*,*", "$order", "service_request_id")),
        equalTo(before.stream().sorted((a, b) -> Integer.compare(
            Integer.parseInt((String) a.get("service_request_id")),
            Integer.parseInt((String) b.get("service_request_id")))).toList()));
  }

  @Test
  void latencyIgnoredOffsetAndPageCap() throws IOException {
    server.latency(Duration.ofMillis(150));
    long start = System.nanoTime();
    http.get(PATH, "$limit", "1");
    assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis(), greaterThanOrEqualTo(150L));
    server.latency(Duration.ZERO);

    server.ignoreOffset();
    List<String> page0 = column(http.get(PATH, "$order", ":id", "$limit", "5", "$offset", "0"), "service_request_id");
    List<String> page1 = column(http.get(PATH, "$order", ":id", "$limit", "5", "$offset", "5"), "service_request_id");
    assertThat(page1, equalTo(page0));
    server.ignoreOffset(false);

    server.pageSizeCap(7);
    assertThat(rows(http.get(PATH, "$limit", "10")), hasSize(7));
    assertThat(rows(http.get(PATH, "$limit", "10", "$offset", "14")), hasSize(6));
    assertThat(rows(http.get(PATH, "$limit", "3")), hasSize(3));
  }

  @Test
  void requestLogRecordsWhatWasAskedAndAnswered() throws IOException {
    server.failNext(Fault.tooManyRequests(1));
    http.send(http.request(PATH, "$where", ":updated_at >= '2021-07-10T00:00:00.000Z'",
        "$order", ":updated_at,:id", "$limit", "3").header("X-App-Token", "tok").build());
    http.get(PATH, "$order", ":id", "$limit", "3");
    http.get("/resource/nope-nope.json");

    List<RecordedRequest> log = server.requests();
    assertThat(log, hasSize(3));
    RecordedRequest first = log.get(0);
    assertThat(first.number(), is(1));
    assertThat(first.method(), is("GET"));
    assertThat(first.path(), is(PATH));
    assertThat(SocrataRequests.resourceId(first), is(SF311));
    assertThat(first.param("$where"), is(":updated_at >= '2021-07-10T00:00:00.000Z'"));
    assertThat(first.param("$order"), is(":updated_at,:id"));
    assertThat(first.params().keySet(), contains("$where", "$order", "$limit"));
    assertThat(first.header("X-App-Token"), is("tok"));
    assertThat(first.status(), is(429));
    assertThat(first.fault(), is(Fault.tooManyRequests(1)));
    assertThat(first.rows(), is(-1));
    assertThat(log.get(1).status(), is(200));
    assertThat(log.get(1).rows(), is(3));
    assertThat(log.get(1).header("X-App-Token"), nullValue());
    assertThat(log.get(1).requestId(), not(equalTo(first.requestId())));
    assertThat(log.get(2).status(), is(404));
    assertThat(server.requests(SocrataRequests.forDataset(SF311)), hasSize(2));
    assertThat(server.lastRequest().path(), is("/resource/nope-nope.json"));
    server.clearRequests();
    http.get(PATH);
    assertThat(server.requests().get(0).number(), is(4));
    assertThat(server.requestCount(), is(4));
  }

  @Test
  void connectionCloseModeAndManyParallelClients() throws Exception {
    server.connectionClose(true);
    HttpResponse<String> r = http.get(PATH);
    assertThat(r.headers().firstValue("Connection").orElse(""), is("close"));
    http.get(PATH);
    List<RecordedRequest> log = server.requests();
    assertThat(log.get(0).connection(), not(equalTo(log.get(1).connection())));
    server.connectionClose(false);

    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      futures.add(http.client.sendAsync(http.request(PATH, "$limit", "2").build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    for (var f : futures) {
      assertThat(rows(f.get()), hasSize(2));
    }
  }
}
