package dev.intake.transforms.sources.rest;

import dev.intake.transforms.sources.http.ApiRequest;
import dev.intake.transforms.sources.http.KeysetPaginator;
import dev.intake.transforms.sources.http.OffsetPaginator;
import dev.intake.transforms.sources.http.Paginator;
import dev.intake.transforms.sources.http.RecordSelector;
import dev.intake.transforms.sources.http.ResponseCursorPaginator;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * One paged endpoint of a spec-driven source: the request (method, path, query, headers, JSON
 * body, all {@link Template}s), how its pages follow each other ({@link Paging}) and where the
 * records are in an answer ({@link RecordSelector}). The records endpoint of a source is one; a
 * second one (e.g. deletions) is declared with the same keys. Immutable and serializable; holds no
 * secret (credentials are added by the requester on the wire).
 */
final class Endpoint implements Serializable {
  private static final long serialVersionUID = 1L;

  final ApiRequest.Method method;
  final String path;
  final Map<String, Template> query;
  final Map<String, Template> headers;
  final Template body;
  final Paging paging;
  final RecordSelector records;

  Endpoint(ApiRequest.Method method, String path, Map<String, Template> query,
      Map<String, Template> headers, Template body, Paging paging, RecordSelector records) {
    this.method = method;
    this.path = path;
    this.query = new LinkedHashMap<>(query);
    this.headers = new LinkedHashMap<>(headers);
    this.body = body;
    this.paging = paging;
    this.records = records;
  }

  /**
   * The request for one page; parameters, headers and members whose placeholders are unbound
   * are left out.
   */
  ApiRequest request(HttpUrl base, Template.Bindings b) {
    HttpUrl.Builder url = base.newBuilder().addPathSegments(path.substring(1));
    query.forEach((name, value) -> {
      String v = value.renderText(b);
      if (v != null) {
        url.addQueryParameter(name, v);
      }
    });
    ApiRequest request = method == ApiRequest.Method.GET ? ApiRequest.get(url.build())
        : ApiRequest.post(url.build(), body == null ? "{}" : String.valueOf(body.render(b)));
    for (Map.Entry<String, Template> h : headers.entrySet()) {
      String v = h.getValue().renderText(b);
      if (v != null) {
        request = request.withHeader(h.getKey(), v);
      }
    }
    return request;
  }

  /**
   * The first page of {@code [from, to)} with {@code limit} records: the access check asks it with
   * an empty window, and a count per range (e.g. a search answer's {@code count}) can be asked the
   * same way with a small limit.
   */
  ApiRequest firstPage(HttpUrl base, Instant from, Instant to, int limit) {
    return request(base, bindings(from, to, limit, 0, null, null));
  }

  /** Pages of {@code pageSize} records of this endpoint at {@code base}. */
  Paginator paginator(HttpUrl base, int pageSize) {
    return switch (paging.kind) {
      case OFFSET, PAGE_NUMBER -> OffsetPaginator.of(pageSize, paging.identity,
          (from, to, offset) -> request(base, bindings(from, to, pageSize, offset, null, null)));
      case RESPONSE_CURSOR -> ResponseCursorPaginator.of(pageSize, paging.path, paging.identity,
          (from, to, cursor) -> request(base, bindings(from, to, pageSize, -1, cursor, null)));
      case RECORD_CURSOR -> KeysetPaginator.of(pageSize, List.of(paging.path),
          (from, to, after) -> request(base, bindings(from, to, pageSize, -1,
              after == null ? null : after.get(0), null)));
      case KEYSET -> KeysetPaginator.of(pageSize, List.of(paging.path, paging.tiebreak),
          (from, to, after) -> request(base, bindings(from, to, pageSize, -1,
              after == null ? null : after.get(1), after == null ? null : after.get(0))));
    };
  }

  /** Offset {@code -1}: not an offset paging; {@code page} follows from the offset. */
  private Template.Bindings bindings(Instant from, Instant to, int limit, long offset,
      String cursor, String cursorField) {
    Map<String, Object> v = new HashMap<>();
    v.put("window.from", from);
    v.put("window.to", to);
    v.put("limit", (long) limit);
    if (offset >= 0 && paging.kind.binds.contains("offset")) {
      v.put("offset", offset);
      v.put("page", paging.firstPage + offset / limit);
    }
    if (cursor != null) {
      v.put("cursor", cursor);
    }
    if (cursorField != null) {
      v.put("cursor.field", cursorField);
    }
    return new Template.Bindings(v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Endpoint e && method == e.method && path.equals(e.path)
        && query.equals(e.query) && headers.equals(e.headers) && Objects.equals(body, e.body)
        && paging.equals(e.paging) && records.equals(e.records);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, path, query, headers, body, paging, records);
  }

  @Override
  public String toString() {
    return method + " " + path + " (" + paging + ", records at " + records.path() + ")";
  }
}
