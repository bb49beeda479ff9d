package dev.intake.testdata.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The machinery every fake API server of the tests shares, whatever protocol it speaks: a plain
 * {@link ServerSocket} on 127.0.0.1 (so resets and truncated bodies happen exactly as scripted),
 * HTTP/1.1 with keep-alive (one thread per connection), the request log, latency, and scripted or
 * seeded random {@link Fault}s. A protocol subclass says only what its API answers ({@link
 * #route}) and what its error bodies look like ({@link #faultAnswer}, {@link #badRequest}).
 *
 * <p>Requests are numbered from 1 in arrival order over the server's life; that number drives
 * {@link #failRequest} and random faults. A request enters the log when its answer is decided,
 * before the first byte is written, so a test that has read a response finds its request there.
 * A connection is closed after a reset or truncation fault, when the client asks, or always with
 * {@link #connectionClose(boolean)}. Every answer carries {@code Content-Length}.
 *
 * @param <S> the subclass, so that {@link #start()} returns it
 */
public abstract class FakeHttpServer<S extends FakeHttpServer<S>> implements AutoCloseable {
  private static final int IDLE_TIMEOUT_MILLIS = 30_000;
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final int requestedPort;
  private final FaultScript faults = new FaultScript();
  private final AtomicInteger requestCounter = new AtomicInteger();
  private final AtomicInteger connectionCounter = new AtomicInteger();
  private final List<RecordedRequest> log = new ArrayList<>();
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private volatile Duration latency = Duration.ZERO;
  private volatile boolean connectionClose;
  private volatile boolean closed;
  private ServerSocket serverSocket;
  private ExecutorService pool;

  /** A server on {@code port} of 127.0.0.1 (0: a free port); call {@link #start()}. */
  protected FakeHttpServer(int port) {
    this.requestedPort = port;
  }

  // ---- what a protocol says ----

  /** The normal (fault-free) answer to {@code request} (its status is still 0). */
  protected abstract Answer route(RecordedRequest request);

  /** The answer of a {@link Fault.Kind#STATUS} fault, in the protocol's error shape. */
  protected abstract Answer faultAnswer(Fault fault);

  /** The answer to a request that is not well-formed HTTP; the connection is closed after it. */
  protected abstract Answer badRequest(String message);

  /** The value of the {@code Server} header, e.g. "FakeSocrataServer". */
  protected abstract String serverName();

  /** The header carrying {@link #requestId}, or null for none. */
  protected String requestIdHeader() {
    return null;
  }

  /** The request id of request {@code number}, sent in {@link #requestIdHeader()}. */
  protected String requestId(int number) {
    return Integer.toString(number);
  }

  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }

  // ---- lifecycle ----

  /** Binds and starts accepting connections; returns this. */
  public synchronized S start() throws IOException {
    if (serverSocket != null) {
      throw new IllegalStateException("already started");
    }
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), requestedPort), 100);
    serverSocket = socket;
    String name = serverName() + "-" + socket.getLocalPort();
    pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    pool.execute(this::acceptLoop);
    return self();
  }

  /** Stops: closes the listening socket and every open connection. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (serverSocket == null) {
      return;
    }
    closeQuietly(serverSocket);
    connections.forEach(FakeHttpServer::closeQuietly);
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The port it listens on (after {@link #start()}). */
  public int port() {
    if (serverSocket == null) {
      throw new IllegalStateException("not started");
    }
    return serverSocket.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  // ---- whole-server behaviour ----

  /** Waits {@code delay} before every answer (and before a fault's own delay). */
  public void latency(Duration delay) {
    this.latency = Objects.requireNonNull(delay);
  }

  /** With true, every answer says {@code Connection: close} and the server closes after it. */
  public void connectionClose(boolean close) {
    this.connectionClose = close;
  }

  // ---- faults ----

  /** Injects {@code fault} into request number {@code requestNumber} (1 = the server's first). */
  public void failRequest(int requestNumber, Fault fault) {
    faults.at(requestNumber, fault);
  }

  /** Injects {@code fault} into the next request. */
  public void failNext(Fault fault) {
    failNext(1, r -> true, fault);
  }

  /** Injects {@code fault} into each of the next {@code count} requests. */
  public void failNext(int count, Fault fault) {
    failNext(count, r -> true, fault);
  }

  /**
   * Injects {@code fault} into each of the next {@code count} requests that match (the predicate
   * sees method, path, params, headers and body; status is still 0). Rules fire oldest first.
   */
  public void failNext(int count, Predicate<RecordedRequest> matching, Fault fault) {
    faults.next(count, matching, fault);
  }

  /**
   * Injects a fault into a share {@code rate} of all requests, drawn (with the fault, uniformly
   * among {@code choices}) from {@code seed} and the request number. Rate 0 turns it off.
   */
  public void failRandomly(double rate, long seed, Fault... choices) {
    faults.random(rate, seed, r -> true, choices);
  }

  /** As {@link #failRandomly(double, long, Fault...)}, among requests that match only. */
  public void failRandomly(
      double rate, long seed, Predicate<RecordedRequest> matching, Fault... choices) {
    faults.random(rate, seed, matching, choices);
  }

  /** Scripted faults (numbered and "next") that have not fired yet. */
  public int pendingFaults() {
    return faults.pending();
  }

  /** Drops every scripted and random fault. */
  public void clearFaults() {
    faults.clear();
  }

  // ---- request log ----

  /** The requests answered so far (since {@link #clearRequests()}), in the order answered. */
  public List<RecordedRequest> requests() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** The logged requests that match. */
  public List<RecordedRequest> requests(Predicate<RecordedRequest> matching) {
    return requests().stream().filter(matching).toList();
  }

  /** The last logged request, or null. */
  public RecordedRequest lastRequest() {
    synchronized (log) {
      return log.isEmpty() ? null : log.get(log.size() - 1);
    }
  }

  /** How many requests the server has received in its life (the last request number). */
  public int requestCount() {
    return requestCounter.get();
  }

  /** Empties the log (request numbers keep counting). */
  public void clearRequests() {
    synchronized (log) {
      log.clear();
    }
  }

  // ---- helpers for protocols ----

  /** Decodes a query string ({@code +} is a space); the first value of a repeated name wins. */
  public static Map<String, String> decodeQuery(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      params.putIfAbsent(decode(k), decode(v));
    }
    return params;
  }

  /** Percent-decodes a path ({@code +} stays a plus). */
  public static String decodePath(String raw) {
    return decode(raw.replace("+", "%2B"));
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /** An HTTP date, for Date and Last-Modified headers. */
  public static String httpDate(Instant t) {
    return HTTP_DATE.format(t);
  }

  // ---- serving ----

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = serverSocket.accept();
      } catch (IOException e) {
        return; // closed
      }
      connections.add(s);
      try {
        pool.execute(() -> serve(s));
      } catch (RuntimeException e) { // rejected: shutting down
        closeQuietly(s);
      }
    }
  }

  private void serve(Socket socket) {
    int connection = connectionCounter.incrementAndGet();
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (!closed) {
        socket.setSoTimeout(IDLE_TIMEOUT_MILLIS);
        HttpWire.Request request;
        try {
          request = HttpWire.read(in);
        } catch (HttpWire.BadRequest e) {
          writeWhole(out, badRequest(e.getMessage()), "", false, true);
          return;
        }
        if (request == null || !exchange(socket, connection, out, request)) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away, a reset, or the server is closing: nothing to do
    } finally {
      connections.remove(socket);
    }
  }

  /** Answers one request; returns whether the connection stays open. */
  private boolean exchange(
      Socket socket, int connection, OutputStream out, HttpWire.Request request)
      throws IOException, InterruptedException {
    int number = requestCounter.incrementAndGet();
    String target = request.target();
    if (target.startsWith("http://") || target.startsWith("https://")) {
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    int q = target.indexOf('?');
    String rawQuery = q < 0 ? "" : target.substring(q + 1);
    String path = decodePath(q < 0 ? target : target.substring(0, q));
    RecordedRequest rec = new RecordedRequest(number, connection, request.method(), path, rawQuery,
        decodeQuery(rawQuery), RecordedRequest.headerMap(request.headers()), request.body(),
        Instant.now());
    Fault fault = faults.pick(rec);
    Answer response = fault != null && fault.kind() == Fault.Kind.STATUS
        ? faultAnswer(fault)
        : fault != null && fault.kind() == Fault.Kind.RESET_BEFORE_HEADERS
            ? null
            : route(rec);
    if (fault != null && fault.kind() == Fault.Kind.STATUS && fault.retryAfter() != null) {
      response.headers().add(new String[] {"Retry-After", fault.retryAfter()});
    }
    String requestId = requestIdHeader() == null ? "" : requestId(number);
    boolean head = request.method().equals("HEAD");
    boolean keepAlive = request.keepAlive() && !connectionClose;
    if (response != null && fault != null && fault.kind() == Fault.Kind.MALFORMED_JSON) {
      response = malformed(response);
    }
    synchronized (log) {
      log.add(response == null
          ? rec.withOutcome(0, fault, -1, null)
          : rec.withOutcome(response.status(), fault, response.rows(),
              requestId.isEmpty() ? null : requestId));
    }
    sleep(latency);
    if (fault == null) {
      writeWhole(out, response, requestId, head, !keepAlive);
      return keepAlive;
    }
    switch (fault.kind()) {
      case RESET_BEFORE_HEADERS:
        reset(socket);
        return false;
      case RESET_AFTER_HEADERS:
        out.write(HttpWire.head(response.status(), headers(response, requestId, false)));
        out.flush();
        sleep(fault.delay());
        reset(socket);
        return false;
      case TRUNCATED_BODY:
        out.write(HttpWire.head(response.status(), headers(response, requestId, true)));
        out.write(response.body(), 0, response.body().length / 2);
        out.flush();
        socket.shutdownOutput();
        return false;
      case SLOW:
        sleep(fault.delay());
        writeWhole(out, response, requestId, head, !keepAlive);
        return keepAlive;
      default: // STATUS, MALFORMED_JSON
        writeWhole(out, response, requestId, head, !keepAlive);
        return keepAlive;
    }
  }

  /** The first half of the normal body (at least {@code [{"}), with the normal headers. */
  private static Answer malformed(Answer normal) {
    String body = new String(normal.body(), StandardCharsets.UTF_8);
    String broken = body.length() > 6 ? body.substring(0, body.length() / 2) : "[{\"";
    return new Answer(200, normal.headers(), broken.getBytes(StandardCharsets.UTF_8),
        normal.rows());
  }

  private void writeWhole(OutputStream out, Answer r, String requestId, boolean head,
      boolean close) throws IOException {
    out.write(HttpWire.head(r.status(), headers(r, requestId, close)));
    if (!head) {
      out.write(r.body());
    }
    out.flush();
  }

  private List<String[]> headers(Answer r, String requestId, boolean close) {
    List<String[]> h = new ArrayList<>();
    h.add(new String[] {"Date", httpDate(Instant.now())});
    h.add(new String[] {"Server", serverName()});
    h.addAll(r.headers());
    h.add(new String[] {"Content-Length", Integer.toString(r.body().length)});
    if (!requestId.isEmpty()) {
      h.add(new String[] {requestIdHeader(), requestId});
    }
    h.add(new String[] {"Connection", close ? "close" : "keep-alive"});
    return h;
  }

  private static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  private static void sleep(Duration d) throws InterruptedException {
    if (!d.isZero() && !d.isNegative()) {
      Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }

  @Override
  public String toString() {
    return serverName() + (serverSocket == null ? "(not started)" : "(" + baseUrl() + ")");
  }
}
