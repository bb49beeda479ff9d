package dev.intake.transforms.sources.http;

import static dev.intake.transforms.model.Arguments.check;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * How a {@link Requester} proves who it is: nothing, an API key in a header or in a query
 * parameter, or a bearer token. Immutable and serializable: it holds the <em>name</em> of the
 * environment variable with the secret, never the secret, which is read when a requester is
 * built and is then put on the wire only, never into a request's recorded URL, a log line or a
 * message.
 *
 * <p>A secret is trimmed (a file or shell often leaves a newline on it); a variable that is unset
 * or empty, or that holds other than printable ASCII, makes every request fail with {@link
 * ApiException.Kind#MISSING_SECRET} before anything is sent. Messages call the secret by {@link
 * #describedAs its name} (by default "API key" or "bearer token").
 */
public final class Auth implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern TOKEN_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** Where the secret goes. */
  enum Kind {
    NONE,
    HEADER,
    QUERY,
    BEARER
  }

  private final Kind kind;
  private final String name;
  private final String env;
  private final String secretName;
  private final String setting;

  private Auth(Kind kind, String name, String env, String secretName, String setting) {
    this.kind = kind;
    this.name = name;
    this.env = env;
    this.secretName = secretName;
    this.setting = setting;
  }

  /** No credentials. */
  public static Auth none() {
    return new Auth(Kind.NONE, null, null, null, null);
  }

  /** The secret of {@code env} as the value of header {@code header} (e.g. X-cb-user-key). */
  public static Auth apiKeyInHeader(String header, String env) {
    check(header != null && TOKEN_NAME.matcher(header).matches(),
        "header must be an HTTP header name, but was %s", header);
    return new Auth(Kind.HEADER, header, checkEnv(env), "API key", null);
  }

  /** The secret of {@code env} as query parameter {@code parameter}, added only on the wire. */
  public static Auth apiKeyInQuery(String parameter, String env) {
    check(parameter != null && !parameter.isBlank(),
        "parameter must name a query parameter, but was %s", parameter);
    return new Auth(Kind.QUERY, parameter, checkEnv(env), "API key", null);
  }

  /** {@code Authorization: Bearer <secret of env>}. */
  public static Auth bearerToken(String env) {
    return new Auth(Kind.BEARER, "Authorization", checkEnv(env), "bearer token", null);
  }

  /**
   * This auth with the names its messages use: the secret's (e.g. "app token") and, if not null,
   * the spec setting that names the variable (e.g. "tokenEnv").
   */
  public Auth describedAs(String secret, String specSetting) {
    check(kind != Kind.NONE, "Auth.none() has no secret to describe");
    check(secret != null && !secret.isBlank(), "secret must not be blank, but was %s", secret);
    return new Auth(kind, name, env, secret, specSetting);
  }

  /** The environment variables holding secrets: one, or none for {@link #none()}. */
  public List<String> secretEnvs() {
    return env == null ? List.of() : List.of(env);
  }

  /** The secret read from {@code environment} now, ready for a requester. */
  Credentials resolve(UnaryOperator<String> environment) {
    if (kind == Kind.NONE) {
      return Credentials.NONE;
    }
    String value = environment.apply(env);
    String secret = value == null ? "" : value.trim();
    String variable = "the environment variable " + env + (setting == null ? "" : " (" + setting
        + ")");
    if (secret.isEmpty()) {
      return Credentials.broken(variable + " that should hold the " + secretName
          + " is not set or empty");
    }
    if (!secret.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return Credentials.broken(variable + " holds characters that " + article(secretName) + " "
          + secretName + " cannot have");
    }
    return switch (kind) {
      case HEADER -> Credentials.header(name, secret, secretName);
      case BEARER -> Credentials.header(name, "Bearer " + secret, secretName);
      case QUERY -> Credentials.query(name, secret, secretName);
      case NONE -> Credentials.NONE;
    };
  }

  private static String article(String noun) {
    return "aeiou".indexOf(Character.toLowerCase(noun.charAt(0))) >= 0 ? "an" : "a";
  }

  private static String checkEnv(String env) {
    check(env != null && ENV_NAME.matcher(env).matches(),
        "env must name an environment variable, but was %s", env);
    return env;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Auth a && kind == a.kind && Objects.equals(name, a.name)
        && Objects.equals(env, a.env) && Objects.equals(secretName, a.secretName)
        && Objects.equals(setting, a.setting);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name, env, secretName, setting);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "Auth.none";
      case HEADER -> "Auth.apiKeyInHeader(" + name + ", $" + env + ")";
      case QUERY -> "Auth.apiKeyInQuery(" + name + ", $" + env + ")";
      case BEARER -> "Auth.bearerToken($" + env + ")";
    };
  }
}
