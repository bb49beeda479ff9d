package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.SqlRows;
import dev.intake.pipeline.testing.Warehouses;
import dev.intake.pipeline.testing.Warehouses.Kind;
import dev.intake.testdata.crunchbase.FakeCrunchbaseServer;
import dev.intake.testdata.crunchbase.Organizations;
import dev.intake.testdata.http.Fault;
import dev.intake.testdata.http.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The second dataset, {@code crunchbase_organizations}, declared by its spec alone (the generic
 * {@code http} source type), through the Crunchbase-protocol test server: backfill, then
 * incremental runs with changes and additions, on both warehouses, with and without faults. The
 * API key comes from CB_API_KEY, which the build sets for these tests.
 */
class CrunchbaseRunsTest {
  static final String KEY = System.getenv("CB_API_KEY");
  static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
  static final Instant TO = Instant.parse("2020-06-01T00:00:00Z");
  static final String DATASET = "crunchbase_organizations";

  @TempDir Path tmp;
  private FakeCrunchbaseServer server;
  private Organizations orgs;

  @BeforeEach
  void startServer() throws Exception {
    assertThat("the build sets CB_API_KEY for these tests", KEY != null, is(true));
    server = new FakeCrunchbaseServer().start();
    server.requireUserKey(KEY);
    server.setNow(TO);
    orgs = server.organizations();
    orgs.generate(240, 11, FROM, TO);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private Cli run(Path lake, List<String> warehouse, String runId, String... options) {
    List<String> args = new ArrayList<>(List.of("run", "--dataset=" + DATASET,
        "--lakePath=" + lake, "--apiBaseUrl=" + server.baseUrl(), "--runId=" + runId));
    args.addAll(warehouse);
    args.addAll(List.of(options));
    return Cli.run(args.toArray(new String[0]));
  }

  private void runOk(Path lake, List<String> warehouse, String runId, String... options) {
    Cli cli = run(lake, warehouse, runId, options);
    assertThat(cli.toString(), cli.exitCode, is(0));
  }

  /** uuid → updated_at of every organization the server holds now. */
  private Map<String, String> serverVersions() {
    Map<String, String> out = new TreeMap<>();
    for (Map<String, Object> e : orgs.all()) {
      out.put((String) e.get("uuid"), (String) e.get("updated_at"));
    }
    return out;
  }

  /** uuid → updated_at of the lake's clean rows; fails on a uuid stored twice. */
  private static Map<String, String> lakeVersions(Path lake) throws SQLException {
    return versions(lakeQuery("SELECT uuid, strftime(updated_at, '%Y-%m-%dT%H:%M:%SZ') FROM "
        + clean(lake) + " ORDER BY 1"));
  }

  private static Map<String, String> warehouseVersions(Warehouses w) throws SQLException {
    return versions(w.query("SELECT uuid, " + w.iso("updated_at") + " FROM "
        + w.table(DATASET) + " ORDER BY 1"));
  }

  private static Map<String, String> versions(List<String> rows) {
    Map<String, String> out = new TreeMap<>();
    for (String row : rows) {
      String[] kv = row.split("\t");
      assertThat("one row per uuid: " + kv[0], out.put(kv[0], kv[1]), is((String) null));
    }
    return out;
  }

  private static String clean(Path lake) {
    return "read_parquet('" + lake + "/clean/" + DATASET + "/*/*.parquet', hive_partitioning = true)";
  }

  private static List<String> lakeQuery(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      return SqlRows.query(c, sql);
    }
  }

  private static RunSummary summary(Path lake, String runId) throws IOException {
    return RunSummary.fromJson(
        Files.readString(lake.resolve("runs/" + DATASET + "/" + runId + ".json")));
  }

