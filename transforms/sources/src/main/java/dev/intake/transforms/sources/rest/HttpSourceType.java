package dev.intake.transforms.sources.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.transforms.sources.ApiSource;
import dev.intake.transforms.sources.SourceType;
import dev.intake.transforms.sources.SpecSection;
import dev.intake.transforms.sources.http.ApiRequest;
import dev.intake.transforms.sources.http.Auth;
import dev.intake.transforms.sources.http.JsonPaths;
import dev.intake.transforms.sources.http.RecordSelector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import okhttp3.HttpUrl;

/**
 * The {@code http} source type: a REST API declared entirely in the spec's {@code source} section,
 * read into an {@link HttpSource}. Every bad value fails at spec load with the section's error,
 * naming the line. Found by {@link java.util.ServiceLoader}. Keys:
 *
 * <ul>
 *   <li>{@code format} (required): the spec format of the records; {@code name}: the API's name
 *       in messages (default: the base URL's host); {@code baseUrl} (required, http or https;
 *       {@code --apiBaseUrl} overrides it);
 *   <li>the records endpoint: {@code method} ({@code GET} default, or {@code POST}), {@code path}
 *       (required, from {@code /}), {@code query} and {@code headers} (mappings of texts), {@code
 *       body} (POST only; any YAML, sent as JSON), all {@link Template}s with placeholders such as
 *       {@code ${window.from}}, {@code ${cursor}}, {@code ${limit}}; {@code paginator} (required,
 *       see {@link Paging}: {@code {type: offset}}, {@code {type: pageNumber, firstPage: 1}},
 *       {@code {type: cursor, fromResponse: <path>}} or {@code {fromRecord: <path>}}, {@code
 *       {type: keyset, field: <path>, tiebreak: <path>}}, each with optional {@code identity:
 *       [paths]}); {@code records} (required): the JSON path of the records array ({@code $},
 *       {@code entities}, {@code data.items});
 *   <li>{@code auth}: {@code {type: apiKey, header: <name> | query: <name>, secretEnv: <VAR>}} or
 *       {@code {type: bearer, secretEnv: <VAR>}} (default none);
 *   <li>{@code rateLimit: {requestsPerMinute: N}} (default none; {@code --requestsPerMinute}
 *       overrides it), {@code retryOn} (statuses, default 429, 500, 502, 503, 504), {@code
 *       requestIdHeader}, {@code errorMessage} and {@code errorCode} (JSON paths into an error
 *       body), {@code pageSize} (default 100) and {@code maxPageSize} (default 10000);
 *   <li>{@code count}: the JSON path of the number of records matching the request in an
 *       answer of the records endpoint (e.g. {@code count}); with it a run counts each range with
 *       one request of limit 1 and plans its windows from the counts (default none: fixed
 *       windows);
 *   <li>{@code check}: the access-check request (same request keys and {@code records}, no
 *       paginator; default: the records endpoint's first page of an empty window, limit 1);
 *   <li>{@code deletions}: a second endpoint with the same keys as the records endpoint, whose
 *       records name deleted keys, with {@code format} (required): the spec format that maps a
 *       deletion record to the dataset's key fields, and {@code deletedAt} (required): the JSON
 *       path of its deletion time. Read whole by every
 *       run ({@link ApiSource.Prepared#readDeletions}); tombstones keep what was applied.
 * </ul>
 */
public final class HttpSourceType implements SourceType {
  /** The name specs use in {@code source.type}. */
  public static final String NAME = "http";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<Integer> DEFAULT_RETRY_ON = Set.of(429, 500, 502, 503, 504);
  private static final String[] REQUEST_KEYS =
      {"method", "path", "query", "headers", "body", "records"};
  private static final String[] ENDPOINT_KEYS =
      {"method", "path", "query", "headers", "body", "records", "paginator"};

