package dev.intake.transforms.sources.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The requester against a scripted server on 127.0.0.1: methods, bodies, auth, retries. */
class RequesterTest {
  private static final String KEY = "cb-key-5f1e-known-secret";
  private static final String SEARCH = "{\"field_ids\":[\"uuid\",\"name\"],\"limit\":2}";
  private static final RecordSelector ENTITIES = RecordSelector.field("entities");
  private static final Instant NOW = Instant.parse("2024-03-01T12:00:00Z");

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

  private Requester.Builder requester(Auth auth, Map<String, String> env) {
    return Requester.builder("Example").auth(auth).environment(env::get).sleeper(sleeps::add)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private HttpUrl url(String path) {
    return HttpUrl.get(server.baseUrl() + path);
  }

  private static Requester.AnswerReader<List<String>> entities() {
    return body -> ENTITIES.select(body, List.of("uuid")).values("uuid");
  }

  @Test
  void aPostSendsItsJsonBodyAndTheSelectorReadsTheAnswer() throws Exception {
    server.then(200, "{\"count\":2,\"entities\":[{\"uuid\":\"u1\"},{\"uuid\":\"u2\"}]}",
        "X-Request-Id", "req-7");
    try (Requester r = requester(Auth.none(), Map.of()).requestIdHeader("X-Request-Id")
        .userAgent("Intake-Test/1").build()) {
      ApiRequest request = ApiRequest.post(url("/api/v4/searches/organizations"), SEARCH)
          .withHeader("X-Extra", "1");
      Requester.Answer<List<String>> answer = r.send(request, entities());

      assertThat(answer.value(), contains("u1", "u2"));
      assertThat(answer.requestId(), is("req-7"));
      assertThat(answer.receivedAt(), is(NOW));
      assertThat(answer.request(), is(request));
    }
    ScriptedServer.Received sent = server.received().get(0);
    assertThat(sent.method(), is("POST"));
    assertThat(sent.uri().toString(), is("/api/v4/searches/organizations"));
    assertThat(sent.body(), is(SEARCH));
    assertThat(sent.header("Content-Type"), is("application/json; charset=utf-8"));
    assertThat(sent.header("Accept"), is("application/json"));
    assertThat(sent.header("User-Agent"), is("Intake-Test/1"));
    assertThat(sent.header("X-Extra"), is("1"));
  }

  @Test
  void aGetSendsNoBody() throws Exception {
    server.then(200, "[]");
    try (Requester r = requester(Auth.none(), Map.of()).build()) {
      r.send(ApiRequest.get(url("/items?limit=1")), body -> body.length);
    }
    assertThat(server.received().get(0).method(), is("GET"));
    assertThat(server.received().get(0).body(), is(""));
    assertThat(server.received().get(0).header("Authorization"), nullValue());
  }

  @Test
  void anApiKeyInAHeaderIsSentOnlyThere() throws Exception {
    server.then(200, "{\"entities\":[]}");
    try (Requester r = requester(Auth.apiKeyInHeader("X-cb-user-key", "CB_KEY"),
        Map.of("CB_KEY", KEY + "\n")).build()) {
      r.send(ApiRequest.post(url("/search"), SEARCH), entities());
    }
    ScriptedServer.Received sent = server.received().get(0);
    assertThat(sent.header("X-cb-user-key"), is(KEY));
    assertThat(sent.uri().toString(), not(containsString(KEY)));
    assertThat(sent.body(), not(containsString(KEY)));
  }

  @Test
  void aBearerTokenGoesInTheAuthorizationHeader() throws Exception {
    server.then(200, "[]");
    try (Requester r =
        requester(Auth.bearerToken("API_TOKEN"), Map.of("API_TOKEN", KEY)).build()) {
      r.send(ApiRequest.get(url("/items")), body -> body.length);
    }
    assertThat(server.received().get(0).header("Authorization"), is("Bearer " + KEY));
  }

  @Test
  void anApiKeyInTheQueryIsAddedOnTheWireButNeverToTheRequestOrAMessage() throws Exception {
    server.then(200, "[]").then(403, "{\"message\":\"key " + KEY + " is revoked\"}");
    ApiRequest request = ApiRequest.get(url("/items?limit=1"));
    try (Requester r = requester(Auth.apiKeyInQuery("user_key", "CB_KEY"),
        Map.of("CB_KEY", KEY)).build()) {
      Requester.Answer<Integer> answer = r.send(request, body -> body.length);
      assertThat(answer.request().url().toString(), not(containsString(KEY)));

      ApiException e = assertThrows(ApiException.class, () -> r.send(request, body -> 0));
      assertThat(e.getMessage(), is("Example answered 403 ({\"message\":\"key <API key> is"
          + " revoked\"}) for GET " + server.baseUrl() + "/items?limit=1"));
    }
    assertThat(server.received().get(0).uri().toString(), is("/items?limit=1&user_key=" + KEY));
  }

  @Test
  void aMissingSecretFailsEveryRequestNamingTheVariableAndSendsNothing() {
    try (Requester r = requester(Auth.apiKeyInHeader("X-cb-user-key", "CB_KEY"), Map.of())
        .build()) {
      ApiException e = assertThrows(ApiException.class,
          () -> r.send(ApiRequest.get(url("/items")), body -> 0));
      assertThat(e.kind(), is(ApiException.Kind.MISSING_SECRET));
      assertThat(e.getMessage(),
          is("the environment variable CB_KEY that should hold the API key is not set or empty"));
    }
    try (Requester r = requester(Auth.bearerToken("API_TOKEN").describedAs("access token",
        "tokenEnv"), Map.of("API_TOKEN", "a\u0007b")).build()) {
      ApiException e = assertThrows(ApiException.class,
          () -> r.send(ApiRequest.get(url("/items")), body -> 0));
      assertThat(e.getMessage(), is("the environment variable API_TOKEN (tokenEnv) holds"
          + " characters that an access token cannot have"));
    }
    assertThat(server.received(), empty());
  }

  @Test
  void theProtocolsErrorDetailAndRequestIdHeaderAreConfiguration() {
    server.then(401, "{\"error\":{\"code\":\"LA401\",\"text\":\"Unauthorized " + KEY + "\"}}",
        "X-Trace", "t-1");
    try (Requester r = requester(Auth.apiKeyInHeader("X-cb-user-key", "CB_KEY"),
        Map.of("CB_KEY", KEY)).requestIdHeader("X-Trace")
        .errorDetail(body -> body.contains("\"error\"")
            ? Optional.of(body.replaceAll(".*\"code\":\"([^\"]*)\",\"text\":\"([^\"]*)\".*",
                "$1 ($2)"))
            : Optional.empty())
        .build()) {
      ApiException e = assertThrows(ApiException.class,
          () -> r.send(ApiRequest.post(url("/search"), SEARCH), entities()));
      assertThat(e.getMessage(), is("Example answered 401 LA401 (Unauthorized <API key>) for POST "
          + server.baseUrl() + "/search [request id t-1]"));
      assertThat(e.kind(), is(ApiException.Kind.REFUSED));
      assertThat(e.status(), is(401));
      assertThat(e.requestId(), is("t-1"));
    }
  }

  @Test
  void aThrottledPostIsSentAgainWithTheSameBodyAfterRetryAfter() throws Exception {
    server.then(429, "", "Retry-After", "2")
        .then(200, "{\"entities\":[{\"uuid\":\"u1\"}]}");
    try (Requester r = requester(Auth.none(), Map.of()).build()) {
      assertThat(r.send(ApiRequest.post(url("/search"), SEARCH), entities()).value(),
          contains("u1"));
      assertThat(r.budgetLeft(), is(99));
    }
    assertThat(sleeps, contains(Duration.ofSeconds(2)));
    assertThat(server.received().stream().map(ScriptedServer.Received::body).toList(),
        contains(SEARCH, SEARCH));
  }

  @Test
  void aRefusedConnectionIsRetriedBrieflyNotForTheWholePolicy() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    HttpUrl nobody = HttpUrl.get("http://127.0.0.1:" + port + "/search");
    try (Requester r = requester(Auth.none(), Map.of())
        .retryPolicy(RetryPolicy.defaults().withMaxRetriesPerRequest(8)).build()) {
      ApiException e = assertThrows(ApiException.class,
          () -> r.send(ApiRequest.post(nobody, SEARCH), entities()));
      assertThat(e.kind(), is(ApiException.Kind.GAVE_UP));
      assertThat(e.getMessage(), containsString("gave up after 3 retries (the connection was"
          + " refused each time)"));
    }
    assertThat(sleeps.size(), is(Requester.MAX_RETRIES_WHEN_REFUSED));
  }

