package dev.intake.transforms.sources.socrata;

import static dev.intake.transforms.sources.socrata.Fixtures.RESOURCE;
import static dev.intake.transforms.sources.socrata.Fixtures.T0;
import static dev.intake.transforms.sources.socrata.Fixtures.TOKEN_ENV;
import static dev.intake.transforms.sources.socrata.Fixtures.config;
import static dev.intake.transforms.sources.socrata.Fixtures.fetch;
import static dev.intake.transforms.sources.socrata.Fixtures.keys;
import static dev.intake.transforms.sources.socrata.Fixtures.upsertAt;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.testdata.socrata.FakeSocrataServer;
import dev.intake.testdata.socrata.SocrataRequests;
import dev.intake.testdata.http.Fault;
import dev.intake.testdata.http.RecordedRequest;
import dev.intake.transforms.sources.http.ApiException;
import dev.intake.transforms.sources.http.Page;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Answers that are not retried, and the app token's secrecy. */
class SocrataClientErrorsTest {
  private static final String TOKEN = "tok-3f9a0c2e-known-secret";

  private FakeSocrataServer socrata;
  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws Exception {
    socrata = new FakeSocrataServer().start();
    socrata.requireAppToken(TOKEN);
    upsertAt(socrata, socrata.addDataset(RESOURCE), T0.plusSeconds(5), keys("a", 7));
  }

  @AfterEach
  void stop() {
    socrata.close();
  }

  private SocrataClient client(SocrataConfig.Builder config, String token) {
    Map<String, String> env = token == null ? Map.of() : Map.of(TOKEN_ENV, token);
    return Fixtures.client(config.tokenEnv(TOKEN_ENV).build(), env, sleeps);
  }

  private String checkAccessUrl(String resource, String field) {
    return socrata.resourceUrl(resource) + "?$select=:id," + field + "&$where=" + field
        + " IS NOT NULL&$limit=1";
  }

  @Test
  void aBadTokenIsOneLineWithStatusCodeMessageUrlAndRequestIdButNoToken() {
    String wrong = "tok-wrong-0000-secret";
    try (SocrataClient client = client(config(socrata), wrong)) {
      ApiException e = assertThrows(ApiException.class, client::checkAccess);
      assertThat(e.getMessage(), is("Socrata answered 403 permission_denied (Invalid app_token"
          + " specified) for GET " + checkAccessUrl(RESOURCE, ":updated_at") + " [request id "
          + socrata.lastRequest().requestId() + "]"));
      assertThat(e.getMessage(), not(containsString(wrong)));
      assertThat(e.kind(), is(ApiException.Kind.REFUSED));
      assertThat(e.status(), is(403));
      assertThat(socrata.requests(), hasSize(1));
      assertThat(sleeps, empty());
    }
  }

  @Test
  void anUnknownDatasetIs404OneLine() {
    try (SocrataClient client = client(config(socrata).resource("abcd-1234"), TOKEN)) {
      ApiException e = assertThrows(ApiException.class, client::checkAccess);
      assertThat(e.getMessage(), is("Socrata answered 404 dataset.missing (Not found) for GET "
          + checkAccessUrl("abcd-1234", ":updated_at") + " [request id "
          + socrata.lastRequest().requestId() + "]"));
    }
  }

  @Test
  void anUnknownWindowFieldIs400OneLine() throws Exception {
    try (SocrataClient client = client(config(socrata).windowField("no_such_field"), TOKEN)) {
      ApiException e = assertThrows(ApiException.class, client::checkAccess);
      assertThat(e.getMessage(), startsWith("Socrata answered 400 query.soql.no-such-column (No"
          + " such column: no_such_field) for GET " + checkAccessUrl(RESOURCE, "no_such_field")));

      e = assertThrows(ApiException.class,
          () -> fetch(client, T0, T0.plus(Duration.ofDays(1))));
      assertThat(e.getMessage(), startsWith("Socrata answered 400 query.soql.no-such-column"));
      assertThat(socrata.requests(), hasSize(2));
      assertThat(sleeps, empty());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 405, 501})
  void otherErrorStatusesAreNotRetried(int status) {
    socrata.failNext(Fault.status(status));
    try (SocrataClient client = client(config(socrata), TOKEN)) {
      ApiException e = assertThrows(ApiException.class,
          () -> fetch(client, T0, T0.plus(Duration.ofDays(1))));
      assertThat(e.getMessage(), startsWith("Socrata answered " + status + " http." + status));
      assertThat(e.getMessage().lines().count(), is(1L));
      assertThat(socrata.requests(), hasSize(1));
      assertThat(sleeps, empty());
    }
  }