  /** For {@link java.util.ServiceLoader}. */
  public HttpSourceType() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ApiSource configure(SpecSection s) {
    List<String> keys = new ArrayList<>(List.of("type", "name", "format", "baseUrl", "auth",
        "rateLimit", "retryOn", "requestIdHeader", "errorMessage", "errorCode", "pageSize",
        "maxPageSize", "check", "deletions", "count"));
    keys.addAll(List.of(ENDPOINT_KEYS));
    s.allowOnly(keys.toArray(String[]::new));
    String format = s.text("format", true);
    String baseUrl = s.text("baseUrl", true);
    HttpUrl base = httpUrl(baseUrl);
    if (base == null || base.querySize() > 0) {
      throw s.error("baseUrl", "baseUrl must be an http or https URL without a query, such as "
          + "https://api.example.com, but was " + baseUrl);
    }
    String label = s.has("name") ? s.text("name", true) : base.host();
    int maxPageSize = s.integer("maxPageSize", 10_000, 1, 1_000_000);
    int pageSize = s.integer("pageSize", Math.min(100, maxPageSize), 1, maxPageSize);
    Auth auth = auth(s.section("auth", false));
    int perMinute = 0;
    SpecSection limit = s.section("rateLimit", false);
    if (limit != null) {
      limit.allowOnly("requestsPerMinute");
      if (!limit.has("requestsPerMinute")) {
        throw s.error("rateLimit", "rateLimit needs requestsPerMinute");
      }
      perMinute = limit.integer("requestsPerMinute", 0, 1, 1_000_000);
    }
    Set<Integer> retryOn = retryOn(s);
    String requestIdHeader = s.text("requestIdHeader", false);
    if (requestIdHeader != null && !requestIdHeader.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
      throw s.error("requestIdHeader", "requestIdHeader must be an HTTP header name, but was "
          + requestIdHeader);
    }
    String errorMessage = path(s, "errorMessage", false);
    String errorCode = path(s, "errorCode", false);
    String countPath = path(s, "count", false);
    Endpoint records = endpoint(s, true);
    SpecSection check = s.section("check", false);
    SpecSection deletions = s.section("deletions", false);
    HttpSource.Settings settings = new HttpSource.Settings(label, format, base.toString(), auth,
        perMinute, retryOn, requestIdHeader, errorMessage, errorCode, pageSize, maxPageSize, countPath);
    return new HttpSource(settings, records, check == null ? null : endpoint(check, false),
        deletions == null ? null : endpoint(deletions, true, "format", "deletedAt"),
        deletions == null ? null : new ApiSource.Deletions(deletions.text("format", true),
            path(deletions, "deletedAt", true)));
  }

  /** {@code url} if it is an http(s) URL, else null. */
  static HttpUrl httpUrl(String url) {
    return url == null ? null : HttpUrl.parse(url);
  }

  private static Auth auth(SpecSection a) {
    if (a == null) {
      return Auth.none();
    }
    a.allowOnly("type", "header", "query", "secretEnv");
    String type = a.text("type", true);
    String env = a.text("secretEnv", true);
    checked(a, "secretEnv", () -> Auth.bearerToken(env));
    return (switch (type) {
      case "apiKey" -> {
        if (a.has("header") == a.has("query")) {
          throw a.error("type", "auth of type apiKey needs either header or query (the name "
              + "the key is sent under)");
        }
        yield a.has("header")
            ? checked(a, "header", () -> Auth.apiKeyInHeader(a.text("header", true), env))
            : checked(a, "query", () -> Auth.apiKeyInQuery(a.text("query", true), env));
      }
      case "bearer" -> {
        if (a.has("header") || a.has("query")) {
          throw a.error(a.has("header") ? "header" : "query",
              "auth of type bearer is sent as Authorization: Bearer; it takes no header or query");
        }
        yield Auth.bearerToken(env);
      }
      default -> throw a.error("type", "auth type must be apiKey or bearer, but was " + type);
    }).describedAs(type.equals("bearer") ? "bearer token" : "API key", "auth.secretEnv");
  }

  private static Set<Integer> retryOn(SpecSection s) {
    if (!s.has("retryOn")) {
      return DEFAULT_RETRY_ON;
    }
    Set<Integer> statuses = new HashSet<>();
    for (String v : s.texts("retryOn")) {
      int status;
      try {
        status = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        status = -1;
      }
      if (status < 100 || status > 599 || status == 200) {
        throw s.error("retryOn", "retryOn must list HTTP statuses other than 200 (e.g. [429, 500,"
            + " 502, 503, 504]), but has " + v);
      }
      statuses.add(status);
    }
    return Set.copyOf(statuses);
  }

  /** An endpoint from section {@code s}: with a paginator, or (the check) a single request. */
  private static Endpoint endpoint(SpecSection s, boolean paged, String... moreKeys) {
    if (s.has("paginator") && !paged) {
      throw s.error("paginator", "the check is one request: it takes no paginator");
    }
    if (paged && !s.has("type")) {
      List<String> allowed = new ArrayList<>(List.of(ENDPOINT_KEYS));
      allowed.addAll(List.of(moreKeys));
      s.allowOnly(allowed.toArray(String[]::new));
    } else if (!paged) {
      s.allowOnly(REQUEST_KEYS);
    }
    String method = s.has("method") ? s.text("method", true) : "GET";
    if (!method.equals("GET") && !method.equals("POST")) {
      throw s.error("method", "method must be GET or POST, but was " + method);
    }
    String path = s.text("path", true);
    if (!path.startsWith("/") || path.contains("?") || path.contains("${")
        || httpUrl("http://h" + path) == null) {
      throw s.error("path", "path must be a URL path from / (e.g. /api/v4/searches/organizations)"
          + ", without a query (that is what query: is for), but was " + path);
    }
    Map<String, Template> query = texts(s, "query");
    Map<String, Template> headers = texts(s, "headers");
    for (String h : headers.keySet()) {
      if (!h.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw s.error("headers", "'" + h + "' is not an HTTP header name");
      }
    }
    Template body = null;
    if (s.has("body")) {
      if (!method.equals("POST")) {
        throw s.error("body", "a body needs method: POST");
      }
      body = checked(s, "body", () -> Template.ofJson(s.json("body")));
    }
    Paging paging = paged ? paging(s) : new Paging(Paging.Kind.OFFSET, 1, null, null, List.of());
    RecordSelector records = checked(s, "records", () -> RecordSelector.at(s.text("records",
        true)));
    Set<String> used = new TreeSet<>();
    query.values().forEach(t -> used.addAll(t.placeholders()));
    headers.values().forEach(t -> used.addAll(t.placeholders()));
    if (body != null) {
      used.addAll(body.placeholders());
    }
    Set<String> bound = new HashSet<>(paging.kind.binds);
    bound.addAll(List.of("window.from", "window.to", "limit"));
    String where = paged ? "the paginator " + paging.kind.specName : "the check";
    for (String name : used) {
      if (!bound.contains(name)) {
        throw s.error(paged ? "paginator" : "path", "${" + name + "} is not set by " + where
            + " (it sets " + String.join(", ", new TreeSet<>(bound)) + ")");
      }
    }
    if (paged && !used.contains(paging.kind.advancesWith)) {
      throw s.error("paginator", "the paginator " + paging.kind.specName + " needs ${"
          + paging.kind.advancesWith + "} in query, headers or body, or every page would be "
          + "the first");
    }
    return new Endpoint(ApiRequest.Method.valueOf(method), path, query, headers, body, paging,
        records);
  }

