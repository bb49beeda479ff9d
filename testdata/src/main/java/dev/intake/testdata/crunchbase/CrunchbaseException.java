package dev.intake.testdata.crunchbase;

import dev.intake.testdata.http.Answer;
import dev.intake.testdata.http.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the fake Crunchbase refuses, with the status and the error body it answers: the
 * object shape of the recorded 404 ({@code {"error": "<message>", "code": "<code>"}}). The codes
 * besides {@code CS404} are this server's own: {@code MD100} a bad search or parameter (400),
 * {@code LA401} a missing or wrong user key (401), {@code RL429} too many requests.
 */
final class CrunchbaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  static final String JSON = "application/json";

  final int status;
  final String code;

  CrunchbaseException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** 400 MD100: the search or its parameters are not what the API accepts. */
  static CrunchbaseException badRequest(String message) {
    return new CrunchbaseException(400, "MD100", message);
  }

  Answer answer() {
    return error(status, code, getMessage());
  }

  static Answer error(int status, String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("code", code);
    return Answer.json(status, JSON, Json.write(body), -1);
  }
}
