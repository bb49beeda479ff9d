package dev.intake.transforms.sources.socrata;

import static dev.intake.transforms.sources.socrata.Fixtures.RESOURCE;
import static dev.intake.transforms.sources.socrata.Fixtures.T0;
import static dev.intake.transforms.sources.socrata.Fixtures.TOKEN_ENV;
import static dev.intake.transforms.sources.socrata.Fixtures.keys;
import static dev.intake.transforms.sources.socrata.Fixtures.upsertAt;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.testdata.socrata.FakeSocrataServer;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.sources.ApiSource;
import dev.intake.transforms.sources.ApiTuning;
import dev.intake.transforms.sources.MapSpecSection;
import dev.intake.transforms.sources.SourceAccessException;
import dev.intake.transforms.sources.TimeWindow;
import dev.intake.transforms.sources.http.Page;
import dev.intake.transforms.sources.http.RawPage;
import dev.intake.transforms.testing.TestPipelineExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Socrata source as the pipeline uses it: prepare, describe, read, replay. */
@ExtendWith(TestPipelineExtension.class)
class SocrataSourceTest {
  private static final String TOKEN = "tok-source-3c1d-secret";
  private static final UnaryOperator<String> NO_ENV = name -> null;
  private static final Instant W0 = new Instant(T0.toEpochMilli());
  private static final Instant W1 = W0.plus(org.joda.time.Duration.standardSeconds(90));
  private static final Instant W2 = W0.plus(org.joda.time.Duration.standardDays(1));

  private FakeSocrataServer socrata;
  private final List<String> log = new ArrayList<>();
  @TempDir Path raw;

  @BeforeEach
  void start() throws Exception {
    socrata = new FakeSocrataServer().start();
    var sf311 = socrata.addDataset(RESOURCE);
    upsertAt(socrata, sf311, T0.plusSeconds(60), keys("a", 7));
    upsertAt(socrata, sf311, T0.plusSeconds(120), keys("b", 5));
  }

  @AfterEach
  void stop() {
    socrata.close();
  }

  private static SocrataSource source(String tokenEnv) {
    return (SocrataSource) new SocrataSourceType().configure(MapSpecSection.of("type", "socrata",
        "domain", "data.sfgov.org", "resource", RESOURCE, "tokenEnv", tokenEnv,
        "format", "soda-json", "windowField", ":updated_at", "pageSize", 5));
  }

  private ApiTuning tuning() {
    return ApiTuning.defaults().withBaseUrl(socrata.baseUrl()).withRequestTimeout(
        Duration.ofSeconds(5));
  }

  @Test
  void preparedDescribesBaseUrlResourceAndWindowField() {
    ApiSource.Prepared prepared = source(null).prepare(tuning(), log::add, NO_ENV);
    assertThat(prepared.describe(), is(socrata.baseUrl() + " vw6y-z8j6 :updated_at"));
    assertThat(log, empty());
    assertThat(socrata.requests(), hasSize(1));
    assertThat(socrata.lastRequest().param("$limit"), is("1"));
  }

  @Test
  void anUnsetTokenVariableReadsWithoutATokenAndSaysSo() {
    source(TOKEN_ENV).prepare(tuning(), log::add, NO_ENV);
    assertThat(log, contains("SOCRATA_APP_TOKEN is not set: reading without an app token, in"
        + " Socrata's shared, throttled pool"));
    assertThat(socrata.lastRequest().header("X-App-Token"), nullValue());
  }

  @Test
  void aSetTokenIsSentAndAnEmptyOneFails() {
    socrata.requireAppToken(TOKEN);
    source(TOKEN_ENV).prepare(tuning(), log::add, Map.of(TOKEN_ENV, TOKEN)::get);
    assertThat(socrata.lastRequest().header("X-App-Token"), is(TOKEN));
    assertThat(log, empty());

    SourceAccessException e = assertThrows(SourceAccessException.class,
        () -> source(TOKEN_ENV).prepare(tuning(), log::add, Map.of(TOKEN_ENV, " ")::get));
    assertThat(e.getMessage(), is("the environment variable SOCRATA_APP_TOKEN (tokenEnv) that"
        + " should hold the app token is not set or empty"));
  }