  private static Paging paging(SpecSection s) {
    SpecSection p = s.section("paginator", true);
    String type = p.text("type", true);
    List<String> identity = new ArrayList<>();
    for (String f : p.texts("identity")) {
      identity.add(checked(p, "identity", () -> JsonPaths.dotted(f)));
    }
    switch (type) {
      case "offset" -> {
        p.allowOnly("type", "identity");
        return new Paging(Paging.Kind.OFFSET, 1, null, null, identity);
      }
      case "pageNumber" -> {
        p.allowOnly("type", "firstPage", "identity");
        return new Paging(Paging.Kind.PAGE_NUMBER, p.integer("firstPage", 1, 0, 1), null, null,
            identity);
      }
      case "cursor" -> {
        p.allowOnly("type", "fromResponse", "fromRecord", "identity");
        if (p.has("fromResponse") == p.has("fromRecord")) {
          throw p.error("type", "a cursor paginator needs either fromResponse (a JSON path into "
              + "the answer) or fromRecord (a path into the last record)");
        }
        if (p.has("fromResponse")) {
          String at = path(p, "fromResponse", true);
          if (JsonPaths.parse(at).isEmpty()) {
            throw p.error("fromResponse", "fromResponse must name a field of the answer, not $");
          }
          return new Paging(Paging.Kind.RESPONSE_CURSOR, 1, at, null, identity);
        }
        if (!identity.isEmpty()) {
          throw p.error("identity", "a cursor from the record identifies records by it: no "
              + "identity");
        }
        return new Paging(Paging.Kind.RECORD_CURSOR, 1, recordPath(p, "fromRecord"), null,
            List.of());
      }
      case "keyset" -> {
        p.allowOnly("type", "field", "tiebreak");
        return new Paging(Paging.Kind.KEYSET, 1, recordPath(p, "field"),
            recordPath(p, "tiebreak"), List.of());
      }
      default -> throw p.error("type",
          "paginator type must be offset, pageNumber, cursor or keyset, but was " + type);
    }
  }

  private static String path(SpecSection s, String key, boolean required) {
    String v = s.text(key, required);
    return v == null ? null : checked(s, key, () -> {
      JsonPaths.parse(v);
      return v;
    });
  }

  private static String recordPath(SpecSection s, String key) {
    String v = s.text(key, true);
    String dotted = checked(s, key, () -> JsonPaths.dotted(v));
    if (dotted.isEmpty()) {
      throw s.error(key, key + " must name a field of the record, not $");
    }
    return dotted;
  }

  /** A mapping of texts (numbers and booleans are read as their text) as templates. */
  private static Map<String, Template> texts(SpecSection s, String key) {
    Map<String, Template> out = new LinkedHashMap<>();
    String json = s.json(key);
    if (json == null) {
      return out;
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (IOException e) {
      throw s.error(key, key + " must be a mapping of names to texts");
    }
    if (!node.isObject()) {
      throw s.error(key, key + " must be a mapping of names to texts");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        throw s.error(key, key + "." + e.getKey() + " must be a text (write a list or mapping "
            + "as JSON text if the API wants one)");
      }
      out.put(e.getKey(), checked(s, key, () -> Template.ofText(e.getValue().asText())));
    }
    return out;
  }

  /** Runs {@code make}, its complaint becoming an error at {@code key}. */
  private static <T> T checked(SpecSection s, String key, Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().matches("^\\S+:\\d+: .*")) {
        throw e; // already a located spec error
      }
      throw s.error(key, key + ": " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "SourceType(" + NAME + ")";
  }
}
