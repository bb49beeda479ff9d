package dev.intake.testdata.socrata;

import dev.intake.testdata.http.Answer;
import dev.intake.testdata.http.FakeHttpServer;
import dev.intake.testdata.http.Fault;
import dev.intake.testdata.http.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local, Socrata-compatible HTTP server for tests: SODA 2 queries on datasets the test fills,
 * Socrata's error answers, and the scripted or random faults, latency and request log of {@link
 * FakeHttpServer}.
 *
 * <pre>{@code
 * try (FakeSocrataServer socrata = new FakeSocrataServer().start()) {
 *   socrata.setNow(Instant.parse("2021-07-10T23:00:07Z"));
 *   SocrataDataset sf311 = socrata.addDataset("vw6y-z8j6");
 *   sf311.loadJson(Path.of("sf311/api_2021-07_first50.jsonl"));
 *   socrata.failNext(2, SocrataRequests.anyResource(), Fault.tooManyRequests(0));
 *   // point the client at socrata.baseUrl() + "/resource/vw6y-z8j6.json"
 * }
 * }</pre>
 *
 * <p>Every answer carries {@code X-Socrata-RequestId}. The request number also drives the
 * unordered shuffle. Besides rows, a query whose {@code $select} is only {@code count(*)} answers
 * one row {@code {"count": "<n>"}}, as Socrata does.
 */
public final class FakeSocrataServer extends FakeHttpServer<FakeSocrataServer> {
  /** The default key field of a dataset (SF 311's). */
  public static final String DEFAULT_KEY_FIELD = "service_request_id";
  /** The dataset clock before any {@link #setNow}. */
  public static final Instant DEFAULT_NOW = Instant.parse("2021-07-11T00:00:00Z");

  private final Map<String, SocrataDataset> datasets = new ConcurrentHashMap<>();
  private final SocrataRouter router = new SocrataRouter(this);
  private volatile Instant now = DEFAULT_NOW;
  private volatile String appToken;
  private volatile boolean ignoreOffset;
  private volatile int pageSizeCap;
  private volatile boolean shuffleUnordered = true;
  private volatile long shuffleSeed = 1;

  /** A server on a free port (call {@link #start()}). */
  public FakeSocrataServer() {
    this(0);
  }

  /** A server on {@code port} of 127.0.0.1 (0: a free port). */
  public FakeSocrataServer(int port) {
    super(port);
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

  // ---- the protocol ----

  @Override
  protected Answer route(RecordedRequest request) {
    return router.route(request.method(), request.path(), request.params(), request.headers(),
        request.number());
  }

  @Override
  protected Answer faultAnswer(Fault fault) {
    return SocrataRouter.faultResponse(fault);
  }

  @Override
  protected Answer badRequest(String message) {
    return SocrataRouter.error(400, "bad_request", message, null);
  }

  @Override
  protected String serverName() {
    return "FakeSocrataServer";
  }

  @Override
  protected String requestIdHeader() {
    return "X-Socrata-RequestId";
  }

  @Override
  protected String requestId(int number) {
    SplittableRandom r = new SplittableRandom(shuffleSeed * 31 + number);
    return String.format("%016x%016x", r.nextLong(), r.nextLong());
  }
}