  @Test
  void anUnusable200IsRetriedAndNamedWhenRetriesRunOut() {
    server.then(200, "[{\"uuid\":\"u1\"}]").then(200, "{\"entities\":[{\"uuid\":\"u1\"}");
    try (Requester r = requester(Auth.none(), Map.of())
        .retryPolicy(RetryPolicy.defaults().withMaxRetriesPerRequest(1)).build()) {
      ApiException e = assertThrows(ApiException.class,
          () -> r.send(ApiRequest.post(url("/search"), SEARCH), entities()));
      assertThat(e.kind(), is(ApiException.Kind.GAVE_UP));
      assertThat(e.getMessage(), containsString("gave up after 1 retry: Example answered 200 with"
          + " a body that is not a JSON object whose field entities is an array of objects"
          + " (Unexpected end-of-input"));
    }
    assertThat(server.received(), hasSize(2));
  }

  @Test
  void theRetryableStatusesArePolicy() throws Exception {
    server.then(409, "busy").then(200, "[]").then(503, "down");
    RetryPolicy policy = RetryPolicy.defaults().withRetryableStatuses(Set.of(409));
    try (Requester r = requester(Auth.none(), Map.of()).retryPolicy(policy).build()) {
      r.send(ApiRequest.get(url("/a")), body -> 0);
      ApiException e =
          assertThrows(ApiException.class, () -> r.send(ApiRequest.get(url("/b")), body -> 0));
      assertThat(e.getMessage(), is("Example answered 503 (down) for GET " + server.baseUrl()
          + "/b"));
    }
    assertThat(sleeps, hasSize(1));
  }

