package dev.intake.transforms.sources.socrata;

import static dev.intake.transforms.sources.socrata.Fixtures.TOKEN_ENV;
import static dev.intake.transforms.sources.socrata.Fixtures.serviceRequestIds;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.sources.http.ApiException;
import dev.intake.transforms.sources.http.Page;
import dev.intake.transforms.sources.http.ScriptedServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Answers the fake Socrata does not give: broken pagers, redirects, odd headers and bodies. */
class SocrataClientOddServersTest {
  private static final Instant FROM = Instant.parse("2021-07-10T00:00:00Z");
  private static final Instant TO = Instant.parse("2021-07-11T00:00:00Z");
  private static final String TOKEN = "tok-odd-servers-secret";

  private ScriptedServer server;
  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private SocrataClient client(SocrataConfig.Builder config) {
    return SocrataClient.create(config.build(), Map.of(TOKEN_ENV, TOKEN)::get, sleeps::add,
        Clock.fixed(FROM, ZoneOffset.UTC));
  }

  private SocrataConfig.Builder config() {
    return SocrataConfig.builder().baseUrl(server.baseUrl()).resource("vw6y-z8j6")
        .tokenEnv(TOKEN_ENV).pageSize(3);
  }

  private static String row(String key, String updatedAt, String id) {
    return "{\":id\":\"" + id + "\",\":updated_at\":\"" + updatedAt
        + "\",\"service_request_id\":\"" + key + "\"}";
  }

  private static String page(String... rows) {
    return "[" + String.join("\n,", rows) + "]\n";
  }

  @Test
  void aServerIgnoringTheKeysetEndsPagingWithoutDuplicates() throws Exception {
    String same = page(row("k1", "2021-07-10T01:00:00.000Z", "row-1"),
        row("k2", "2021-07-10T01:00:00.000Z", "row-2"),
        row("k3", "2021-07-10T02:00:00.000Z", "row-3"));
    server.then(200, same).then(200, same).then(200, same);
    try (SocrataClient client = client(config())) {
      List<Page> pages = Fixtures.fetch(client, FROM, TO);
      assertThat(serviceRequestIds(pages), contains("k1", "k2", "k3"));
      assertThat(server.received(), hasSize(2));
      assertThat(client.stalledWindows(), is(1L));
    }
  }

  @Test
  void aPageEndingBeforeTheCursorEndsPaging() throws Exception {
    server.then(200, page(row("k1", "2021-07-10T03:00:00.000Z", "row-1"),
            row("k2", "2021-07-10T03:00:00.000Z", "row-2"),
            row("k3", "2021-07-10T04:00:00.000Z", "row-3")))
        .then(200, page(row("k4", "2021-07-10T04:00:00.000Z", "row-4"),
            row("k5", "2021-07-10T01:00:00.000Z", "row-5"),
            row("k6", "2021-07-10T02:00:00.000Z", "row-6")));
    try (SocrataClient client = client(config())) {
      assertThat(serviceRequestIds(Fixtures.fetch(client, FROM, TO)),
          contains("k1", "k2", "k3"));
      assertThat(client.stalledWindows(), is(1L));
    }
  }

  @Test
  void aFullPageWhoseLastRowHasNoIdCannotBeContinued() {
    server.then(200, page(row("k1", "2021-07-10T03:00:00.000Z", "row-1"),
        row("k2", "2021-07-10T03:00:00.000Z", "row-2"),
        "{\":updated_at\":\"2021-07-10T03:00:00.000Z\"}"));
    try (SocrataClient client = client(config())) {
      ApiException e = assertThrows(ApiException.class,
          () -> Fixtures.fetch(client, FROM, TO));
      assertThat(e.kind(), is(ApiException.Kind.BAD_ANSWER));
      assertThat(e.getMessage(), startsWith("cannot page on: the last row has no :id for GET "));
    }
  }

  @Test
  void aRedirectIsNotFollowedSoTheTokenCannotTravel() {
    server.then(301, "", "Location", "https://elsewhere.example/resource/vw6y-z8j6.json");
    try (SocrataClient client = client(config())) {
      ApiException e = assertThrows(ApiException.class, client::checkAccess);
      assertThat(e.getMessage(), startsWith("Socrata answered 301 (a redirect to"
          + " https://elsewhere.example/resource/vw6y-z8j6.json, not followed: check the base"
          + " URL) for GET " + server.baseUrl() + "/resource/vw6y-z8j6.json?$select="));
      assertThat(server.received(), hasSize(1));
    }
  }

  @Test
  void aRetryAfterDateIsHonoured() throws Exception {
    server.then(503, "", "Retry-After", "Sat, 10 Jul 2021 00:00:05 GMT").then(200, "[]");
    try (SocrataClient client = client(config())) {
      client.checkAccess();
    }
    assertThat(sleeps, contains(Duration.ofSeconds(5)));
  }

  @Test
  void anErrorBodyEchoingTheTokenIsScrubbed() {
    server.then(400, "{\"errorCode\":\"bad\",\"message\":\"token " + TOKEN + " is odd\"}");
    try (SocrataClient client = client(config())) {
      ApiException e = assertThrows(ApiException.class, client::checkAccess);
      assertThat(e.getMessage(), startsWith("Socrata answered 400 bad (token <app token> is odd)"));
      assertThat(e.getMessage(), not(containsString(TOKEN)));
      assertThat(server.received().get(0).header("X-App-Token"), is(TOKEN));
      assertThat(server.received().get(0).uri().toString(), not(containsString(TOKEN)));
    }
  }

  @Test
  void aNonJsonErrorBodyIsGlimpsedOnOneLine() {
    server.then(502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n</html>");
    try (SocrataClient client = client(config().maxRetriesPerRequest(0))) {
      ApiException e = assertThrows(ApiException.class, client::checkAccess);
      assertThat(e.getMessage(), startsWith("gave up after 0 retries: Socrata answered 502"
          + " (<html> <head><title>502 Bad Gateway</title></head> </html>) for GET "));
      assertThat(e.getMessage().lines().count(), is(1L));
    }
  }
}
