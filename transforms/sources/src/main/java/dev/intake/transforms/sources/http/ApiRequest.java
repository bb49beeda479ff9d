package dev.intake.transforms.sources.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * One request an API source sends: GET or POST, a URL, headers, and for a POST a JSON body.
 * Immutable. It never holds a secret: the {@link Requester} adds the credentials of its {@link
 * Auth} only when it sends the request, so the URL a page records and every message that names a
 * request are free of them.
 */
public final class ApiRequest {
  /** The HTTP methods an API source uses. */
  public enum Method {
    GET,
    POST
  }

  private final Method method;
  private final HttpUrl url;
  private final Map<String, String> headers;
  private final String body;

  private ApiRequest(Method method, HttpUrl url, Map<String, String> headers, String body) {
    this.method = method;
    this.url = url;
    this.headers = headers;
    this.body = body;
  }

  /** A GET of {@code url}. */
  public static ApiRequest get(HttpUrl url) {
    Objects.requireNonNull(url, "url must not be null");
    return new ApiRequest(Method.GET, url, Map.of(), null);
  }

  /** A POST of the JSON text {@code jsonBody} to {@code url}. */
  public static ApiRequest post(HttpUrl url, String jsonBody) {
    Objects.requireNonNull(url, "url must not be null");
    Objects.requireNonNull(jsonBody, "jsonBody must not be null");
    return new ApiRequest(Method.POST, url, Map.of(), jsonBody);
  }

  /** This request with one more header (replacing one of the same name). */
  public ApiRequest withHeader(String name, String value) {
    if (name == null || name.isBlank() || value == null) {
      throw new IllegalArgumentException("a header needs a name and a value, but was " + name);
    }
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new ApiRequest(method, url, Collections.unmodifiableMap(more), body);
  }

  public Method method() {
    return method;
  }

  /** The URL as sent, percent-encoded, without credentials. */
  public HttpUrl url() {
    return url;
  }

  /** Headers beyond {@code Accept} and {@code User-Agent}, in the order they were added. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The JSON body of a POST; empty for a GET. */
  public Optional<String> body() {
    return Optional.ofNullable(body);
  }

  /** "GET http://host/path?$where=a >= 'b'", the URL decoded for people; for messages and logs. */
  public String describe() {
    return method + " " + readable(url);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiRequest r && method == r.method && url.equals(r.url)
        && headers.equals(r.headers) && Objects.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, url, headers, body);
  }

  @Override
  public String toString() {
    return describe();
  }

  /**
   * {@code url} decoded for people: {@code http://host:port/path?q=a >= 'b'&limit=1}, the
   * port only when it is not the scheme's default.
   */
  public static String readable(HttpUrl url) {
    StringBuilder sb = new StringBuilder(url.scheme()).append("://").append(url.host());
    if (url.port() != HttpUrl.defaultPort(url.scheme())) {
      sb.append(':').append(url.port());
    }
    sb.append(url.encodedPath());
    for (int i = 0; i < url.querySize(); i++) {
      sb.append(i == 0 ? '?' : '&').append(url.queryParameterName(i));
      String value = url.queryParameterValue(i);
      if (value != null) {
        sb.append('=').append(value);
      }
    }
    return sb.toString();
  }
}