  /** Changes 30 organizations (a new name, a new updated_at) and adds 20, at {@code at}. */
  private void changeAndAdd(Instant at) {
    server.setNow(at);
    List<Map<String, Object>> all = orgs.all();
    for (int i = 0; i < 30; i++) {
      Map<String, Object> e = all.get(i * 7 % all.size());
      orgs.upsert(Map.of("uuid", e.get("uuid"), "name", "Renamed " + i));
    }
    orgs.generate(20, at.getEpochSecond(), at.minus(Duration.ofMinutes(30)), at);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void backfillThenIncrementalsEndWithTheNewestVersionOfEveryOrganization(Kind kind)
      throws Exception {
    Path lake = tmp.resolve("lake");
    Warehouses w = new Warehouses(kind, lake);
    runOk(lake, w.options(), "backfill", "--from=2020-01-01", "--to=2020-06-01",
        "--pageSize=25");
    assertThat(lakeVersions(lake), equalTo(serverVersions()));
    assertThat(warehouseVersions(w), equalTo(serverVersions()));
    RunSummary first = summary(lake, "backfill");
    assertThat(List.of(first.read, first.written, first.rejected), contains(240L, 240L, 0L));

    changeAndAdd(Instant.parse("2020-06-03T10:00:00Z"));
    server.setNow(Instant.parse("2020-06-03T12:00:00Z"));
    runOk(lake, w.options(), "changes", "--mode=incremental", "--pageSize=25");
    assertThat(lakeVersions(lake), equalTo(serverVersions()));
    assertThat(warehouseVersions(w), equalTo(serverVersions()));
    assertThat(lakeQuery("SELECT name FROM " + clean(lake) + " WHERE name LIKE 'Renamed %'").size(),
        is(30));

    // A second incremental run overlaps the first one's gte window: nothing doubles.
    runOk(lake, w.options(), "again", "--mode=incremental", "--pageSize=25");
    assertThat(lakeVersions(lake), equalTo(serverVersions()));
    assertThat(warehouseVersions(w), equalTo(serverVersions()));
    assertThat(summary(lake, "again").watermark, is(summary(lake, "changes").watermark));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void deletedOrganizationsLeaveBothSinksAndAnOlderVersionDoesNotBringThemBack(Kind kind)
      throws Exception {
    Path lake = tmp.resolve("lake");
    Warehouses w = new Warehouses(kind, lake);
    runOk(lake, w.options(), "backfill", "--from=2020-01-01", "--to=2020-06-01");
    List<Map<String, Object>> all = orgs.all();
    String a = (String) all.get(1).get("uuid");
    String b = (String) all.get(2).get("uuid");
    String c = (String) all.get(3).get("uuid");

    server.setNow(Instant.parse("2020-06-05T10:00:00Z"));
    orgs.delete(a);
    orgs.delete(b);
    orgs.delete(c);
    orgs.upsert(Map.of("uuid", all.get(4).get("uuid"), "name", "Changed at ten"));
    server.setNow(Instant.parse("2020-06-05T12:00:00Z"));
    runOk(lake, w.options(), "deletes", "--mode=incremental");
    assertThat(lakeVersions(lake), equalTo(serverVersions()));
    assertThat(warehouseVersions(w), equalTo(serverVersions()));
    RunSummary deletes = summary(lake, "deletes");
    assertThat(List.of(deletes.deletions, deletes.deleted, deletes.tombstoned),
        contains(3L, 3L, 0L));
    assertThat(deletes.outputs.get("tombstones"), is(3L));
    assertThat(w.query("SELECT uuid FROM " + w.raw(DATASET + "_tombstones") + " ORDER BY 1"),
        equalTo(new java.util.TreeSet<>(List.of(a, b, c)).stream().toList()));

    // The same deletions read again change nothing and keep no second tombstone.
    runOk(lake, w.options(), "again", "--mode=incremental");
    RunSummary repeated = summary(lake, "again");
    assertThat(List.of(repeated.deletions, repeated.deleted), contains(3L, 0L));
    assertThat(repeated.outputs.get("tombstones"), is(0L));
    assertThat(lakeVersions(lake), equalTo(serverVersions()));

    // An older version of a (updated before its deletion) arrives: it stays deleted. A newer
    // version of b (a re-created organization) comes back.
    server.setNow(Instant.parse("2020-06-05T09:30:00Z"));
    Map<String, Object> old = new java.util.LinkedHashMap<>(all.get(1));
    old.put("name", "An old version");
    orgs.upsert(old);
    server.setNow(Instant.parse("2020-06-05T14:00:00Z"));
    Map<String, Object> again = new java.util.LinkedHashMap<>(all.get(2));
    again.put("name", "Founded again");
    orgs.upsert(again);
    server.setNow(Instant.parse("2020-06-05T15:00:00Z"));
    runOk(lake, w.options(), "late", "--mode=incremental");
    RunSummary late = summary(lake, "late");
    assertThat(late.tombstoned, is(1L));
    Map<String, String> expected = serverVersions();
    expected.remove(a);
    assertThat(lakeVersions(lake), equalTo(expected));
    assertThat(warehouseVersions(w), equalTo(expected));
    assertThat(lakeQuery("SELECT name FROM " + clean(lake) + " WHERE uuid = '" + b + "'"),
        contains("Founded again"));
  }

  @Test
  void nestedPropertiesAreFlattenedAndCountriesJoinedByTheSpec() throws Exception {
    Path lake = tmp.resolve("lake");
    // One organization in a country the reference spells differently: a kept miss.
    String elsewhere = (String) orgs.all().get(5).get("uuid");
    server.setNow(Instant.parse("2020-05-31T12:00:00Z"));
    orgs.upsert(Map.of("uuid", elsewhere, "location_identifiers", List.of(Map.of(
        "uuid", "b3ba1c2c-0000-4000-8000-000000000344", "value", "Hong Kong",
        "permalink", "hong-kong", "entity_def_id", "location", "location_type", "country"))));
    server.setNow(TO);
    runOk(lake, List.of(), "backfill", "--from=2020-01-01", "--to=2020-06-01");
    Map<String, Object> e = orgs.all().get(0);
    String uuid = (String) e.get("uuid");
    @SuppressWarnings("unchecked")
    Map<String, Object> identifier = (Map<String, Object>) e.get("identifier");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> categories = (List<Map<String, Object>>) e.get("categories");
    String country = null;
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> places = (List<Map<String, Object>>) e.get("location_identifiers");
    for (Map<String, Object> place : places == null ? List.<Map<String, Object>>of() : places) {
      if (country == null && "country".equals(place.get("location_type"))) {
        country = (String) place.get("value");
      }
    }
    String names = categories == null ? "" : String.join("|",
        categories.stream().map(c -> (String) c.get("value")).toList());
    assertThat(lakeQuery("SELECT permalink, coalesce(country, ''), array_to_string(categories, '|')"
            + " FROM " + clean(lake) + " WHERE uuid = '" + uuid + "'"),
        contains(identifier.get("permalink") + "\t" + (country == null ? "" : country) + "\t"
            + names));
    // The aggregate adds up to the clean rows once per category (grouping by a list explodes it);
    // organizations without a founding date have no bucket and are not in it.
    assertThat(lakeQuery("SELECT sum(organizations) FROM read_parquet('" + lake + "/aggregates/"
            + DATASET + "_funding_by_country_category_year/**/*.parquet')"),
        equalTo(lakeQuery("SELECT sum(greatest(len(categories), 1)) FROM " + clean(lake)
            + " WHERE founded_on IS NOT NULL")));

    // The country columns are the bundled reference's, joined on the English name: the same as
    // DuckDB's own left join of the clean rows with the reference file.
    String joined = "SELECT uuid, country, country_code, country_name, country_region,"
        + " country_subregion FROM ";
    List<String> expected = lakeQuery("SELECT c.uuid, c.country, r.alpha2, r.name, r.region,"
        + " r.subregion FROM " + clean(lake) + " c LEFT JOIN read_csv('" + countriesFile()
        + "', header = true, all_varchar = true) r ON r.name = c.country ORDER BY c.uuid");
    assertThat(lakeQuery(joined + clean(lake) + " ORDER BY uuid"), equalTo(expected));
    assertThat(lakeQuery("SELECT count(*) FROM " + clean(lake) + " WHERE country_region IS NOT"
        + " NULL AND country_code IS NOT NULL").get(0), is(lakeQuery("SELECT count(*) FROM "
        + clean(lake) + " WHERE country IS NOT NULL AND country <> 'Hong Kong'").get(0)));
    assertThat(lakeQuery("SELECT DISTINCT country_name, country_code, country_region,"
        + " country_subregion FROM " + clean(lake) + " WHERE country = 'Germany'"),
        contains("Germany\tDE\tEurope\tWestern Europe"));
    assertThat(lakeQuery("SELECT coalesce(country_code, 'none') FROM " + clean(lake)
        + " WHERE uuid = '" + elsewhere + "'"), contains("none"));
    assertThat(summary(lake, "backfill").referenceMisses, equalTo(Map.of("countries", 1L)));
    // The aggregate by region groups by the joined columns: as DuckDB groups the clean rows.
    assertThat(lakeQuery("SELECT country_region, country_subregion, organizations,"
            + " total_funding_usd FROM read_parquet('" + lake + "/aggregates/" + DATASET
            + "_organizations_by_region/**/*.parquet') ORDER BY 1, 2"),
        equalTo(lakeQuery("SELECT country_region, country_subregion, count(*),"
            + " sum(funding_total_usd) FROM " + clean(lake) + " GROUP BY 1, 2 ORDER BY 1, 2")));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake + ".duckdb");
        Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      assertThat(SqlRows.query(c, joined + DATASET + " ORDER BY uuid"), equalTo(expected));
    }
  }

