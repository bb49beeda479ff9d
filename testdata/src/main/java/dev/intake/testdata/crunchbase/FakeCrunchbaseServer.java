package dev.intake.testdata.crunchbase;

import dev.intake.testdata.http.Answer;
import dev.intake.testdata.http.FakeHttpServer;
import dev.intake.testdata.http.Fault;
import dev.intake.testdata.http.HttpWire;
import dev.intake.testdata.http.Json;
import dev.intake.testdata.http.RecordedRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A local server that speaks Crunchbase's v4 API for the {@code organizations} collection, with
 * the scripted or random faults, latency and request log of {@link FakeHttpServer}.
 *
 * <ul>
 *   <li>{@code POST /api/v4/searches/organizations}: the JSON search of {@link
 *       OrganizationSearch} ({@code field_ids}, {@code query} with {@code gte}/{@code lte}/{@code
 *       eq} on {@code updated_at}, {@code order}, {@code limit} up to 1000, {@code after_id},
 *       {@code before_id}), answered {@code {"count": <total matching>, "entities": [{"uuid",
 *       "properties"}]}}; a page past the end has {@code "entities": []}.
 *   <li>{@code GET /api/v4/deleted_entities/organizations} and {@code GET
 *       /api/v4/deleted_entities?collection_ids=organizations}: a root array of {@code {uuid,
 *       entity_def_id, deleted_at}}, newest {@code deleted_at} first (as recorded; {@code
 *       deleted_at_order=asc} for oldest first), ties by uuid, paged with {@code limit} (default
 *       100, at most 1000) and {@code after_id} / {@code before_id} (a uuid of a deleted entity).
 *   <li>With {@link #requireUserKey}, every request must carry the key in {@code X-cb-user-key}
 *       or the {@code user_key} query parameter, else 401.
 * </ul>
 *
 * <p>Errors use the recorded object shape {@code {"error": "<message>", "code": "<code>"}}
 * ({@code MD100} 400, {@code LA401} 401, {@code CS404} 404, {@code RL429} 429); a status fault
 * sends no {@code Retry-After} unless the {@link Fault} has one, as Crunchbase does not.
 *
 * <pre>{@code
 * try (FakeCrunchbaseServer cb = new FakeCrunchbaseServer().start()) {
 *   cb.requireUserKey("test-key");
 *   cb.organizations().generate(5000, 42, from, to);
 *   cb.failRandomly(0.2, 7, Fault.tooManyRequests(), Fault.serverError());
 *   // point the client at cb.baseUrl() + "/api/v4"
 * }
 * }</pre>
 */
public final class FakeCrunchbaseServer extends FakeHttpServer<FakeCrunchbaseServer> {
  /** The server clock before any {@link #setNow}. */
  public static final Instant DEFAULT_NOW = Instant.parse("2020-06-07T00:00:00Z");
  static final String SEARCH_PATH = "/api/v4/searches/organizations";
  static final String DELETED_PATH = "/api/v4/deleted_entities/organizations";
  static final String DELETED_ROOT = "/api/v4/deleted_entities";
  static final String KEY_HEADER = "X-cb-user-key";

  private volatile Instant now = DEFAULT_NOW;
  private volatile String userKey;
  private final Organizations organizations = new Organizations(this::now);

  /** A server on a free port (call {@link #start()}). */
  public FakeCrunchbaseServer() {
    this(0);
  }

  /** A server on {@code port} of 127.0.0.1 (0: a free port). */
  public FakeCrunchbaseServer(int port) {
    super(port);
  }

  /** The organizations collection, to fill, change and delete from. */
  public Organizations organizations() {
    return organizations;
  }

  /** From now on refuses (401) requests without this user key; null turns the check off. */
  public void requireUserKey(String key) {
    this.userKey = key;
  }

  /** Sets the clock that stamps {@code updated_at} and {@code deleted_at} of later changes. */
  public void setNow(Instant now) {
    this.now = Objects.requireNonNull(now);
  }

  /** Moves the clock; returns the new now. */
  public Instant advance(Duration by) {
    now = now.plus(by);
    return now;
  }

  /** The server clock. */
  public Instant now() {
    return now;
  }

  /** Matches organization searches. */
  public static Predicate<RecordedRequest> searches() {
    return r -> r.path().equals(SEARCH_PATH);
  }

  /** Matches reads of the deleted organizations, in either path form. */
  public static Predicate<RecordedRequest> deletedEntities() {
    return r -> r.path().equals(DELETED_PATH) || r.path().equals(DELETED_ROOT);
  }

  @Override
  protected Answer route(RecordedRequest request) {
    try {
      checkKey(request);
      String path = request.path();
      if (path.equals(SEARCH_PATH)) {
        if (!request.method().equals("POST")) {
          throw new CrunchbaseException(405, "MD405", "use POST for searches");
        }
        return search(request);
      }
      if (path.equals(DELETED_PATH) || path.equals(DELETED_ROOT)) {
        if (!request.method().equals("GET")) {
          throw new CrunchbaseException(405, "MD405", "use GET for deleted_entities");
        }
        if (path.equals(DELETED_ROOT)
            && !"organizations".equals(request.param("collection_ids"))) {
          throw CrunchbaseException.badRequest(
              "FakeCrunchbaseServer has deleted entities of collection_ids=organizations only");
        }
        return deleted(request);
      }
      throw new CrunchbaseException(404, "CS404", "requested resource could not be found");
    } catch (CrunchbaseException e) {
      return e.answer();
    }
  }

  private void checkKey(RecordedRequest request) {
    String expected = userKey;
    if (expected == null) {
      return;
    }
    String sent = request.header(KEY_HEADER);
    if (sent == null) {
      sent = request.param("user_key");
    }
    if (!expected.equals(sent)) {
      throw new CrunchbaseException(401, "LA401", sent == null
          ? "missing user key: send it in X-cb-user-key" : "invalid user key");
    }
  }

  private Answer search(RecordedRequest request) {
    Object body;
    try {
      body = Json.parse(request.bodyText());
    } catch (RuntimeException e) {
      throw CrunchbaseException.badRequest("the request body is not JSON: " + e.getMessage());
    }
    OrganizationSearch.Result result =
        OrganizationSearch.parse(body).execute(organizations.all());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("count", BigDecimal.valueOf(result.count()));
    answer.put("entities", result.entities());
    Answer a = Answer.json(200, CrunchbaseException.JSON, Json.write(answer),
        result.entities().size());
    a.headers().add(new String[] {"X-Cb-Engine-Total-Count", Integer.toString(result.count())});
    a.headers().add(
        new String[] {"X-Cb-Engine-Page-Count", Integer.toString(result.entities().size())});
    return a;
  }

  private Answer deleted(RecordedRequest request) {
    int limit = OrganizationSearch.DEFAULT_LIMIT;
    String l = request.param("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > OrganizationSearch.MAX_LIMIT) {
        throw CrunchbaseException.badRequest("limit must be an integer from 1 to "
            + OrganizationSearch.MAX_LIMIT + ", but was " + l);
      }
    }
    String order = request.params().getOrDefault("deleted_at_order", "desc");
    if (!order.equals("asc") && !order.equals("desc")) {
      throw CrunchbaseException.badRequest("deleted_at_order must be asc or desc");
    }
    String after = request.param("after_id");
    String before = request.param("before_id");
    if (after != null && before != null) {
      throw CrunchbaseException.badRequest("after_id and before_id cannot be used together");
    }
    List<Organizations.Deleted> rows = new ArrayList<>(organizations.deleted());
    if (order.equals("asc")) {
      rows.sort(java.util.Comparator.comparing(Organizations.Deleted::deletedAt)
          .thenComparing(Organizations.Deleted::uuid));
    }
    int from = 0;
    int to = rows.size();
    String anchor = after != null ? after : before;
    if (anchor != null) {
      int at = -1;
      for (int i = 0; i < rows.size(); i++) {
        if (rows.get(i).uuid().equals(anchor)) {
          at = i;
        }
      }
      if (at < 0) {
        throw CrunchbaseException.badRequest((after != null ? "after_id " : "before_id ")
            + anchor + " is not a deleted entity");
      }
      if (after != null) {
        from = at + 1;
      } else {
        to = at;
      }
    }
    List<Organizations.Deleted> page = after != null || before == null
        ? rows.subList(from, Math.min(to, from + limit))
        : rows.subList(Math.max(from, to - limit), to);
    List<Object> out = new ArrayList<>();
    for (Organizations.Deleted d : page) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("uuid", d.uuid());
      row.put("entity_def_id", "organization");
      row.put("deleted_at", Organizations.datetime(d.deletedAt()));
      out.add(row);
    }
    return Answer.json(200, CrunchbaseException.JSON, Json.write(out), out.size());
  }

  @Override
  protected Answer faultAnswer(Fault fault) {
    int status = fault.status();
    if (status == 202 || status == 204 || status < 200) {
      return Answer.empty(status);
    }
    return switch (status) {
      case 429 -> CrunchbaseException.error(429, "RL429", "rate limit exceeded");
      case 500 -> CrunchbaseException.error(500, "IS500", "internal server error");
      default -> CrunchbaseException.error(status, "HT" + status, HttpWire.reason(status));
    };
  }

  @Override
  protected Answer badRequest(String message) {
    return CrunchbaseException.error(400, "MD100", message);
  }

  @Override
  protected String serverName() {
    return "FakeCrunchbaseServer";
  }
}
