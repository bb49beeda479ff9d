package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.Lake;
import dev.intake.pipeline.testing.TestData;
import dev.intake.pipeline.testing.Warehouses;
import dev.intake.testdata.socrata.FakeSocrataServer;
import dev.intake.testdata.socrata.SocrataDataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Schema evolution end to end, on each warehouse: sf311 is loaded from the export under an older
 * spec (without data_as_of and data_loaded_at, supervisor_district an int), then, without a
 * rebuild, from the Socrata test server under an evolved spec (the two API fields added,
 * supervisor_district widened to long, street renamed to street_name, status_notes retired, a
 * derived column and a measure added). Old rows have nulls, new rows have values, the lake and the
 * warehouse agree, and both record the schema versions. On DuckDB, refused changes stop before
 * anything is written, and --recomputeAll back-fills the added columns in every partition.
 */
class SchemaEvolutionRunsTest {
  private static final String DATA_AS_OF = "2021-07-13T03:00:17.000";
  private static final String DATA_LOADED_AT = "2021-07-13T03:05:41.000";
  /** The export's partitions: the API's rows of July 2021 touch none of them. */
  private static final List<String> OLD_PARTITIONS = Stream.of("2012-06", "2015-12", "2017-05",
      "2017-06", "2017-08", "2017-12", "2018-12", "2019-01", "2019-02", "2019-03", "2019-04",
      "2019-05", "2019-07", "2019-08", "2019-09", "2019-10", "2019-11", "2019-12", "2020-01",
      "2020-02", "2020-03", "2020-04", "2020-06", "2020-07", "2020-08", "2020-09", "2020-12",
      "2021-04").map(m -> "requested_month=" + m).toList();

  @TempDir Path tmp;
  private FakeSocrataServer socrata;
  private Warehouses db;

  @BeforeEach
  void startServer() throws Exception {
    socrata = new FakeSocrataServer().start();
    SocrataDataset sf311 = socrata.addDataset("vw6y-z8j6");
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(Path.of(TestData.file("api_2021-07_first50.jsonl")));
    socrata.setNow(Instant.parse("2021-07-12T00:00:00Z"));
    for (String line : lines) {
      @SuppressWarnings("unchecked")
      Map<String, Object> row = json.readValue(line, LinkedHashMap.class);
      row.put("data_as_of", DATA_AS_OF);
      row.put("data_loaded_at", DATA_LOADED_AT);
      sf311.upsert(row);
    }
    socrata.setNow(Instant.parse("2021-07-14T00:00:00Z"));
  }

  @AfterEach
  void stop() throws Exception {
    socrata.close();
    if (db != null) {
      db.dropSchema();
    }
  }

  /** The query of README's "Changing a dataset", verbatim: its comment line to its semicolon. */
  static String readmeQuery() throws IOException {
    String readme = Files.readString(TestData.SF311.getParent().getParent().resolve("README.md"));
    int start = readme.indexOf("-- data_as_of and data_loaded_at are NULL");
    return readme.substring(start, readme.indexOf(";", start) + 1);
  }

