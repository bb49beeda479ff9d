package dev.intake.transforms.sources.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests go only where the spec (or --apiBaseUrl) points: a paginator that would follow a link
 * from an answer to another host is stopped before the request is sent, and an answer larger than
 * the page bound is refused without being read further or retried. A page nested deeper than
 * the JSON parser allows is a malformed answer (retried, then the run fails), not a crash.
 */
class ForeignHostTest {
  private static final Instant FROM = Instant.parse("2024-03-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2024-03-02T00:00:00Z");

  private ScriptedServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Follows the answer's "next" link as a URL, as a link paginator would. */
  private Paginator followsNextLinks() {
    return new Paginator() {
      @Override
      public int pageSize() {
        return 1;
      }

      @Override
      public List<String> fields() {
        return List.of("id");
      }

      @Override
      public Window start(Instant from, Instant to) {
        return new Window() {
          @Override
          public ApiRequest first() {
            return ApiRequest.get(HttpUrl.get(server.baseUrl() + "/items"));
          }

          @Override
          public String stall(RecordSelector.Selection page) {
            return null;
          }

          @Override
          public ApiRequest next(RecordSelector.Selection page, Requester.Answer<?> answer) {
            String body = new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8);
            String link = body.replaceAll("(?s).*\"next\":\"([^\"]*)\".*", "$1");
            return ApiRequest.get(HttpUrl.get(link));
          }
        };
      }
    };
  }

  @Test
  void aNextLinkToAnotherHostIsRefusedBeforeAnyRequestGoesThere() throws Exception {
    HttpUrl base = HttpUrl.get(server.baseUrl());
    String sameHost = base + "items?after=1";
    String otherHost = "http://127.0.0.2:" + base.port() + "/steal?after=2";
    server.then(200, "{\"items\":[{\"id\":1}],\"next\":\"" + sameHost + "\"}")
        .then(200, "{\"items\":[{\"id\":2}],\"next\":\"" + otherHost + "\"}");
    List<Page> pages = new ArrayList<>();
    try (PagedWindowFetcher f = PagedWindowFetcher.of(Requester.builder("Example").build(),
        RecordSelector.at("items"), followsNextLinks(), 10, "items")) {
      ApiException e = assertThrows(ApiException.class, () -> f.fetch(FROM, TO, pages::add));

      assertThat(e.kind(), is(ApiException.Kind.BAD_ANSWER));
      assertThat(e.getMessage(), is("page 2 of window [" + FROM + ", " + TO + ") of items would"
          + " be asked from http://127.0.0.2:" + base.port() + ", not from http://127.0.0.1:"
          + base.port() + " where paging began: requests go only to the spec's base URL (or"
          + " --apiBaseUrl), never to a host an answer names"));
    }
    assertThat(pages, hasSize(2));
    assertThat(server.received().stream().map(r -> r.uri().toString()).toList(),
        contains("/items", "/items?after=1"));
  }

  @Test
  void anAnswerOverThePageBoundFailsWithoutRetryingOrReadingOn() throws Exception {
    String body = "[" + "{\"id\":1},".repeat(20) + "{\"id\":2}]";
    server.then(200, body).then(200, "[]");
    try (Requester r = Requester.builder("Example").maxPageBytes(100).build()) {
      ApiException e = assertThrows(ApiException.class, () -> r.send(
          ApiRequest.get(HttpUrl.get(server.baseUrl() + "/items?limit=21")),
          b -> RecordSelector.rootArray().select(b, List.of())));

      assertThat(e.kind(), is(ApiException.Kind.BAD_ANSWER));
      assertThat(e.getMessage(), is("Example answered a page of more than 100 bytes (the bound"
          + " maxPageBytes) for GET " + server.baseUrl() + "/items?limit=21; lower --pageSize or"
          + " raise --maxPageBytes"));
    }
    assertThat(server.received(), hasSize(1));
  }

  @Test
  void anAnswerAtThePageBoundIsRead() throws Exception {
    String body = "[{\"id\":1}]";
    server.then(200, body);
    try (Requester r = Requester.builder("Example").maxPageBytes(body.length()).build()) {
      Requester.Answer<RecordSelector.Selection> a = r.send(
          ApiRequest.get(HttpUrl.get(server.baseUrl() + "/items")),
          b -> RecordSelector.rootArray().select(b, List.of()));
      assertThat(a.value().records(), contains("{\"id\":1}"));
    }
  }

  @Test
  void aPageNestedDeeperThanTheParserAllowsIsMalformed() {
    byte[] body = ("[{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}]").getBytes(
        java.nio.charset.StandardCharsets.UTF_8);
    MalformedAnswerException e = assertThrows(MalformedAnswerException.class,
        () -> RecordSelector.rootArray().select(body, List.of()));
    assertThat(e.getMessage(), is("Depth (1001) exceeds the maximum allowed nesting depth"
        + " (1000)"));
  }
}
