package dev.intake.transforms.sources.rest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.sources.ApiTuning;
import dev.intake.transforms.sources.http.ApiException;
import dev.intake.transforms.sources.http.Page;
import dev.intake.transforms.sources.http.PagedWindowFetcher;
import dev.intake.transforms.sources.http.ScriptedServer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A spec-declared source's endpoint comes from the spec's base URL (or --apiBaseUrl) only: a
 * response cursor that looks like a link to another host is sent, encoded, as the cursor parameter
 * to the same host, with the secret, never to the host it names. The run's page bound comes from
 * its tuning.
 */
class CursorHostTest {
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

  @Test
  void aCursorNamingAnotherHostIsOnlyAParameterToTheBaseUrl() throws Exception {
    server.then(200, "{\"items\":[{\"id\":1}],\"next\":\"http://127.0.0.2:1/steal?x=1\"}")
        .then(200, "{\"items\":[],\"next\":null}");
    HttpSource source = (HttpSource) new HttpSourceType().configure(
        Specs.offsetGet(server.baseUrl())
            .with("query", Specs.map("cursor", "${cursor}", "n", "${limit}"))
            .with("records", "items")
            .with("paginator", Specs.map("type", "cursor", "fromResponse", "next")));
    HttpSource.Run run = source.run(ApiTuning.defaults().withPageSize(1));
    List<Page> pages = new ArrayList<>();
    try (PagedWindowFetcher f = run.fetcher(run.requester(Map.of("ITEMS_KEY", "k3y")::get,
        d -> { }, Clock.systemUTC()))) {
      f.fetch(FROM, TO, pages::add);
    }
    assertThat(pages, hasSize(1));
    assertThat(server.received().stream().map(r -> r.uri().toString()).toList(), contains(
        "/v1/items?n=1&api_key=k3y",
        "/v1/items?cursor=http%3A%2F%2F127.0.0.2%3A1%2Fsteal%3Fx%3D1&n=1&api_key=k3y"));
  }

  @Test
  void theTuningsPageBoundFailsALargerAnswer() throws Exception {
    server.then(200, "{\"items\":[{\"id\":1},{\"id\":2}],\"next\":null}");
    HttpSource source = (HttpSource) new HttpSourceType().configure(
        Specs.offsetGet(server.baseUrl())
            .with("query", Specs.map("cursor", "${cursor}", "n", "${limit}"))
            .with("records", "items")
            .with("auth", null)
            .with("paginator", Specs.map("type", "cursor", "fromResponse", "next")));
    HttpSource.Run run = source.run(ApiTuning.defaults().withPageSize(2).withMaxPageBytes(20));
    try (PagedWindowFetcher f = run.fetcher(run.requester(Map.<String, String>of()::get,
        d -> { }, Clock.systemUTC()))) {
      ApiException e = assertThrows(ApiException.class, () -> f.fetch(FROM, TO, p -> { }));
      assertThat(e.getMessage(), is("Items answered a page of more than 20 bytes (the bound"
          + " maxPageBytes) for GET " + server.baseUrl() + "/v1/items?n=2; lower --pageSize or"
          + " raise --maxPageBytes"));
    }
  }
}