  static String bundledSpec() throws IOException {
    try (InputStream in =
        SchemaEvolutionRunsTest.class.getClassLoader().getResourceAsStream("specs/sf311.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String replace(String text, String from, String to) {
    if (!text.contains(from)) {
      throw new IllegalArgumentException("the spec has no '" + from + "'");
    }
    return text.replace(from, to);
  }

  /** The spec before the change: the bundled one without the two fields, district an int. */
  static String olderSpec() throws IOException {
    String s = replace(bundledSpec(), "  - {name: data_as_of, type: timestamp}\n", "");
    s = replace(s, "  - {name: data_loaded_at, type: timestamp}\n", "");
    return replace(s, "{name: supervisor_district, type: long,",
        "{name: supervisor_district, type: int,");
  }

  /** The bundled spec plus a rename, a retired field, a derived column and a measure. */
  static String evolvedSpec() throws IOException {
    String s = replace(bundledSpec(), "  - {name: street, type: string}",
        "  - {name: street_name, type: string, renamedFrom: street}");
    s = replace(s, "      Street: street\n", "      Street: street_name\n");
    s = replace(s, "      \":updated_at\": socrata_updated_at\n",
        "      \":updated_at\": socrata_updated_at\n      street: street_name\n");
    s = replace(s, "  - {name: status_notes, type: string}",
        "  - {name: status_notes, type: string, retired: true}");
    s = replace(s, "args: [requested_datetime, closed_date]}\n",
        "args: [requested_datetime, closed_date]}\n  - {name: hours_to_update, function:"
            + " hours_between, args: [requested_datetime, updated_datetime]}\n");
    return replace(s, "q: 0.9}\n",
        "q: 0.9}\n      - {name: total_hours_to_close, fn: sum, field: hours_to_close}\n");
  }

  private Path write(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private Cli run(Lake lake, Path spec, String runId, String... more) {
    List<String> args = new ArrayList<>(List.of("run", "--dataset=" + spec,
        "--lakePath=" + lake.root, "--runId=" + runId));
    args.addAll(db.options());
    args.addAll(List.of(more));
    return Cli.run(args.toArray(new String[0]));
  }

  private static final String LAKE_COLUMNS = "service_request_id, %s, %s, supervisor_district,"
      + " coalesce(street_name, street), status_notes";

  /** The evolved columns of every row, from the lake read across old and new partitions. */
  private List<String> lakeRows(Lake lake) throws Exception {
    return lake.query("SELECT " + String.format(LAKE_COLUMNS,
        "strftime(data_as_of, '%Y-%m-%dT%H:%M:%SZ')",
        "strftime(data_loaded_at, '%Y-%m-%dT%H:%M:%SZ')") + " FROM read_parquet('" + lake.root
        + "/clean/sf311/*/*.parquet', hive_partitioning = true, union_by_name = true) ORDER BY 1");
  }

  private List<String> warehouseRows() throws Exception {
    return db.query("SELECT service_request_id, " + db.iso("data_as_of") + ", "
        + db.iso("data_loaded_at") + ", supervisor_district, street_name, status_notes FROM "
        + db.table("sf311") + " ORDER BY 1");
  }

  @ParameterizedTest
  @EnumSource(Warehouses.Kind.class)
  void anEvolvedSpecAddsTheApiFieldsToAnExistingLakeAndWarehouseWithoutARebuild(
      Warehouses.Kind kind) throws Exception {
    Lake lake = new Lake(tmp.resolve("lake"));
    db = new Warehouses(kind, lake.root);
    Path older = write("sf311-v1.yaml", olderSpec());
    Cli first =
        run(lake, older, "v1", "--inputFile=" + TestData.file("export_2021-05_first1000.csv"));
    assertThat(first.toString(), first.exitCode, is(0));
    RunSummary s1 = lake.summary("v1");
    assertThat(s1.schemaVersion, is(1));
    assertThat(s1.schemaChanges, empty());
    // Source drift is counted: the May 2021 export has no Analysis Neighborhood column.
    assertThat(s1.missingColumnCount, is(1));
    // Before the change: the evolved columns, as the older schema holds them (no API fields yet).
    List<String> before = lake.query("SELECT " + String.format(LAKE_COLUMNS, "NULL", "NULL")
        .replace("coalesce(street_name, street)", "street") + " FROM " + lake.clean()
        + " ORDER BY 1");
    assertThat(before.size(), is(1000));
    assertThat(db.query("SELECT service_request_id, NULL, NULL, supervisor_district, street,"
        + " status_notes FROM " + db.table("sf311") + " ORDER BY 1"), equalTo(before));
    if (kind == Warehouses.Kind.DUCKDB) {
      RefusedSchemaChanges.assertEachIsRefusedAndChangesNothing(tmp, lake, db, older);
    }

    Path evolved = write("sf311-v2.yaml", evolvedSpec());
    Cli second = run(lake, evolved, "v2", "--apiBaseUrl=" + socrata.baseUrl(),
        "--from=2021-07-01", "--to=2021-07-14", "--window=P14D");
    assertThat(second.toString(), second.exitCode, is(0));
    RunSummary s2 = lake.summary("v2");
    assertThat(s2.schemaVersion, is(2));
    assertThat(s2.schemaChanges, contains(
        "renamed field street to street_name",
        "widened field supervisor_district from int to long",
        "added field data_as_of (timestamp)",
        "added field data_loaded_at (timestamp)",
        "retired field status_notes (null from now on)",
        "added derived column hours_to_update (double)",
        "added measure daily.total_hours_to_close (double)"));
    assertThat(s2.backfillPending, equalTo(Map.of(
        "sf311.hours_to_update", OLD_PARTITIONS,
        "sf311_daily.total_hours_to_close", OLD_PARTITIONS)));
    // 70 stored rows share partitions with the API's rows: rewritten, with hours_to_update.
    assertThat(List.of(s2.read, s2.written, s2.carriedOver), contains(50L, 50L, 70L));
    assertThat(second.out, containsString("  schema: version 2 (" + s2.schemaFingerprint
        + "): renamed field street to street_name; widened field supervisor_district from int to"
        + " long; added field data_as_of (timestamp); "));
    assertThat(second.out, containsString("  back-fill pending: sf311.hours_to_update in 28"
        + " partition(s) (--recomputeAll rewrites them)\n"));

    List<String> after = lakeRows(lake);
    assertThat(after.size(), is(1050));
    List<String> keys = new ArrayList<>(TestData.expected("export_2021-05_first1000.keys.txt"));
    keys.addAll(TestData.expected("api_2021-07_first50.keys.txt"));
    keys.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    assertThat(after.stream().map(r -> r.split("\t")[0]).toList(), equalTo(keys));
    List<String> oldRows = new ArrayList<>();
    List<String> newRows = new ArrayList<>();
    for (String r : after) {
      (r.split("\t", -1)[1].isEmpty() ? oldRows : newRows).add(r);
    }
    // The stored rows are unchanged (both new fields null); the API's rows have their values.
    assertThat(oldRows, equalTo(before));
    assertThat(newRows.size(), is(50));
    String oldKey = oldRows.get(0).split("\t")[0];
    assertThat(lake.query("SELECT " + String.format(LAKE_COLUMNS,
            "strftime(data_as_of, '%Y-%m-%dT%H:%M:%SZ')",
            "strftime(data_loaded_at, '%Y-%m-%dT%H:%M:%SZ')") + " FROM read_parquet('" + lake.root
            + "/clean/sf311/*/*.parquet', union_by_name = true) WHERE service_request_id IN"
            + " (14011783, " + oldKey + ") ORDER BY 1"),
        contains(oldRows.get(0),
            "14011783\t2021-07-13T10:00:17Z\t2021-07-13T10:05:41Z\t8\tROTTECK ST\t"));
    // The README's query, as a reader runs it over old and new partitions.
    List<String> readme = lake.query(readmeQuery().replace("'lake/", "'" + lake.root + "/"));
    assertThat(readme.size(), is(1050));
    List<String> withDataAsOf = new ArrayList<>();
    for (String r : readme) {
      String[] c = r.split("\t", -1);
      if (!c[2].isEmpty()) {
        assertThat(r, c[3].isEmpty(), is(false));
        withDataAsOf.add(c[0]);
      }
    }
    withDataAsOf.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    assertThat(withDataAsOf, equalTo(TestData.expected("api_2021-07_first50.keys.txt")));
    assertThat(warehouseRows(), equalTo(after));
    assertThat(db.query("SELECT count(*), count(data_as_of), count(data_loaded_at),"
        + " count(hours_to_update) FROM " + db.table("sf311")), contains("1050\t50\t50\t120"));
    assertThat(lake.query("SELECT count(hours_to_update) FROM read_parquet('" + lake.root
        + "/clean/sf311/*/*.parquet', union_by_name = true)"), contains("120"));
    assertThat(db.query("SELECT data_type FROM information_schema.columns WHERE table_schema = '"
        + db.schema + "' AND table_name = 'sf311' AND column_name = 'supervisor_district'"),
        contains(kind == Warehouses.Kind.POSTGRES ? "bigint" : "BIGINT"));
    assertThat(db.query("SELECT version, fingerprint FROM " + db.raw("intake_schemas")
        + " WHERE dataset = 'sf311' ORDER BY 1"),
        contains("1\t" + s1.schemaFingerprint, "2\t" + s2.schemaFingerprint));
    JsonNode lakeRecord = new ObjectMapper().readTree(
        lake.root.resolve("schemas/sf311/v0002.json").toFile());
    assertThat(lakeRecord.get("fingerprint").asText(), is(s2.schemaFingerprint));
    assertThat(lakeRecord.get("schema").get("fields").get("data_as_of").asText(), is("timestamp"));
    assertThat(Files.exists(lake.root.resolve("schemas/sf311/v0001.json")), is(true));
    assertAggregatesAgree(lake);

    if (kind == Warehouses.Kind.DUCKDB) {
      Cli third = run(lake, evolved, "all", "--apiBaseUrl=" + socrata.baseUrl(),
          "--from=2021-07-01", "--to=2021-07-14", "--window=P14D", "--recomputeAll");
      assertThat(third.toString(), third.exitCode, is(0));
      RunSummary s3 = lake.summary("all");
      assertThat(s3.schemaVersion, is(2));
      assertThat(s3.backfillPending, equalTo(Map.of()));
      assertThat(lake.query("SELECT count(*), count(hours_to_update), count(data_as_of) FROM "
          + lake.clean()), contains("1050\t1050\t50"));
      assertThat(db.query("SELECT count(*), count(hours_to_update) FROM " + db.table("sf311")),
          contains("1050\t1050"));
      assertThat(lake.count("SELECT count(*) FROM " + lake.aggregates()
          + " WHERE median_hours_to_close IS NOT NULL AND total_hours_to_close IS NULL"), is(0L));
      assertAggregatesAgree(lake);
    }
  }

  /** The daily aggregate holds the same rows in the lake and in the warehouse. */
  private void assertAggregatesAgree(Lake lake) throws Exception {
    String columns = "CAST(day AS VARCHAR), service_name, analysis_neighborhood, opened, closed,"
        + " CAST(floor(total_hours_to_close * 1000) AS BIGINT)";
    // Sorted here: the databases' collations order text differently.
    List<String> inLake = new ArrayList<>(lake.query("SELECT " + columns + " FROM read_parquet('"
        + lake.root + "/aggregates/sf311_daily/*/*.parquet', union_by_name = true)"));
    List<String> inWarehouse =
        new ArrayList<>(db.query("SELECT " + columns + " FROM " + db.table("sf311_daily")));
    inLake.sort(null);
    inWarehouse.sort(null);
    assertThat(inWarehouse, equalTo(inLake));
  }
}
