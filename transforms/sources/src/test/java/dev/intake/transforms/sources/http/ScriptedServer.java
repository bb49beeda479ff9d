package dev.intake.transforms.sources.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * An HTTP server on 127.0.0.1 that answers from a script, for answers a protocol's fake server
 * cannot give (a server that ignores the keyset, redirects, odd error bodies), and that records
 * each request (method, URI, headers, body). After the script, it answers 500.
 */
public final class ScriptedServer implements AutoCloseable {
  /** One scripted answer. */
  record Answer(int status, Map<String, String> headers, String body) {}

  /** One request received: the method, the URI as sent, the headers and the body. */
  public record Received(String method, URI uri, Map<String, String> headers, String body) {
    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
      for (Map.Entry<String, String> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          return h.getValue();
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

  public ScriptedServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Adds an answer to the script: status, body, then header names and values. */
  public ScriptedServer then(int status, String body, String... headerPairs) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.put(headerPairs[i], headerPairs[i + 1]);
    }
    script.add(new Answer(status, headers, body));
    return this;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
    String body;
    try (var in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI(),
        Collections.unmodifiableMap(headers), body));
    Answer a = script.poll();
    if (a == null) {
      a = new Answer(500, Map.of(), "{\"message\":\"script exhausted\"}");
    }
    byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
    a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.getResponseHeaders().add("Content-Type", "application/json;charset=utf-8");
    exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
