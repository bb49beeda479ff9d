package dev.intake.transforms.sources.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /**
   * {@code text} with every occurrence of the secret replaced by its name in angle brackets,
   * including ones where any of its characters is percent-encoded (an echoed URL).
   */
  String scrub(String text) {
    if (secret == null || text == null) {
      return text;
    }
    return echoes().matcher(text.replace(secret, placeholder))
        .replaceAll(Matcher.quoteReplacement(placeholder));
  }

  /** The secret with each character other than a letter or digit as itself or as %XX. */
  private Pattern echoes() {
    StringBuilder re = new StringBuilder();
    for (char c : secret.toCharArray()) {
      if (Character.isLetterOrDigit(c)) {
        re.append(c);
      } else {
        re.append("(?:").append(Pattern.quote(String.valueOf(c))).append("|%");
        for (char h : String.format("%02X", (int) c).toCharArray()) {
          re.append(Character.isDigit(h) ? String.valueOf(h)
              : "[" + h + Character.toLowerCase(h) + "]");
        }
        re.append(')');
      }
    }
    return Pattern.compile(re.toString());
  }
}
