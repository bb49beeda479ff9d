package dev.intake.transforms.sources.socrata;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * An HTTP server that answers from a script, for answers the fake Socrata cannot give (a server
 * that ignores the keyset, redirects, odd error bodies). After the script, it answers 500.
 */
final class ScriptedServer implements AutoCloseable {
  /** One scripted answer. */
  record Answer(int status, Map<String, String> headers, String body) {}

  /** One request received: the URI as sent and the X-App-Token header (or null). */
  record Received(URI uri, String appToken) {}

  private final HttpServer server;
  private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

  ScriptedServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  ScriptedServer then(int status, String body, String... headerPairs) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.put(headerPairs[i], headerPairs[i + 1]);
    }
    script.add(new Answer(status, headers, body));
    return this;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    received.add(new Received(exchange.getRequestURI(),
        exchange.getRequestHeaders().getFirst("X-App-Token")));
    Answer a = script.poll();
    if (a == null) {
      a = new Answer(500, Map.of(), "{\"message\":\"script exhausted\"}");
    }
    byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
    a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.getResponseHeaders().add("Content-Type", "application/json;charset=utf-8");
    exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