  /** The bundled country reference, as the build copied it to the classpath. */
  private static Path countriesFile() throws Exception {
    return Path.of(CrunchbaseRunsTest.class.getClassLoader()
        .getResource("specs/references/iso3166_countries.csv").toURI());
  }

  @Test
  void underTwentyPercentFaultsTheResultIsTheSameAsWithout() throws Exception {
    Path clean = tmp.resolve("clean");
    runOk(clean, List.of(), "backfill", "--from=2020-01-01", "--to=2020-06-01", "--pageSize=20");
    Path faulty = tmp.resolve("faulty");
    server.clearRequests();
    server.failRandomly(0.2, 3, FakeCrunchbaseServer.searches(),
        Fault.tooManyRequests(), Fault.serverError(), Fault.serviceUnavailable(),
        Fault.resetAfterHeaders(), Fault.truncatedBody(), Fault.malformedJson());
    runOk(faulty, List.of(), "backfill", "--from=2020-01-01", "--to=2020-06-01", "--pageSize=20",
        "--requestsPerMinute=100000");
    assertThat(server.requests(r -> r.fault() != null).size(), greaterThan(2));
    assertThat(lakeVersions(faulty), equalTo(lakeVersions(clean)));
    assertThat(lakeVersions(faulty), equalTo(serverVersions()));
  }

