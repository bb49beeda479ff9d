package dev.intake.testdata.socrata;

import dev.intake.testdata.http.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the fake server refuses, with the HTTP status and the body Socrata would send.
 *
 * <p>Socrata uses two body shapes: compiler errors ({@code query.compiler.*}) and most others say
 * {@code {"code": ..., "error": true, "message": ..., "data": {...}}}, while SoQL analysis
 * errors ({@code query.soql.*}) say {@code {"errorCode": ..., "message": ..., "data": {...}}}.
 */
final class SoqlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;
  final transient Map<String, Object> data;

  SoqlException(int status, String code, String message, Map<String, Object> data) {
    super(message);
    this.status = status;
    this.code = code;
    this.data = data;
  }

  /** 400 {@code query.compiler.malformed}: a clause that does not parse. */
  static SoqlException malformed(String clause, String text, int position, String detail) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("query", text);
    return new SoqlException(
        400,
        "query.compiler.malformed",
        "Could not parse SoQL query \"" + text + "\" at line 1 character " + (position + 1)
            + ": " + detail + " (in " + clause + ")",
        data);
  }

  /** 400 {@code query.soql.no-such-column}. */
  static SoqlException noSuchColumn(String column, String datasetId) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("column", column);
    data.put("dataset", datasetId);
    return new SoqlException(400, "query.soql.no-such-column", "No such column: " + column, data);
  }

  /** 400 {@code query.soql.type-mismatch}. */
  static SoqlException typeMismatch(String detail) {
    return new SoqlException(
        400, "query.soql.type-mismatch", "Type mismatch; " + detail, new LinkedHashMap<>());
  }

  /** 501: valid SoQL that this fake does not implement (so a test never silently passes). */
  static SoqlException unsupported(String what) {
    return new SoqlException(
        501, "fake.unsupported", "FakeSocrataServer does not implement " + what,
        new LinkedHashMap<>());
  }

  /** The response body, shaped as Socrata shapes it for this code. */
  String body() {
    Map<String, Object> body = new LinkedHashMap<>();
    if (code.startsWith("query.soql.")) {
      body.put("errorCode", code);
    } else {
      body.put("code", code);
      body.put("error", Boolean.TRUE);
    }
    body.put("message", getMessage());
    if (data != null && !data.isEmpty()) {
      body.put("data", data);
    }
    return Json.writePretty(body);
  }
}