  @Test
  void theBudgetIsSharedByAllRequestsOfTheRequester() throws Exception {
    server.then(500, "").then(200, "[]").then(500, "");
    try (Requester r = requester(Auth.none(), Map.of())
        .retryPolicy(RetryPolicy.defaults().withRetryBudget(1)).build()) {
      r.send(ApiRequest.get(url("/a")), body -> 0);
      ApiException e =
          assertThrows(ApiException.class, () -> r.send(ApiRequest.get(url("/b")), body -> 0));
      assertThat(e.getMessage(), is("gave up after 0 retries (the client's retry budget of 1 is"
          + " spent): Example answered 500 for GET " + server.baseUrl() + "/b"));
      assertThat(r.budgetLeft(), is(0));
    }
  }

  @Test
  void aRedirectIsNotFollowed() {
    server.then(302, "", "Location", "https://elsewhere.example/x");
    try (Requester r = requester(Auth.bearerToken("API_TOKEN"), Map.of("API_TOKEN", KEY))
        .build()) {
      ApiException e =
          assertThrows(ApiException.class, () -> r.send(ApiRequest.get(url("/x")), body -> 0));
      assertThat(e.getMessage(), is("Example answered 302 (a redirect to"
          + " https://elsewhere.example/x, not followed: check the base URL) for GET "
          + server.baseUrl() + "/x"));
    }
    assertThat(server.received(), hasSize(1));
  }

  @Test
  void retryAfterIsSecondsOrADateAndZeroOrPastOrJunkMeansBackoff() {
    try (Requester r = requester(Auth.none(), Map.of()).build()) {
      assertThat(r.retryAfter("7"), is(Duration.ofSeconds(7)));
      assertThat(r.retryAfter("Fri, 01 Mar 2024 12:00:30 GMT"), is(Duration.ofSeconds(30)));
      assertThat(r.retryAfter("0"), nullValue());
      assertThat(r.retryAfter("Fri, 01 Mar 2024 11:00:00 GMT"), nullValue());
      assertThat(r.retryAfter("soon"), nullValue());
      assertThat(r.retryAfter(null), nullValue());
      assertThat(r.delay(0, Duration.ofMinutes(5)), is(Duration.ofSeconds(30)));
    }
  }

  @Test
  void authAndBuilderArgumentsAreChecked() {
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> Auth.apiKeyInHeader("X-Key", "MY-KEY")).getMessage(),
        is("env must name an environment variable, but was MY-KEY"));
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> Auth.apiKeyInHeader("X Key", "KEY")).getMessage(),
        is("header must be an HTTP header name, but was X Key"));
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> Requester.builder("x").timeout(Duration.ZERO)).getMessage(),
        is("requestTimeout must be > 0, but was PT0S"));
    assertThat(Auth.apiKeyInQuery("user_key", "CB_KEY").secretEnvs(), contains("CB_KEY"));
    assertThat(Auth.none().secretEnvs(), empty());
    assertThat(Auth.bearerToken("T").toString(), not(containsString("Bearer ")));
  }

  @Test
  void bodiesAreSentAsUtf8() throws Exception {
    server.then(200, "[]");
    String body = "{\"query\":\"caf\u00e9\"}";
    try (Requester r = requester(Auth.none(), Map.of()).build()) {
      r.send(ApiRequest.post(url("/search"), body), b -> 0);
    }
    assertThat(server.received().get(0).body().getBytes(StandardCharsets.UTF_8).length,
        is(body.getBytes(StandardCharsets.UTF_8).length));
  }
}
