package dev.intake.testdata.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer a {@link FakeHttpServer}'s protocol gives to one request: status, headers (without
 * the connection-level ones the server adds), body, and the number of records in it (-1: none,
 * e.g. an error), which the request log keeps. The header list is mutable until the answer is
 * sent, so a protocol may add headers to an answer it built.
 */
public record Answer(int status, List<String[]> headers, byte[] body, int rows) {
  /** A JSON (or other text) answer with one {@code Content-Type} header. */
  public static Answer json(int status, String contentType, String body, int rows) {
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {"Content-Type", contentType});
    return new Answer(status, headers, body.getBytes(StandardCharsets.UTF_8), rows);
  }

  /** An answer without a body (e.g. 202). */
  public static Answer empty(int status) {
    return new Answer(status, new ArrayList<>(), new byte[0], -1);
  }
}
