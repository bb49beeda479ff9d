package dev.intake.testdata.socrata;

import dev.intake.testdata.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A plain {@link HttpClient} for the tests of {@link FakeSocrataServer}. */
final class Http {
  final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String baseUrl;

  Http(FakeSocrataServer server) {
    this.baseUrl = server.baseUrl();
  }

  /** GET {@code path} with the query built (and encoded) from name/value pairs. */
  HttpResponse<String> get(String path, String... nameValues) throws IOException {
    return send(request(path, nameValues).build());
  }

  HttpRequest.Builder request(String path, String... nameValues) {
    StringBuilder url = new StringBuilder(baseUrl).append(path);
    for (int i = 0; i < nameValues.length; i += 2) {
      url.append(i == 0 ? '?' : '&')
          .append(URLEncoder.encode(nameValues[i], StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(nameValues[i + 1], StandardCharsets.UTF_8));
    }
    return HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(10));
  }

  HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** The rows of a JSON array body. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rows(HttpResponse<String> response) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : (List<Object>) Json.parse(response.body())) {
      out.add((Map<String, Object>) o);
    }
    return out;
  }

  /** One field of every row. */
  static List<String> column(HttpResponse<String> response, String field) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> r : rows(response)) {
      out.add((String) r.get(field));
    }
    return out;
  }

  /** A JSON object body. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(HttpResponse<String> response) {
    return (Map<String, Object>) Json.parse(response.body());
  }

  /** A row from name/value pairs. */
  static Map<String, String> row(String... nameValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.put(nameValues[i], nameValues[i + 1]);
    }
    return m;
  }
}
