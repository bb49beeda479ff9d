package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.Lake;
import dev.intake.pipeline.testing.TestData;
import dev.intake.testdata.socrata.FakeSocrataServer;
import dev.intake.testdata.http.Fault;
import dev.intake.testdata.http.RecordedRequest;
import dev.intake.testdata.socrata.SocrataDataset;
import dev.intake.testdata.socrata.SocrataRequests;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API backfills, incremental runs and replays against the Socrata-compatible test server, on
 * embedded Flink with the embedded DuckDB warehouse. The app token the runs send comes from the
 * environment variable SOCRATA_APP_TOKEN, which the build sets for these tests.
 */
class ApiRunsTest {
  static final String TOKEN = System.getenv("SOCRATA_APP_TOKEN");
  static final Instant T0 = Instant.parse("2021-07-10T00:00:00Z");

  @TempDir Path tmp;
  private FakeSocrataServer socrata;
  private SocrataDataset sf311;

  @BeforeEach
  void startServer() throws Exception {
    assertThat("the build sets SOCRATA_APP_TOKEN for these tests", TOKEN != null, is(true));
    socrata = new FakeSocrataServer().start();
    socrata.requireAppToken(TOKEN);
    sf311 = socrata.addDataset("vw6y-z8j6");
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(Path.of(TestData.file("api_2021-07_first50.jsonl")));
    for (int i = 0; i < lines.size(); i++) {
      // :updated_at of the 50 records spreads over two days, an hour apart.
      socrata.setNow(T0.plus(Duration.ofHours(i)));
      @SuppressWarnings("unchecked")
      Map<String, Object> row = json.readValue(lines.get(i), LinkedHashMap.class);
      sf311.upsert(row);
    }
    socrata.setNow(T0.plus(Duration.ofDays(3)));
  }

  @AfterEach
  void stopServer() {
    socrata.close();
  }

  private Lake lake(String name) {
    return new Lake(tmp.resolve(name));
  }

  private Cli run(Lake lake, String runId, String... options) {
    List<String> args = new ArrayList<>(List.of("run", "--dataset=sf311", "--lakePath=" + lake.root,
        "--apiBaseUrl=" + socrata.baseUrl(), "--runId=" + runId));
    args.addAll(List.of(options));
    return Cli.run(args.toArray(new String[0]));
  }

  private void runOk(Lake lake, String runId, String... options) {
    Cli cli = run(lake, runId, options);
    assertThat(cli.toString(), cli.exitCode, is(0));
  }

  private List<String> keys(Lake lake) throws Exception {
    return lake.query("SELECT service_request_id FROM " + lake.clean() + " ORDER BY 1");
  }

  private List<String> rows(Lake lake) throws Exception {
    return lake.query("SELECT service_request_id, status_description, strftime(updated_datetime,"
        + " '%Y-%m-%dT%H:%M:%SZ'), strftime(socrata_updated_at, '%Y-%m-%dT%H:%M:%SZ') FROM "
        + lake.clean() + " ORDER BY 1");
  }

  private List<String> serverKeys() {
    List<String> keys = new ArrayList<>();
    for (Map<String, Object> r : sf311.rows()) {
      keys.add(String.valueOf(r.get("service_request_id")));
    }
    keys.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    return keys;
  }

  @Test
  void apiBackfillReadsExactlyTheServersRowsAndKeepsEveryPage() throws Exception {
    Lake lake = lake("lake");
    runOk(lake, "backfill", "--from=2021-07-09", "--to=2021-07-13", "--window=PT12H", "--pageSize=7",
        "--rowsPerWindow=10");

    assertThat(keys(lake), equalTo(TestData.expected("api_2021-07_first50.keys.txt")));
    assertThat(
        lake.query("SELECT strftime(socrata_updated_at, '%Y-%m-%dT%H:%M:%SZ'), status_description"
            + " FROM " + lake.clean() + " WHERE service_request_id = 14011783"),
        contains("2021-07-10T00:00:00Z\tClosed"));
    RunSummary s = lake.summary("backfill");
    assertThat(List.of(s.read, s.written, s.superseded, s.rejected), contains(50L, 50L, 0L, 0L));
    assertThat(s.watermark, is("2021-07-12T01:00:00Z"));

    List<String> manifest = Files.readAllLines(rawRunDir(lake, "backfill").resolve("manifest.jsonl"));
    assertThat(manifest.size(), greaterThan(8));
    assertThat(manifest, everyItem(containsString("\"sha256\"")));
    assertThat(manifest, everyItem(not(containsString(TOKEN))));
    List<RecordedRequest> requests = socrata.requests(r -> r.path().endsWith("vw6y-z8j6.json"));
    assertThat(requests.stream().map(r -> r.header("X-App-Token")).distinct().toList(), contains(TOKEN));
    assertThat(requests.stream().filter(r -> r.rawQuery().contains(TOKEN)).toList(), empty());
    FullLoadTest.assertAggregatesMatchCleanRows(lake);
    assertNoFileContains(tmp, TOKEN);
  }

