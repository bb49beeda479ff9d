package dev.intake.transforms.sources.socrata;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.HttpUrl;

/** The SoQL and URL text the client sends: literals, window and keyset conditions, queries. */
final class Soql {
  static final String ID = ":id";
  static final String SELECT_ALL = ":*,*";

  private static final DateTimeFormatter FLOATING =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS");
  private static final String UNENCODED =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~$:,*()!@/";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Soql() {}

  /**
   * {@code t} as a floating timestamp in {@code zone}, rounded up to the millisecond: Socrata
   * keeps milliseconds, so {@code v >= ceil(t)} selects exactly the rows with {@code v >= t}.
   */
  static String floating(Instant t, ZoneId zone) {
    Instant ms = t.truncatedTo(ChronoUnit.MILLIS);
    if (ms.isBefore(t)) {
      ms = ms.plusMillis(1);
    }
    return FLOATING.format(LocalDateTime.ofInstant(ms, zone));
  }

  /** A SoQL string literal: single quotes, a quote inside doubled. */
  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /** {@code field >= 'from' AND field < 'to'}. */
  static String window(String field, String from, String to) {
    return field + " >= " + literal(from) + " AND " + field + " < " + literal(to);
  }

  /** The rows after ({@code value}, {@code id}) in the order {@code field, :id}. */
  static String after(String field, String value, String id) {
    return "(" + field + " > " + literal(value) + " OR (" + field + " = " + literal(value)
        + " AND " + ID + " > " + literal(id) + "))";
  }

  /**
   * {@code resource?name=value&...}, values percent-encoded except characters that are plain in a
   * query ({@code $ : , * ( )}), so the URL reads like the SoQL it carries.
   */
  static HttpUrl url(HttpUrl resource, Map<String, String> params) {
    StringBuilder sb = new StringBuilder(resource.toString());
    char sep = '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      sb.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
      sep = '&';
    }
    return HttpUrl.get(sb.toString());
  }

  /** Ordered parameters, for {@link #url}. */
  static Map<String, String> params(String... nameValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.put(nameValues[i], nameValues[i + 1]);
    }
    return m;
  }

  private static String encode(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 0x80 && UNENCODED.indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }
}