  @Test
  void theKeyIsSentInItsHeaderAndWrittenNowhere() throws Exception {
    Path lake = tmp.resolve("lake");
    runOk(lake, List.of(), "backfill", "--from=2020-01-01", "--to=2020-06-01", "--pageSize=50");
    List<RecordedRequest> searches = server.requests(FakeCrunchbaseServer.searches());
    assertThat(searches.stream().map(r -> r.header("X-cb-user-key")).distinct().toList(),
        contains(KEY));
    assertThat(searches.stream().filter(r -> r.rawQuery() != null && r.rawQuery().contains(KEY))
        .toList(), empty());
    ApiRunsTest.assertNoFileContains(tmp, KEY);
  }

  @Test
  void aQuietGapOfMonthsCostsAHandfulOfRequests() throws Exception {
    Path lake = tmp.resolve("lake");
    runOk(lake, List.of(), "backfill", "--from=2020-01-01", "--to=2020-06-01");
    server.setNow(Instant.parse("2022-06-01T00:00:00Z"));
    orgs.upsert(Map.of("uuid", orgs.all().get(3).get("uuid"), "name", "Two years later"));
    server.setNow(Instant.parse("2022-06-02T00:00:00Z"));
    server.clearRequests();
    runOk(lake, List.of(), "after-gap", "--mode=incremental");
    List<RecordedRequest> sent = server.requests(FakeCrunchbaseServer.searches());
    // The access check, one count of the whole gap, one page: not one request per day.
    assertThat(sent.toString(), sent.size(), lessThanOrEqualTo(6));
    assertThat(lakeVersions(lake), equalTo(serverVersions()));
  }
}