  @Test
  void aRefusalIsASourceAccessExceptionOnOneLine() {
    socrata.requireAppToken(TOKEN);
    SourceAccessException e = assertThrows(SourceAccessException.class,
        () -> source(TOKEN_ENV).prepare(tuning(), log::add, Map.of(TOKEN_ENV, "wrong")::get));
    assertThat(e.getMessage(), is("Socrata answered 403 permission_denied (Invalid app_token"
        + " specified) for GET " + socrata.resourceUrl(RESOURCE) + "?$select=:id,:updated_at"
        + "&$where=:updated_at IS NOT NULL&$limit=1 [request id "
        + socrata.lastRequest().requestId() + "]"));
  }

  /** What the client delivers for a window, as records named by window and page. */
  private List<SourceRecord> expected(TimeWindow w) throws IOException {
    List<SourceRecord> records = new ArrayList<>();
    try (SocrataClient client = SocrataClient.create(source(null).config(tuning()))) {
      client.fetchWindow(java.time.Instant.ofEpochMilli(w.getFrom().getMillis()),
          java.time.Instant.ofEpochMilli(w.getTo().getMillis()), (Page page) -> {
            for (int i = 0; i < page.records().size(); i++) {
              records.add(SourceRecord.of("window=" + w + "/page=" + page.number(), 0, i,
                  page.records().get(i), null));
            }
          });
    }
    return records;
  }

  @Test
  void readStoresEveryPageAndReplayGivesTheSameRecords(TestPipeline p) throws Exception {
    List<TimeWindow> windows = List.of(TimeWindow.of(W0, W1), TimeWindow.of(W1, W2));
    List<SourceRecord> expected = new ArrayList<>(expected(windows.get(0)));
    expected.addAll(expected(windows.get(1)));
    assertThat(expected.stream().map(SourceRecord::getSource).distinct().toList(), contains(
        "window=2021-07-10T00:00:00.000Z/2021-07-10T00:01:30.000Z/page=0",
        "window=2021-07-10T00:00:00.000Z/2021-07-10T00:01:30.000Z/page=1",
        "window=2021-07-10T00:01:30.000Z/2021-07-11T00:00:00.000Z/page=0"));
    assertThat(expected, hasSize(12));

    SocrataSource source = source(null);
    String rawDirectory = raw.toString() + "/";
    PCollection<SourceRecord> read =
        p.apply(source.prepare(tuning(), log::add, NO_ENV).read(windows, rawDirectory));
    PAssert.that(read).containsInAnyOrder(expected);
    p.run();

    try (Stream<Path> files = Files.list(raw)) {
      assertThat(files.map(f -> f.getFileName().toString()).collect(Collectors.toList()),
          containsInAnyOrder("manifest.jsonl", "page-1625875200000-1625875290000-00000.json.gz",
              "page-1625875200000-1625875290000-00001.json.gz",
              "page-1625875290000-1625961600000-00000.json.gz"));
    }
    List<RawPage> pages = Files.readAllLines(raw.resolve("manifest.jsonl")).stream()
        .map(RawPage::fromJson).toList();
    assertThat(pages.stream().map(RawPage::getRecords).sorted().toList(), contains(2, 5, 5));

    Pipeline again = Pipeline.create();
    PAssert.that(again.apply(source.replay(pages))).containsInAnyOrder(expected);
    again.run().waitUntilFinish();
  }

  @Test
  void aWindowWithTooManyPagesIsReadInHalves(TestPipeline p) throws Exception {
    ArrayList<String> whole = new ArrayList<>();
    expected(TimeWindow.of(W0, W2)).forEach(r -> whole.add(r.getText()));
    assertThat(whole, hasSize(12));
    PCollection<SourceRecord> read = p.apply(source(null)
        .prepare(tuning().withMaxPagesPerWindow(2), log::add, NO_ENV)
        .read(List.of(TimeWindow.of(W0, W2)), raw.toString() + "/"));
    PAssert.that(read).satisfies(records -> {
      List<String> texts = new ArrayList<>();
      records.forEach(r -> texts.add(r.getText()));
      assertThat(texts, containsInAnyOrder(whole.toArray()));
      for (SourceRecord r : records) {
        assertThat(r.getSource(), r.getSource().contains("/2021-07-11T00:00:00.000Z/"),
            is(false));
      }
      return null;
    });
    p.run();
  }
}
