package dev.intake.transforms.sources.http;

import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * A secret read from the environment, as a requester puts it on the wire; or why it cannot be.
 * Never serialized, never printed: {@link #scrub} removes it from any text.
 */
final class Credentials {
  static final Credentials NONE = new Credentials(null, null, null, null, null, null);

  private final String header;
  private final String headerValue;
  private final String parameter;
  private final String secret;
  private final String placeholder;
  private final String problem;

  private Credentials(String header, String headerValue, String parameter, String secret,
      String secretName, String problem) {
    this.header = header;
    this.headerValue = headerValue;
    this.parameter = parameter;
    this.secret = secret;
    this.placeholder = secretName == null ? null : "<" + secretName + ">";
    this.problem = problem;
  }

  static Credentials header(String name, String value, String secretName) {
    String secret = value.startsWith("Bearer ") ? value.substring("Bearer ".length()) : value;
    return new Credentials(name, value, null, secret, secretName, null);
  }

  static Credentials query(String parameter, String secret, String secretName) {
    return new Credentials(null, null, parameter, secret, secretName, null);
  }

  static Credentials broken(String problem) {
    return new Credentials(null, null, null, null, null, problem);
  }

  /** Why no request may be sent, or null. */
  String problem() {
    return problem;
  }

  /** {@code url} as sent: with the secret parameter when the key goes in the query. */
  HttpUrl onWire(HttpUrl url) {
    return parameter == null ? url : url.newBuilder().addQueryParameter(parameter, secret).build();
  }

  void addHeader(Request.Builder request) {
    if (header != null) {
      request.header(header, headerValue);
    }
  }

  /** {@code text} with every occurrence of the secret replaced by its name in angle brackets. */
  String scrub(String text) {
    if (secret == null || text == null) {
      return text;
    }
    String scrubbed = text.replace(secret, placeholder);
    // A secret in a query parameter may come back percent-encoded in an echoed URL.
    String encoded = HttpUrl.get("http://x/").newBuilder().addQueryParameter("k", secret).build()
        .encodedQuery().substring(2);
    return encoded.equals(secret) ? scrubbed : scrubbed.replace(encoded, placeholder);
  }
}
