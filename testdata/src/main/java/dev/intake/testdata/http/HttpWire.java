package dev.intake.testdata.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP/1.1 wire format, as much as the fake servers need: reading one request (request line,
 * headers, and a body by Content-Length or chunked, kept as bytes up to 16 MiB) and writing a
 * status line with headers.
 */
public final class HttpWire {
  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_HEADERS = 200;
  private static final int MAX_BODY = 16 << 20;

  private HttpWire() {}

  /** A malformed request; the server answers 400 and closes. */
  static final class BadRequest extends IOException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  /** One request: method, target (path and query, as sent), version, headers and body. */
  record Request(String method, String target, String version, Map<String, List<String>> headers,
      byte[] body) {
    /** The first value of a header, name ignoring case, or null. */
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    /** Whether the client wants the connection kept open after the answer. */
    boolean keepAlive() {
      String connection = header("Connection");
      String c = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
      if (version.equals("HTTP/1.0")) {
        return c.contains("keep-alive");
      }
      return !c.contains("close");
    }
  }

  /**
   * Reads one request; null if the stream ends (or the peer closes) before its first byte.
   * Blank lines before the request line are skipped, as RFC 9112 allows.
   */
  static Request read(InputStream in) throws IOException {
    String line;
    do {
      line = readLine(in, true);
      if (line == null) {
        return null;
      }
    } while (line.isEmpty());
    String[] parts = line.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new BadRequest("bad request line: " + line);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 0; ; i++) {
      String h = readLine(in, false);
      if (h.isEmpty()) {
        break;
      }
      if (i >= MAX_HEADERS) {
        throw new BadRequest("too many headers");
      }
      int colon = h.indexOf(':');
      if (colon <= 0) {
        throw new BadRequest("bad header line: " + h);
      }
      headers.computeIfAbsent(h.substring(0, colon).trim(), k -> new ArrayList<>())
          .add(h.substring(colon + 1).trim());
    }
    Request head = new Request(parts[0], parts[1], parts[2], headers, new byte[0]);
    return new Request(parts[0], parts[1], parts[2], headers, readBody(in, head));
  }

  private static byte[] readBody(InputStream in, Request request) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String te = request.header("Transfer-Encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      while (true) {
        String size = readLine(in, false);
        int semi = size.indexOf(';');
        long n;
        try {
          n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
        } catch (NumberFormatException e) {
          throw new BadRequest("bad chunk size: " + size);
        }
        if (n == 0) {
          while (!readLine(in, false).isEmpty()) {
            // trailers
          }
          return body.toByteArray();
        }
        copy(in, n, body);
        readLine(in, false);
      }
    }
    String cl = request.header("Content-Length");
    if (cl != null) {
      long n;
      try {
        n = Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        throw new BadRequest("bad Content-Length: " + cl);
      }
      copy(in, n, body);
    }
    return body.toByteArray();
  }

  private static void copy(InputStream in, long n, ByteArrayOutputStream to) throws IOException {
    if (n < 0 || to.size() + n > MAX_BODY) {
      throw new BadRequest("body too large (at most " + MAX_BODY + " bytes)");
    }
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new BadRequest("body ended early");
      }
      to.write(buf, 0, r);
      n -= r;
    }
  }

  /** Reads a line ending in LF (a CR before it dropped); null at once-only EOF if allowed. */
  private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (eofAllowed && buf.size() == 0) {
          return null;
        }
        throw new BadRequest("connection closed in the middle of a request");
      }
      if (b == '\n') {
        break;
      }
      if (buf.size() >= MAX_LINE) {
        throw new BadRequest("line too long");
      }
      buf.write(b);
    }
    String s = buf.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  /** The status line and headers, ending with the blank line. */
  static byte[] head(int status, List<String[]> headers) {
    StringBuilder sb = new StringBuilder(512);
    sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    for (String[] h : headers) {
      sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The reason phrase of a status. */
  public static String reason(int status) {
    switch (status) {
      case 200: return "OK";
      case 202: return "Accepted";
      case 204: return "No Content";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 408: return "Request Timeout";
      case 429: return "Too Many Requests";
      case 500: return "Internal Server Error";
      case 501: return "Not Implemented";
      case 502: return "Bad Gateway";
      case 503: return "Service Unavailable";
      case 504: return "Gateway Timeout";
      default: return "Status " + status;
    }
  }
}
