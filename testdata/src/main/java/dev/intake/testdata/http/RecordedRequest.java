package dev.intake.testdata.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One request a {@link FakeHttpServer} received, and how it answered.
 *
 * <p>The server adds a request to its log when it has decided the answer, before it writes the
 * first byte, so a test that has read a response always finds its request in the log. Predicates
 * of scripted faults see the request before that decision: there {@link #status()} is 0 and
 * {@link #fault()} is null.
 */
public final class RecordedRequest {
  private final int number;
  private final int connection;
  private final String method;
  private final String path;
  private final String rawQuery;
  private final Map<String, String> params;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final Instant receivedAt;
  private final int status;
  private final Fault fault;
  private final int rows;
  private final String requestId;

  RecordedRequest(
      int number,
      int connection,
      String method,
      String path,
      String rawQuery,
      Map<String, String> params,
      Map<String, List<String>> headers,
      byte[] body,
      Instant receivedAt) {
    this(number, connection, method, path, rawQuery, params, headers, body, receivedAt, 0, null,
        -1, null);
  }

  private RecordedRequest(
      int number,
      int connection,
      String method,
      String path,
      String rawQuery,
      Map<String, String> params,
      Map<String, List<String>> headers,
      byte[] body,
      Instant receivedAt,
      int status,
      Fault fault,
      int rows,
      String requestId) {
    this.number = number;
    this.connection = connection;
    this.method = method;
    this.path = path;
    this.rawQuery = rawQuery;
    this.params = params;
    this.headers = headers;
    this.body = body;
    this.receivedAt = receivedAt;
    this.status = status;
    this.fault = fault;
    this.rows = rows;
    this.requestId = requestId;
  }

  /** Makes the header map this class keeps: unmodifiable, names looked up ignoring case. */
  static Map<String, List<String>> headerMap(Map<String, List<String>> headers) {
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return Collections.unmodifiableMap(copy);
  }

  RecordedRequest withOutcome(int status, Fault fault, int rows, String requestId) {
    return new RecordedRequest(
        number, connection, method, path, rawQuery, params, headers, body, receivedAt, status,
        fault, rows, requestId);
  }

  /** The request's number: 1 for the first request the server received, counting every one. */
  public int number() {
    return number;
  }

  /**
   * The number of the TCP connection it came on (1 for the server's first connection), to see
   * whether a client keeps connections alive.
   */
  public int connection() {
    return connection;
  }

  /** The HTTP method, e.g. {@code GET}. */
  public String method() {
    return method;
  }

  /** The path without the query, percent-decoded, e.g. {@code /resource/vw6y-z8j6.json}. */
  public String path() {
    return path;
  }

  /** The query string as sent (still encoded), or "" if none. */
  public String rawQuery() {
    return rawQuery;
  }

  /** The decoded query parameters in the order sent (the first value of a repeated name). */
  public Map<String, String> params() {
    return params;
  }

  /** One decoded query parameter, e.g. {@code param("$where")}, or null if absent. */
  public String param(String name) {
    return params.get(name);
  }

  /** The request headers; the map looks names up ignoring case. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of a header (name ignoring case), or null if absent. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The request body as sent (empty if none). */
  public byte[] body() {
    return body.clone();
  }

  /** The request body as UTF-8 text ("" if none). */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** When the request arrived (the machine's clock, not the server's dataset clock). */
  public Instant receivedAt() {
    return receivedAt;
  }

  /**
   * The status the server answered (or began to answer) with; 0 if it reset the connection
   * before sending a status line, and 0 while a fault predicate is being asked.
   */
  public int status() {
    return status;
  }

  /** The fault injected into this request, or null if it was answered normally. */
  public Fault fault() {
    return fault;
  }

  /** The number of rows in the JSON array the server answered (or began to), or -1 if none. */
  public int rows() {
    return rows;
  }

  /** The request id header of the answer (e.g. {@code X-Socrata-RequestId}), or null if none. */
  public String requestId() {
    return requestId;
  }

  /** Matches requests whose path starts with {@code prefix}. */
  public static Predicate<RecordedRequest> pathStartsWith(String prefix) {
    return r -> r.path.startsWith(prefix);
  }

  @Override
  public String toString() {
    return "#" + number + " " + method + " " + path + (rawQuery.isEmpty() ? "" : "?" + rawQuery)
        + " -> " + status + (fault == null ? "" : " [" + fault + "]")
        + (rows >= 0 ? " (" + rows + " rows)" : "");
  }
}
