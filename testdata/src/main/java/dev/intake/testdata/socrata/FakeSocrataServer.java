package dev.intake.testdata.socrata;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A local, Socrata-compatible HTTP server for tests: SODA 2 queries on datasets the test fills,
 * Socrata's error answers, and scripted or random faults, on a plain {@link ServerSocket} so that
 * resets and truncated bodies happen exactly as scripted.
 *
 * <pre>{@code
 * try (FakeSocrataServer socrata = new FakeSocrataServer().start()) {
 *   socrata.setNow(Instant.parse("2021-07-10T23:00:07Z"));
 *   SocrataDataset sf311 = socrata.addDataset("vw6y-z8j6");
 *   sf311.loadJson(Path.of("sf311/api_2021-07_first50.jsonl"));
 *   socrata.failNext(2, RecordedRequest.anyResource(), Fault.tooManyRequests(0));
 *   // point the client at socrata.baseUrl() + "/resource/vw6y-z8j6.json"
 * }
 * }</pre>
 *
 * <p>Binds 127.0.0.1 only. Speaks HTTP/1.1 with keep-alive (one thread per connection; a
 * connection is closed after a reset or truncation fault, when the client asks, or always with
 * {@link #connectionClose(boolean)}). Every answer carries {@code X-Socrata-RequestId} and
 * {@code Content-Length}. Requests are numbered from 1 in arrival order over the server's life;
 * that number drives {@link #failRequest}, random faults and the unordered shuffle.
 */
public final class FakeSocrataServer implements AutoCloseable {
  /** The default key field of a dataset (SF 311's). */
  public static final String DEFAULT_KEY_FIELD = "service_request_id";
  /** The dataset clock before any {@link #setNow}. */
  public static final Instant DEFAULT_NOW = Instant.parse("2021-07-11T00:00:00Z");
  private static final int IDLE_TIMEOUT_MILLIS = 30_000;

  private final int requestedPort;
  private final Map<String, SocrataDataset> datasets = new ConcurrentHashMap<>();
  private final FaultScript faults = new FaultScript();
  private final SocrataRouter router = new SocrataRouter(this);
  private final AtomicInteger requestCounter = new AtomicInteger();
  private final AtomicInteger connectionCounter = new AtomicInteger();
  private final List<RecordedRequest> log = new ArrayList<>();
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private volatile Instant now = DEFAULT_NOW;
  private volatile String appToken;
  private volatile Duration latency = Duration.ZERO;
  private volatile boolean ignoreOffset;
  private volatile int pageSizeCap;
  private volatile boolean connectionClose;
  private volatile boolean shuffleUnordered = true;
  private volatile long shuffleSeed = 1;
  private volatile boolean closed;
  private ServerSocket serverSocket;
  private ExecutorService pool;

  /** A server on a free port (call {@link #start()}). */
  public FakeSocrataServer() {
    this(0);
  }

  /** A server on {@code port} of 127.0.0.1 (0: a free port). */
  public FakeSocrataServer(int port) {
    this.requestedPort = port;
  }

  /** Binds and starts accepting connections; returns this. */
  public synchronized FakeSocrataServer start() throws IOException {
    if (serverSocket != null) {
      throw new IllegalStateException("already started");
    }
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), requestedPort), 100);
    serverSocket = socket;
    pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-socrata-" + socket.getLocalPort());
      t.setDaemon(true);
      return t;
    });
    pool.execute(this::acceptLoop);
    return this;
  }

  /** Stops: closes the listening socket and every open connection. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (serverSocket == null) {
      return;
    }
    closeQuietly(serverSocket);
    connections.forEach(FakeSocrataServer::closeQuietly);
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

  /** {@code <baseUrl>/resource/<id>.json}. */
  public String resourceUrl(String resourceId) {
    return baseUrl() + "/resource/" + resourceId + ".json";
  }

  // ---- datasets and clock ----

  /**
   * Adds (or replaces with an empty one) dataset {@code resourceId}, keyed by {@value
   * #DEFAULT_KEY_FIELD}.
   */
  public SocrataDataset addDataset(String resourceId) {
    return addDataset(resourceId, DEFAULT_KEY_FIELD);
  }

  /** Adds (or replaces with an empty one) dataset {@code resourceId} keyed by {@code keyField}. */
  public SocrataDataset addDataset(String resourceId, String keyField) {
    SocrataDataset d = new SocrataDataset(resourceId, keyField, this::now);
    datasets.put(resourceId, d);
    return d;
  }

  /** The dataset, or null if there is none (its requests get 404 dataset.missing). */
  public SocrataDataset dataset(String resourceId) {
    return datasets.get(resourceId);
  }

  /** Removes a dataset; its requests then get 404 dataset.missing. */
  public void removeDataset(String resourceId) {
    datasets.remove(resourceId);
  }

  /** Sets the clock that stamps {@code :created_at} / {@code :updated_at} of later changes. */
  public void setNow(Instant now) {
    this.now = Objects.requireNonNull(now);
  }

  /** Moves the clock forward (or back, with a negative duration); returns the new now. */
  public Instant advance(Duration by) {
    now = now.plus(by);
    return now;
  }

  /** The dataset clock. */
  public Instant now() {
    return now;
  }

  // ---- whole-server behaviour ----

  /**
   * From now on answers 403 {@code permission_denied} to every request whose {@code X-App-Token}
   * header (or {@code $$app_token} parameter) is not {@code token}, missing included; null turns
   * the check off.
   */
  public void requireAppToken(String token) {
    this.appToken = token;
  }

  /** Waits {@code delay} before every answer (and before a fault's own delay). */
  public void latency(Duration delay) {
    this.latency = Objects.requireNonNull(delay);
  }

  /** Answers every page as if {@code $offset} were 0 (a broken pager's server). */
  public void ignoreOffset() {
    ignoreOffset(true);
  }

  /** Turns {@link #ignoreOffset()} on or off. */
  public void ignoreOffset(boolean ignore) {
    this.ignoreOffset = ignore;
  }

  /** Returns at most {@code maxRows} rows per page whatever {@code $limit} says; 0: no cap. */
  public void pageSizeCap(int maxRows) {
    if (maxRows < 0) {
      throw new IllegalArgumentException("negative cap");
    }
    this.pageSizeCap = maxRows;
  }

  /** With true, every answer says {@code Connection: close} and the server closes after it. */
  public void connectionClose(boolean close) {
    this.connectionClose = close;
  }

  /**
   * With true (the default) rows are shuffled before sorting, so unordered queries and ties on
   * {@code $order} come in a different order per request; false keeps insertion order.
   */
  public void shuffleUnordered(boolean shuffle) {
    this.shuffleUnordered = shuffle;
  }

  /** The seed of that shuffle (mixed with the request number); default 1. */
  public void shuffleSeed(long seed) {
    this.shuffleSeed = seed;
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
   * sees method, path, params and headers; status is still 0). Rules fire oldest first.
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

  // ---- for the router ----

  String appToken() {
    return appToken;
  }

  boolean ignoresOffset() {
    return ignoreOffset;
  }

  int pageSizeCap() {
    return pageSizeCap;
  }

  boolean shuffleUnordered() {
    return shuffleUnordered;
  }

  long shuffleSeed() {
    return shuffleSeed;
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
          SocrataRouter.Response bad = SocrataRouter.Response.error(400, "bad_request",
              e.getMessage(), null);
          writeWhole(out, bad, "", false, true);
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
    String path = SocrataRouter.decodePath(q < 0 ? target : target.substring(0, q));
    RecordedRequest rec = new RecordedRequest(number, connection, request.method(), path, rawQuery,
        SocrataRouter.decodeQuery(rawQuery), RecordedRequest.headerMap(request.headers()),
        Instant.now());
    Fault fault = faults.pick(rec);
    SocrataRouter.Response response = fault != null && fault.kind() == Fault.Kind.STATUS
        ? SocrataRouter.faultResponse(fault)
        : fault != null && fault.kind() == Fault.Kind.RESET_BEFORE_HEADERS
            ? null
            : router.route(request.method(), path, rec.params(), rec.headers(), number);
    String requestId = requestId(number);
    boolean head = request.method().equals("HEAD");
    boolean keepAlive = request.keepAlive() && !connectionClose;
    if (response != null && fault != null && fault.kind() == Fault.Kind.MALFORMED_JSON) {
      response = malformed(response);
    }
    synchronized (log) {
      log.add(response == null
          ? rec.withOutcome(0, fault, -1, null)
          : rec.withOutcome(response.status(), fault, response.rows(), requestId));
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

  private static SocrataRouter.Response malformed(SocrataRouter.Response normal) {
    String body = new String(normal.body(), StandardCharsets.UTF_8);
    String broken = body.length() > 6 ? body.substring(0, body.length() / 2) : "[{\"";
    return SocrataRouter.Response.json(200, SocrataRouter.JSON, broken, normal.rows());
  }

  private void writeWhole(OutputStream out, SocrataRouter.Response r, String requestId,
      boolean head, boolean close) throws IOException {
    List<String[]> headers = headers(r, requestId, close);
    out.write(HttpWire.head(r.status(), headers));
    if (!head) {
      out.write(r.body());
    }
    out.flush();
  }

  private static List<String[]> headers(SocrataRouter.Response r, String requestId,
      boolean close) {
    List<String[]> h = new ArrayList<>();
    h.add(new String[] {"Date", SocrataRouter.httpDate(Instant.now())});
    h.add(new String[] {"Server", "FakeSocrataServer"});
    h.addAll(r.headers());
    h.add(new String[] {"Content-Length", Integer.toString(r.body().length)});
    if (!requestId.isEmpty()) {
      h.add(new String[] {"X-Socrata-RequestId", requestId});
    }
    h.add(new String[] {"Connection", close ? "close" : "keep-alive"});
    return h;
  }

  private String requestId(int number) {
    SplittableRandom r = new SplittableRandom(shuffleSeed * 31 + number);
    return String.format("%016x%016x", r.nextLong(), r.nextLong());
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
    return "FakeSocrataServer" + (serverSocket == null ? "(not started)" : "(" + baseUrl() + ")");
  }
}
