package dev.intake.pipeline.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A webhook receiver on 127.0.0.1 (the JDK's HTTP server): keeps every body posted to {@code
 * /hook} and answers with the statuses it was given, in order, then 200.
 */
public final class WebhookServer implements AutoCloseable {
  private final HttpServer server;
  private final List<String> bodies = new ArrayList<>();
  private final Deque<Integer> statuses = new ArrayDeque<>();

  public WebhookServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        int status;
        synchronized (this) {
          bodies.add(body);
          status = statuses.isEmpty() ? 200 : statuses.poll();
        }
        exchange.sendResponseHeaders(status, -1);
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  /** The next answers, before the 200s. */
  public synchronized WebhookServer answering(Integer... codes) {
    statuses.addAll(List.of(codes));
    return this;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** The bodies posted so far, in order. */
  public synchronized List<String> bodies() {
    return List.copyOf(bodies);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