  @Test
  void theTokenGoesOnlyInTheHeaderNeverInAUrlAPageOrAMessage() throws Exception {
    socrata.failNext(1, SocrataRequests.anyResource(), Fault.serviceUnavailable());
    List<Page> pages;
    try (SocrataClient client = client(config(socrata).pageSize(3), TOKEN)) {
      client.checkAccess();
      pages = fetch(client, T0, T0.plus(Duration.ofDays(1)));
      assertThat(client.toString(), not(containsString(TOKEN)));
    }
    List<RecordedRequest> requests = socrata.requests();
    assertThat(requests, hasSize(5));
    assertThat(requests.stream().map(r -> r.header("X-App-Token")).toList(),
        everyItem(is(TOKEN)));
    assertThat(requests.stream().map(RecordedRequest::rawQuery).toList(),
        everyItem(not(containsString(TOKEN))));
    assertThat(requests.stream().map(r -> r.param("$$app_token")).toList(),
        everyItem(nullValue()));
    for (Page p : pages) {
      assertThat(p.requestUrl(), not(containsString(TOKEN)));
      assertThat(new String(p.body(), StandardCharsets.UTF_8), not(containsString(TOKEN)));
      assertThat(p.toString(), not(containsString(TOKEN)));
    }
  }

  @Test
  void withoutTokenEnvNoTokenIsSent() throws Exception {
    socrata.requireAppToken(null);
    try (SocrataClient client = Fixtures.client(config(socrata).build(),
        Map.of(TOKEN_ENV, TOKEN), sleeps)) {
      client.checkAccess();
    }
    assertThat(socrata.lastRequest().header("X-App-Token"), nullValue());
  }

  @Test
  void aTokenIsTrimmedOfTheNewlineAFileOrShellLeftOnIt() throws Exception {
    try (SocrataClient client = client(config(socrata), TOKEN + "\n")) {
      client.checkAccess();
    }
    assertThat(socrata.lastRequest().header("X-App-Token"), is(TOKEN));
  }

  @Test
  void aMissingTokenVariableFailsEveryRequestNamingTheVariableAndSendsNothing() {
    try (SocrataClient client = client(config(socrata), null)) {
      ApiException e = assertThrows(ApiException.class, client::checkAccess);
      assertThat(e.getMessage(), is("the environment variable SOCRATA_APP_TOKEN (tokenEnv) that"
          + " should hold the app token is not set or empty"));
      assertThat(e.kind(), is(ApiException.Kind.MISSING_SECRET));
      assertThrows(ApiException.class,
          () -> client.fetchWindow(T0, T0.plusSeconds(1), page -> {}));
    }
    assertThat(socrata.requests(), empty());
  }

  @Test
  void aTokenWithControlCharactersIsRefusedWithoutShowingIt() {
    String bad = "abc\u0001secret-part";
    try (SocrataClient client = client(config(socrata), bad)) {
      ApiException e = assertThrows(ApiException.class, client::checkAccess);
      assertThat(e.getMessage(), is("the environment variable SOCRATA_APP_TOKEN (tokenEnv) holds"
          + " characters that an app token cannot have"));
    }
    assertThat(socrata.requests(), empty());
  }

  @Test
  void aConsumersExceptionReachesTheCallerAsIs() throws Exception {
    IOException mine = new IOException("disk full");
    try (SocrataClient client = client(config(socrata), TOKEN)) {
      IOException e = assertThrows(IOException.class,
          () -> client.fetchWindow(T0, T0.plus(Duration.ofDays(1)), page -> {
            throw mine;
          }));
      assertThat(e, is(mine));
    }
    assertThat(socrata.requests().stream().map(RecordedRequest::status).toList(), contains(200));
  }
}
