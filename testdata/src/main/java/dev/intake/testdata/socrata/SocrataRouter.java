package dev.intake.testdata.socrata;

import dev.intake.testdata.http.Answer;
import dev.intake.testdata.http.FakeHttpServer;
import dev.intake.testdata.http.Fault;
import dev.intake.testdata.http.HttpWire;
import dev.intake.testdata.http.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Decides the normal (fault-free) answer of the fake server to one request: app-token check,
 * then {@code /resource/<id>.json} queries and {@code /api/views/<id>.json} metadata, with
 * Socrata's error bodies for unknown datasets (404 {@code dataset.missing}), bad queries (400)
 * and wrong app tokens (403 {@code permission_denied}).
 */
final class SocrataRouter {
  static final String JSON = "application/json;charset=utf-8";
  static final String JSON_ERROR = "application/json; charset=utf-8";
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  /** A Socrata error body: {@code code}, {@code error: true}, {@code message}, {@code data}. */
  static Answer error(int status, String code, String message, Map<String, Object> data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("error", Boolean.TRUE);
    body.put("message", message);
    if (data != null && !data.isEmpty()) {
      body.put("data", data);
    }
    return Answer.json(status, JSON_ERROR, Json.writePretty(body), -1);
  }

  private final FakeSocrataServer server;

  SocrataRouter(FakeSocrataServer server) {
    this.server = server;
  }

  /** The answer to {@code method path?params}, as a well-behaved Socrata would give it. */
  Answer route(String method, String path, Map<String, String> params,
      Map<String, List<String>> headers, int number) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return error(405, "method_not_allowed",
          "FakeSocrataServer answers GET and HEAD only", null);
    }
    String expected = server.appToken();
    if (expected != null) {
      List<String> sent = headers.get("X-App-Token");
      String token = sent != null && !sent.isEmpty() ? sent.get(0) : params.get("$$app_token");
      if (!expected.equals(token)) {
        return error(403, "permission_denied", "Invalid app_token specified", null);
      }
    }
    if (path.startsWith("/resource/")) {
      return resource(path.substring("/resource/".length()), params, number);
    }
    if (path.startsWith("/api/views/")) {
      return view(path.substring("/api/views/".length()));
    }
    return error(404, "not_found", "Not found: " + path, null);
  }

  private Answer resource(String name, Map<String, String> params, int number) {
    String id = name;
    String format = "json";
    int dot = name.lastIndexOf('.');
    if (dot >= 0) {
      id = name.substring(0, dot);
      format = name.substring(dot + 1);
    }
    SocrataDataset dataset = server.dataset(id);
    if (dataset == null || id.isEmpty() || id.contains("/")) {
      return datasetMissing(id);
    }
    if (!format.equals("json")) {
      return error(501, "fake.unsupported",
          "FakeSocrataServer does not implement the ." + format + " format", null);
    }
    SocrataDataset.Snapshot snap = dataset.snapshot();
    ResourceQuery.Result result;
    try {
      ResourceQuery q = ResourceQuery.parse(params);
      q.check(snap, id);
      Random shuffle = server.shuffleUnordered()
          ? new Random(server.shuffleSeed() * 1_000_003L + number) : null;
      result = q.execute(snap, shuffle, server.ignoresOffset(), server.pageSizeCap());
    } catch (SoqlException e) {
      return Answer.json(e.status, JSON_ERROR, e.body(), -1);
    }
    Answer r = Answer.json(200, JSON, ResourceQuery.write(result.rows()), result.rows().size());
    String modified = HTTP_DATE.format(snap.lastModified);
    r.headers().add(new String[] {"Last-Modified", modified});
    r.headers().add(new String[] {"X-SODA2-Fields", Json.write(result.fields())});
    r.headers().add(new String[] {"X-SODA2-Types", Json.write(result.types())});
    r.headers().add(new String[] {"X-SODA2-Truth-Last-Modified", modified});
    r.headers().add(new String[] {"X-SODA2-Data-Out-Of-Date", "false"});
    return r;
  }

  private Answer view(String name) {
    String id = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    SocrataDataset dataset = server.dataset(id);
    if (dataset == null) {
      return error(404, "not_found", "Cannot find view with id " + id, null);
    }
    SocrataDataset.Snapshot snap = dataset.snapshot();
    List<Object> columns = new ArrayList<>();
    int n = 0;
    for (String c : snap.columns) {
      Map<String, Object> col = new LinkedHashMap<>();
      col.put("id", ++n);
      col.put("name", c);
      col.put("fieldName", c);
      col.put("position", n);
      col.put("dataTypeName", dataTypeName(snap, c));
      columns.add(col);
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", id);
    view.put("name", id);
    view.put("rowsUpdatedAt", snap.lastModified.getEpochSecond());
    view.put("viewLastModified", snap.lastModified.getEpochSecond());
    view.put("rowIdentifierColumnId", snap.columns.indexOf(dataset.keyField()) + 1);
    view.put("columns", columns);
    return Answer.json(200, JSON_ERROR, Json.write(view), -1);
  }

  private static String dataTypeName(SocrataDataset.Snapshot snap, String column) {
    for (SocrataDataset.Row r : snap.rows) {
      Object v = r.fields().get(column);
      if (v instanceof Map || v instanceof List) {
        return "location";
      }
      if (v != null) {
        break;
      }
    }
    SoqlValues.Kind k = snap.kind(column);
    if (k == SoqlValues.Kind.TIMESTAMP) {
      return "calendar_date";
    }
    return k == SoqlValues.Kind.NUMBER ? "number" : "text";
  }

  /** 404 {@code dataset.missing}, body as Socrata writes it. */
  static Answer datasetMissing(String id) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", id);
    return error(404, "dataset.missing", "Not found", data);
  }

  /** A JSON error body for a status fault (202 has none). */
  static Answer faultResponse(Fault f) {
    int status = f.status();
    if (status == 202 || status == 204 || status < 200) {
      return Answer.empty(status);
    } else {
      String code;
      String message;
      switch (status) {
        case 429:
          code = "too_many_requests";
          message = "Too many requests, please slow down";
          break;
        case 500:
          code = "internal_error";
          message = "Internal error";
          break;
        case 503:
          code = "service_unavailable";
          message = "Service unavailable";
          break;
        default:
          code = "http." + status;
          message = HttpWire.reason(status);
      }
      return error(status, code, message, null);
    }
  }

  /** An HTTP date, for Date and Last-Modified headers. */
  static String httpDate(Instant t) {
    return FakeHttpServer.httpDate(t);
  }
}