  /** No file under {@code dir} (gzip files decompressed) holds {@code secret}. */
  static void assertNoFileContains(Path dir, String secret) throws Exception {
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertThat(files.size(), greaterThan(10));
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      if (f.toString().endsWith(".gz")) {
        try (java.io.InputStream in =
            new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
          bytes = in.readAllBytes();
        }
      }
      assertThat(f + " holds the token", indexOf(bytes, needle), is(-1));
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static Path rawRunDir(Lake lake, String runId) throws Exception {
    try (Stream<Path> s = Files.walk(lake.root.resolve("raw/sf311"))) {
      return s.filter(p -> p.getFileName().toString().equals("run=" + runId)).findFirst().orElseThrow();
    }
  }

  @Test
  void incrementalRunsCatchChangesAndLateUpdatesAndEqualOneBackfillOfTheFinalSource()
      throws Exception {
    Lake lake = lake("lake");
    runOk(lake, "backfill", "--from=2021-07-09", "--to=2021-07-13");
    assertThat(lake.summary("backfill").watermark, is("2021-07-12T01:00:00Z"));

    // Quiet: nothing changed at the source; the second run changes nothing.
    List<String> before = rows(lake);
    runOk(lake, "quiet", "--mode=incremental");
    assertThat(rows(lake), equalTo(before));
    assertThat(lake.summary("quiet").watermark, is("2021-07-12T01:00:00Z"));

    // Changes: two cases close, one new case; and a late update whose :updated_at is half an
    // hour before the stored watermark (inside the default one-hour lookback).
    socrata.setNow(Instant.parse("2021-07-13T10:00:00Z"));
    Map<String, Object> closed = new LinkedHashMap<>(sf311.row("13921914"));
    closed.put("status_description", "Closed");
    closed.put("updated_datetime", "2021-07-13T02:00:00.000");
    sf311.upsert(strip(closed));
    Map<String, Object> added = new LinkedHashMap<>(sf311.row("14011783"));
    added.put("service_request_id", "14099999");
    added.put("updated_datetime", "2021-07-13T02:30:00.000");
    sf311.upsert(strip(added));
    socrata.setNow(Instant.parse("2021-07-12T00:30:00Z"));
    Map<String, Object> late = new LinkedHashMap<>(sf311.row("14011168"));
    late.put("status_notes", "late correction");
    late.put("updated_datetime", "2021-07-12T00:00:00.000");
    sf311.upsert(strip(late));
    socrata.setNow(Instant.parse("2021-07-13T12:00:00Z"));

    runOk(lake, "changes", "--mode=incremental");
    RunSummary s = lake.summary("changes");
    assertThat(s.watermark, is("2021-07-13T10:00:00Z"));
    assertThat(lake.query("SELECT status_notes FROM " + lake.clean() + " WHERE service_request_id = 14011168"),
        contains("late correction"));
    assertThat(lake.query("SELECT status_description FROM " + lake.clean()
        + " WHERE service_request_id = 13921914"), contains("Closed"));
    assertThat(keys(lake), equalTo(serverKeys()));

    Lake fresh = lake("fresh");
    runOk(fresh, "one-backfill", "--from=2021-07-01", "--to=2021-07-14");
    assertThat(rows(lake), equalTo(rows(fresh)));
    FullLoadTest.assertAggregatesMatchCleanRows(lake);
  }

  @Test
  void reconcileRemovesExactlyTheVanishedKeysAndRefusesToEmptyTheLake() throws Exception {
    Lake lake = lake("lake");
    runOk(lake, "backfill", "--from=2021-07-09", "--to=2021-07-13");
    List<String> all = serverKeys();
    // Two cases vanish from the source (4% of the 50 stored): within the default 5% bound.
    sf311.remove(all.get(5));
    sf311.remove(all.get(17));
    socrata.clearRequests();
    runOk(lake, "reconcile", "--mode=reconcile", "--from=2000-01-01", "--to=2030-01-01",
        "--window=P3650D");
    assertThat(keys(lake), equalTo(serverKeys()));
    dev.intake.pipeline.testing.Warehouses duck = new dev.intake.pipeline.testing.Warehouses(
        dev.intake.pipeline.testing.Warehouses.Kind.DUCKDB, lake.root);
    assertThat(duck.query("SELECT service_request_id FROM " + duck.table("sf311") + " ORDER BY 1"),
        equalTo(serverKeys()));
    RunSummary s = lake.summary("reconcile");
    assertThat(List.of(s.reconciled, s.deleted, s.read, s.written), contains(50L, 2L, 0L, 0L));
    // Only the keys were asked for, with the range on the partition field.
    List<RecordedRequest> pages = socrata.requests(r -> r.param("$where") != null
        && r.param("$where").contains("requested_datetime"));
    assertThat(pages.size(), greaterThan(0));
    assertThat(pages.get(0).param("$select"), is("service_request_id,requested_datetime,:id"));
    assertThat(lake.query("SELECT service_request_id FROM read_parquet('" + lake.root
        + "/tombstones/sf311/*/*.parquet') ORDER BY 1"), equalTo(List.of(all.get(5), all.get(17))));

    // A source that lost a quarter of its rows is not believed: refused, nothing deleted.
    List<String> before = rows(lake);
    for (int i = 20; i < 32; i++) {
      sf311.remove(all.get(i));
    }
    Cli refused = run(lake, "broken", "--mode=reconcile", "--from=2000-01-01",
        "--to=2030-01-01", "--window=P3650D");
    assertThat(refused.toString(), refused.exitCode, is(1));
    assertThat(refused.toString(), containsString("the source no longer has 12 of the 48 stored"
        + " keys in the range (25.0%), more than --maxDeleteRatio=0.05"));
    assertThat(rows(lake), equalTo(before));
  }

  /** A request for a page of a window (not the access check, which has no range). */
  static boolean pageRequest(RecordedRequest r) {
    String where = r.param("$where");
    return where != null && where.contains(">=") && !SocrataRequests.counts().test(r);
  }

  private static Map<String, Object> strip(Map<String, Object> row) {
    row.keySet().removeIf(k -> k.startsWith(":"));
    return row;
  }

  @Test
  void aWatermarkInTheFutureReadsNothingAndChangesNothing() throws Exception {
    Lake lake = lake("lake");
    runOk(lake, "backfill", "--from=2021-07-09", "--to=2021-07-13");
    List<String> before = rows(lake);
    socrata.clearRequests();
    runOk(lake, "future", "--mode=incremental", "--from=2031-01-01");
    RunSummary s = lake.summary("future");
    assertThat(List.of(s.read, s.written), contains(0L, 0L));
    assertThat(rows(lake), equalTo(before));
    assertThat(socrata.requests(r -> r.params().containsKey("$where")
        && r.param("$where").contains("2031")), empty());
  }

  @Test
  void incrementalWithoutAWatermarkSaysToRunABackfillFirst() {
    Cli cli = run(lake("lake"), "first", "--mode=incremental");
    assertThat(cli.toString(), cli.exitCode, is(2));
    assertThat(cli.errorLines().get(cli.errorLines().size() - 1), containsString(
        "has no watermark in jdbc:duckdb:" + tmp.resolve("lake") + ".duckdb yet; run a backfill first"));
  }

  @Test
  void faultsAreRetriedAndGiveTheFaultFreeResult() throws Exception {
    Lake clean = lake("clean");
    runOk(clean, "clean", "--from=2021-07-09", "--to=2021-07-13", "--pageSize=10");
    // Faults on the page requests (not the access check before the run), drawn with a seed.
    socrata.failRandomly(0.4, 7, ApiRunsTest::pageRequest,
        Fault.tooManyRequests(1), Fault.tooManyRequests(0), Fault.tooManyRequests(),
        Fault.stillProcessing(), Fault.serverError(), Fault.serviceUnavailable(),
        Fault.resetAfterHeaders(), Fault.truncatedBody(), Fault.malformedJson(),
        Fault.slow(Duration.ofSeconds(3)));
    Lake faulty = lake("faulty");
    runOk(faulty, "faulty", "--from=2021-07-09", "--to=2021-07-13", "--pageSize=10",
        "--requestTimeoutSeconds=2", "--rowsPerWindow=10");
    List<RecordedRequest> faulted = socrata.requests(r -> r.fault() != null);
    assertThat(faulted.size(), greaterThan(5));
    assertThat(rows(faulty), equalTo(rows(clean)));
    assertThat(faulty.summary("faulty").read, is(50L));
  }

  @Test
  void anIncrementalRunOverATwoYearGapMakesRequestsByRowsNotDaysEvenUnderFaults()
      throws Exception {
    Lake lake = lake("lake");
    runOk(lake, "backfill", "--from=2021-07-09", "--to=2021-07-13");
    // Two years later, three changes; the gap is 730 days of the default one-day --window.
    for (String[] change : new String[][] {{"13921914", "2022-03-01T10:00:00Z"},
        {"14011783", "2023-01-15T08:00:00Z"}, {"14011168", "2023-07-01T12:00:00Z"}}) {
      socrata.setNow(Instant.parse(change[1]));
      Map<String, Object> row = new LinkedHashMap<>(sf311.row(change[0]));
      row.put("status_description", "Closed");
      sf311.upsert(strip(row));
    }
    socrata.setNow(Instant.parse("2023-07-13T00:00:00Z"));
    socrata.clearRequests();
    socrata.failRandomly(0.2, 5, SocrataRequests.anyResource(),
        Fault.tooManyRequests(), Fault.serverError(), Fault.serviceUnavailable(),
        Fault.resetBeforeHeaders(), Fault.truncatedBody());

    runOk(lake, "after-gap", "--mode=incremental");

    List<RecordedRequest> sent = socrata.requests(SocrataRequests.anyResource());
    List<RecordedRequest> answered = socrata.requests(r -> r.status() == 200);
    // One access check, counts that halve only the ranges holding more than --rowsPerWindow rows
    // (none here: one count), and the pages of one window: a handful of requests, not 730.
    assertThat(socrata.requests(SocrataRequests.counts().and(r -> r.status() == 200)),
        hasSize(1));
    assertThat(answered.size(), lessThanOrEqualTo(4));
    assertThat(sent.size(), lessThanOrEqualTo(20));
    RunSummary s = lake.summary("after-gap");
    assertThat(s.windowsPlanned, is(1));
    assertThat(s.countRequests, is(1));
    // the three changes and the two backfilled rows within the one-hour lookback
    assertThat(s.read, is(5L));
    assertThat(s.watermark, is("2023-07-01T12:00:00Z"));
    assertThat(lake.query("SELECT count(*) FROM " + lake.clean()
        + " WHERE status_description = 'Closed' AND service_request_id IN "
        + "(13921914, 14011783, 14011168)"), contains("3"));
  }

  @Test
  void aRangeWithMoreRowsThanAWindowHoldsIsCountedInHalves() throws Exception {
    Lake lake = lake("lake");
    socrata.clearRequests();
    runOk(lake, "halves", "--from=2021-07-01", "--to=2021-07-31", "--rowsPerWindow=20",
        "--window=PT1H", "--pageSize=10");
    RunSummary s = lake.summary("halves");
    assertThat(s.read, is(50L));
    assertThat(keys(lake), equalTo(serverKeys()));
    // 50 rows an hour apart over two days, at most 20 per window: at least 3 windows, each
    // planned by a count, and no window for the 28 empty days beyond a few empty halves.
    assertThat(s.windowsPlanned, greaterThan(2));
    assertThat(s.windowsPlanned, lessThanOrEqualTo(8));
    assertThat(socrata.requests(SocrataRequests.counts()).size(), is(s.countRequests));
    assertThat(s.countRequests, lessThanOrEqualTo(20));
  }

  @Test
  void aFaultBeyondTheRetryBudgetFailsTheRunWithNothingCommitted() throws Exception {
    Lake lake = lake("lake");
    runOk(lake, "backfill", "--from=2021-07-09", "--to=2021-07-11");
    List<String> before = rows(lake);
    socrata.failNext(50, ApiRunsTest::pageRequest, Fault.serviceUnavailable());
    Cli cli = run(lake, "doomed", "--from=2021-07-09", "--to=2021-07-13", "--retryBudget=3");
    assertThat(cli.toString(), cli.exitCode, is(1));
    assertThat(cli.errorLines().get(cli.errorLines().size() - 1), startsWith("intake: run failed: "));
    assertThat(rows(lake), equalTo(before));
    assertThat(lake.summary("doomed").status, is("failed"));
    assertThat(lake.summary("backfill").watermark, is(lake.summaries().get(0).watermark));
  }

  @Test
  void aBadTokenOrAnUnknownDatasetIsOneLineAndWritesNothing() throws Exception {
    socrata.requireAppToken("another-token");
    Cli bad = run(lake("bad"), "bad", "--from=2021-07-09");
    assertThat(bad.toString(), bad.exitCode, is(2));
    assertThat(bad.errorLines(), hasSize(1));
    assertThat(bad.errorLines().get(0), startsWith("intake: error: Socrata answered 403"));
    assertThat(bad.err + bad.out, not(containsString(TOKEN)));
    assertThat(Files.exists(tmp.resolve("bad")), is(false));

    socrata.requireAppToken(TOKEN);
    socrata.removeDataset("vw6y-z8j6");
    Cli missing = run(lake("missing"), "missing", "--from=2021-07-09");
    assertThat(missing.toString(), missing.exitCode, is(2));
    assertThat(missing.errorLines().get(0), startsWith("intake: error: Socrata answered 404"));
    assertThat(Files.exists(tmp.resolve("missing")), is(false));
  }

  @Test
  void manyRowsSharingOneUpdatedAtAcrossPagesAreNeitherLostNorDoubled() throws Exception {
    socrata.setNow(Instant.parse("2021-07-14T00:00:00Z"));
    for (Map<String, Object> r : sf311.rows()) {
      sf311.upsert(strip(new LinkedHashMap<>(r)));
    }
    Lake lake = lake("lake");
    // All 50 rows share one :updated_at, which is also a window boundary.
    runOk(lake, "same-time", "--from=2021-07-13T00:00:00Z", "--to=2021-07-15", "--window=P1D",
        "--pageSize=6");
    assertThat(keys(lake), equalTo(TestData.expected("api_2021-07_first50.keys.txt")));
    RunSummary s = lake.summary("same-time");
    assertThat(List.of(s.read, s.written, s.superseded), contains(50L, 50L, 0L));
  }

  @Test
  void aReplayLoadsTheRawPagesWithoutTheApiAndRefusesAnAlteredPage() throws Exception {
    Lake lake = lake("lake");
    runOk(lake, "fetch", "--from=2021-07-09", "--to=2021-07-13", "--pageSize=20");
    List<String> fetched = rows(lake);
    socrata.close();

    Cli replay = Cli.run("run", "--dataset=sf311", "--lakePath=" + lake.root, "--mode=replay",
        "--runId=fetch");
    assertThat(replay.toString(), replay.exitCode, is(0));
    assertThat(rows(lake), equalTo(fetched));
    RunSummary s = lake.summaries().get(lake.summaries().size() - 1);
    assertThat(s.read, is(50L));

    Path page;
    try (Stream<Path> files = Files.list(rawRunDir(lake, "fetch"))) {
      page = files.filter(p -> p.toString().endsWith(".json.gz")).sorted().findFirst().orElseThrow();
    }
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(page))) {
      out.write("[{\"service_request_id\": \"1\"}]".getBytes(StandardCharsets.UTF_8));
    }
    Cli altered = Cli.run("run", "--dataset=sf311", "--lakePath=" + lake.root, "--mode=replay",
        "--runId=fetch");
    assertThat(altered.toString(), altered.exitCode, is(1));
    assertThat(altered.errorLines().get(altered.errorLines().size() - 1),
        containsString("does not match its manifest"));
    assertThat(rows(lake), equalTo(fetched));
  }
}
