package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.intake.pipeline.testing.Chromium;
import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.Lake;
import dev.intake.pipeline.testing.SqlRows;
import dev.intake.pipeline.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full loads through the real entry point on the DirectRunner, read back with DuckDB. */
class FullLoadTest {
  @TempDir Path tmp;

  private Cli load(Path lake, String input, String... extra) {
    String[] base = {
      "run", "--dataset=sf311", "--inputFile=" + input, "--lakePath=" + lake, "--runner=DirectRunner"
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return Cli.run(args);
  }

  @Test
  void realExportExcerptLoadsEveryRecordOnceAndReloadsIdentically() throws Exception {
    Lake lake = new Lake(tmp.resolve("lake"));
    Cli first = load(lake.root, TestData.file("export_2021-05_first1000.csv"), "--runId=first");
    assertThat(first.toString(), first.exitCode, is(0));

    RunSummary s = lake.summary("first");
    assertThat(s.status, is("succeeded"));
    assertThat(List.of(s.read, s.written, s.superseded, s.rejected), contains(1000L, 1000L, 0L, 0L));
    assertThat(s.outputs.get("clean"), is(1000L));
    assertThat(s.ignoredColumns.values().iterator().next(), hasSize(28));
    assertThat(s.missingColumns.values().iterator().next(), contains("Analysis Neighborhood"));

    List<String> keys =
        lake.query("SELECT service_request_id FROM " + lake.clean() + " ORDER BY 1");
    assertThat(keys, equalTo(TestData.expected("export_2021-05_first1000.keys.txt")));
    assertThat(
        lake.query("SELECT typeof(service_request_id), typeof(requested_datetime) FROM "
            + lake.clean() + " LIMIT 1"),
        contains("BIGINT\tTIMESTAMP WITH TIME ZONE"));
    // 52 records of the excerpt have no location (written as 0); none is stored as 0.
    assertThat(lake.count("SELECT count(*) FROM " + lake.clean() + " WHERE lat IS NULL"), is(52L));
    assertThat(lake.count("SELECT count(*) FROM " + lake.clean() + " WHERE lat = 0 OR long = 0"), is(0L));
    // The first record of the file, as written there: 03/19/2019 04:44:32 PM local (PDT, UTC-7).
    assertThat(
        lake.query("SELECT " + utc("requested_datetime") + ", " + utc("updated_datetime")
            + ", status_description, lat, requested_month"
            + " FROM " + lake.clean() + " WHERE service_request_id = 10622276"),
        contains("2019-03-19T23:44:32Z\t2020-08-28T08:31:06Z\tOpen\t37.76156\t2019-03"));
    // Every row lives in the partition of its requested month, in San Francisco time.
    assertThat(
        lake.count("SELECT count(*) FROM " + lake.clean() + " WHERE requested_month <> "
            + "strftime(timezone('America/Los_Angeles', requested_datetime), '%Y-%m')"),
        is(0L));
    assertThat(lake.files(), everyItem(not(startsWith("_staging"))));
    assertThat(lake.files(), not(empty()));
    assertAggregatesMatchCleanRows(lake);
    // The export's channels, counted in the file: every case in its channel's column, none other.
    assertThat(
        lake.query("SELECT sum(cases_phone), sum(cases_web), sum(cases_mobile_open311),"
            + " sum(cases_integrated_agency), sum(cases_other_department), sum(cases_email),"
            + " sum(cases_twitter), sum(cases_other), sum(cases_null) FROM "
            + lake.aggregate("monthly_by_source")),
        contains("263\t142\t574\t18\t1\t0\t2\t0\t0"));
    assertThat(
        warehouse(lake, "SELECT " + MONTHLY_BY_SOURCE_COLUMNS
            + " FROM sf311_monthly_by_source ORDER BY ALL"),
        equalTo(monthlyBySourceOfCleanRows(lake)));

    // The spec's calculated columns, as DuckDB computes them from the same rows; 33 cases of the
    // file are open, 134 were opened between 1 and 2 PM.
    assertThat(lake.count("SELECT count(*) FROM " + lake.clean() + " WHERE is_open IS DISTINCT FROM"
        + " (status_description = 'Open' AND closed_date IS NULL) OR opened_hour IS DISTINCT FROM"
        + " hour(timezone('America/Los_Angeles', requested_datetime)) OR source_channel IS DISTINCT"
        + " FROM lower(trim(regexp_replace(source, '\\s+', ' ', 'g')))"), is(0L));
    assertThat(lake.query("SELECT count(*) FILTER (WHERE is_open), count(*) FILTER"
            + " (WHERE opened_hour = 13), string_agg(DISTINCT source_channel, ',' ORDER BY"
            + " source_channel) FROM " + lake.clean()),
        contains("33\t134\tintegrated agency,mobile/open311,other department,phone,twitter,web"));

    List<String> rowsBefore = lake.query("SELECT * FROM " + lake.clean() + " ORDER BY service_request_id");
    List<String> aggregatesBefore = lake.query("SELECT * FROM " + lake.aggregates() + " ORDER BY ALL");
    List<String> filesBefore = lake.files();

    Cli second = load(lake.root, TestData.file("export_2021-05_first1000.csv"), "--runId=second");
    assertThat(second.toString(), second.exitCode, is(0));
    assertThat(lake.query("SELECT * FROM " + lake.clean() + " ORDER BY service_request_id"), equalTo(rowsBefore));
    assertThat(lake.query("SELECT * FROM " + lake.aggregates() + " ORDER BY ALL"), equalTo(aggregatesBefore));
    List<String> filesAfter = lake.files();
    filesBefore = filesBefore.stream().filter(f -> !f.startsWith("runs/")).toList();
    assertThat(filesAfter.stream().filter(f -> !f.startsWith("runs/")).toList(), equalTo(filesBefore));
    assertThat(filesAfter.stream().filter(f -> f.startsWith("runs/")).toList(),
        contains("runs/index.html", "runs/sf311/first.html", "runs/sf311/first.json",
            "runs/sf311/index.html", "runs/sf311/index.jsonl", "runs/sf311/second.html",
            "runs/sf311/second.json"));
    RunSummary s2 = lake.summary("second");
    assertThat(List.of(s2.read, s2.written, s2.replacedStored, s2.carriedOver),
        contains(1000L, 1000L, 1000L, 0L));
  }

  @Test
  void everyBadRecordBecomesADeadLetterWithItsReasonAndPosition() throws Exception {
    Lake lake = new Lake(tmp.resolve("lake"));
    Cli run = load(lake.root, TestData.file("rules_export.csv"), "--runId=rules", "--maxRejectedRatio=1");
    assertThat(run.toString(), run.exitCode, is(0));

    RunSummary s = lake.summary("rules");
    assertThat(List.of(s.read, s.parsed, s.written, s.superseded, s.rejected),
        contains(13L, 9L, 4L, 2L, 7L));
    assertThat(s.rejectedByReason, equalTo(Map.of(
        "parse/malformed:csv", 2L,
        "parse/type:requested_datetime", 1L,
        "parse/type:supervisor_district", 1L,
        "validate/required:service_request_id", 1L,
        "validate/range:lat", 1L,
        "validate/order:closed_date;enum:status_description", 1L)));
    assertThat(s.ignoredColumns.values().iterator().next(), contains("Extra Column"));

    assertThat(
        lake.query("SELECT line, stage, reason_code FROM " + lake.deadLetters() + " ORDER BY line"),
        equalTo(TestData.expected("rules_export.deadletters.tsv")));
    assertThat(
        lake.query("SELECT DISTINCT run_id, dataset, run FROM " + lake.deadLetters()),
        contains("rules\tsf311\trules"));
    assertThat(lake.query("SELECT source FROM " + lake.deadLetters()),
        everyItem(endsWith("testdata/sf311/rules_export.csv")));
    assertThat(
        lake.query("SELECT reason FROM " + lake.deadLetters() + " ORDER BY line"),
        contains(
            "requested_datetime: '13/45/2021 10:00:00 AM' is not a timestamp (expected MM/dd/yyyy hh:mm:ss a)",
            "service_request_id is missing",
            "lat 95.0 is outside [37.6, 37.9]",
            "closed_date 2021-01-01T16:00:00.000Z is before requested_datetime 2021-01-06T16:00:00.000Z; "
                + "status_description 'Pending' is not one of [Open, Closed]",
            "malformed CSV: unexpected character 'x' after a closing quote at character 67",
            "malformed CSV: 5 fields where the header has 20",
            "supervisor_district: 'abc' is not a whole number"));
    assertThat(
        lake.query("SELECT raw_text FROM " + lake.deadLetters() + " WHERE line = 12"),
        contains("01/07/2021 09:00:00 AM,108,01/07/2021 08:00:00 AM,,Open"));

    assertThat(
        lake.query("SELECT service_request_id, status_description, replace(status_notes, chr(10), '\\n'),"
            + " lat, long, strftime(updated_datetime, '%Y-%m-%dT%H:%M:%SZ'), hours_to_close FROM "
            + lake.clean() + " ORDER BY 1"),
        equalTo(TestData.expected("rules_export.clean.tsv")));
    assertAggregatesMatchCleanRows(lake);
  }

  /**
   * The rules export with a script in the raw text of its short record (line 12, still 5 fields):
   * a dead letter whose text is hostile to the report page.
   */
  private Path hostileRulesExport() throws Exception {
    String csv = Files.readString(Path.of(TestData.file("rules_export.csv")));
    String hostile = csv.replace("01/07/2021 09:00:00 AM,108,01/07/2021 08:00:00 AM,,Open\n",
        "01/07/2021 09:00:00 AM,108," + HOSTILE + ",,Open\n");
    assertThat(hostile, not(equalTo(csv)));
    Path file = tmp.resolve("rules_export.csv");
    Files.writeString(file, hostile);
    return file;
  }

  private static final String HOSTILE =
      "<script>document.body.dataset.pwned='yes'</script>";

  @Test
  void tooManyRejectedRecordsRefuseTheRunButKeepItsDeadLettersAndTheReportSaysWhy()
      throws Exception {
    Lake lake = new Lake(tmp.resolve("lake"));
    String input = hostileRulesExport().toString();
    Cli run = load(lake.root, input, "--runId=refused");
    assertThat(run.toString(), run.exitCode, is(1));
    assertThat(run.errorLines().get(run.errorLines().size() - 1),
        startsWith("intake: run failed: 53.8% of records were rejected, more than --maxRejectedRatio=0.05"));
    assertThat(Files.exists(lake.root.resolve("clean")), is(false));
    assertThat(Files.exists(lake.root.resolve("aggregates")), is(false));
    assertThat(lake.count("SELECT count(*) FROM " + lake.deadLetters()), is(7L));
    RunSummary refused = lake.summary("refused");
    assertThat(refused.status, is("refused"));
    assertThat(lake.files(), everyItem(not(startsWith("_staging"))));

    Cli accepted = load(lake.root, input, "--runId=accepted", "--maxRejectedRatio=1");
    assertThat(accepted.toString(), accepted.exitCode, is(0));
    RunSummary committed = lake.summary("accepted");

    Path runs = lake.root.resolve("runs/sf311");
    Chromium chromium = new Chromium(tmp.resolve("chromium"));
    Path screenshots = Path.of("target", "report-screenshots");
    Chromium.Dom refusedPage = chromium.dumpDom(runs.resolve("refused.html"));
    chromium.screenshot(runs.resolve("refused.html"), screenshots.resolve("refused-run.png"));
    assertThat(refusedPage.text("status"), is("refused"));
    assertThat(refusedPage.text("error"), is(refused.error));
    assertThat(refusedPage.text("error"), startsWith("53.8% of records were rejected"));
    assertReportShows(refusedPage, refused);

    Chromium.Dom committedPage = chromium.dumpDom(runs.resolve("accepted.html"));
    chromium.screenshot(runs.resolve("accepted.html"), screenshots.resolve("committed-run.png"));
    assertThat(committedPage.text("status"), is("succeeded"));
    assertThat(committedPage.html.contains("id=\"error\""), is(false));
    assertReportShows(committedPage, committed);
    assertThat(committedPage.text("partitions-count"),
        is(String.valueOf(committed.partitions.size())));

    Chromium.Dom index = chromium.dumpDom(runs.resolve("index.html"));
    chromium.screenshot(runs.resolve("index.html"), screenshots.resolve("index.png"));
    List<List<String>> rows = index.rows("run");
    assertThat(rows.stream().map(r -> r.subList(0, 2)).toList(),
        contains(List.of("accepted", "succeeded"), List.of("refused", "refused")));
    assertThat(rows.get(0).subList(4, 8), contains(
        String.valueOf(committed.read), String.valueOf(committed.written),
        String.valueOf(committed.rejected), committed.watermark));
    assertThat(rows.get(1).get(8), is(refused.error));
    assertThat(index.links(), contains("../index.html", "accepted.html", "refused.html"));
    for (String link : index.links()) {
      assertThat(link, Files.isRegularFile(runs.resolve(link)), is(true));
    }
    assertThat(chromium.dumpDom(lake.root.resolve("runs/index.html")).rows("dataset"),
        contains(List.of("sf311", "2")));
  }

  /** The page's figures are the summary's, the hostile dead letter shows as text and runs not. */
  private static void assertReportShows(Chromium.Dom page, RunSummary s) {
    assertThat(page.html.contains("data-pwned=\""), is(false));
    assertThat(List.of(page.text("count-read"), page.text("count-written"),
            page.text("count-superseded"), page.text("count-rejected")),
        contains(String.valueOf(s.read), String.valueOf(s.written), String.valueOf(s.superseded),
            String.valueOf(s.rejected)));
    assertThat(page.text("reconciliation"), endsWith("✓ reconciles"));
    Map<String, Long> shown = new java.util.LinkedHashMap<>();
    page.rows("reject").forEach(r -> shown.put(r.get(0), Long.parseLong(r.get(1))));
    assertThat(shown, equalTo(s.rejectedByReason));
    assertThat(page.text(), containsString("malformed CSV: 5 fields where the header has 20 ("));
    assertThat(page.text(), containsString(
        "rules_export.csv, line 12)01/07/2021 09:00:00 AM,108," + HOSTILE + ",,Open"));
    assertThat(page.text("watermark-after"), is(s.status.equals("succeeded") ? s.watermark
        : "unchanged: the run did not commit (the newest version it read: " + s.watermark + ")"));
  }

  @Test
  void jsonLinesFromTheApiLoadOnEmbeddedFlink() throws Exception {
    Lake lake = new Lake(tmp.resolve("lake"));
    Cli run = Cli.run("run", "--dataset=sf311", "--inputFile=" + TestData.file("api_2021-07_first50.jsonl"),
        "--lakePath=" + lake.root, "--runId=api");
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, containsString("FlinkRunner (embedded"));
    assertThat(lake.query("SELECT service_request_id FROM " + lake.clean() + " ORDER BY 1"),
        equalTo(TestData.expected("api_2021-07_first50.keys.txt")));
    assertThat(
        lake.query("SELECT " + utc("requested_datetime") + ", " + utc("closed_date") + ", lat FROM "
            + lake.clean() + " WHERE service_request_id = 14011783"),
        contains("2021-07-02T18:52:00Z\t2021-07-10T16:18:00Z\t37.7318411"));
    assertAggregatesMatchCleanRows(lake);
  }

  /** Rows of a query of the run's default warehouse, the DuckDB file beside the lake. */
  private static List<String> warehouse(Lake lake, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake.root + ".duckdb")) {
      return SqlRows.query(c, sql);
    }
  }

  private static String utc(String column) {
    return "strftime(" + column + ", '%Y-%m-%dT%H:%M:%SZ')";
  }

  /** Recomputes the daily aggregate from the clean rows with DuckDB and compares. */
  static void assertAggregatesMatchCleanRows(Lake lake) throws Exception {
    String recomputed =
        "SELECT CAST(timezone('America/Los_Angeles', requested_datetime) AS DATE) AS day,"
            + " service_name, analysis_neighborhood, count(*) AS opened, count(closed_date) AS closed,"
            + " round(quantile_cont(hours_to_close, 0.5), 6) AS m,"
            + " round(quantile_cont(hours_to_close, 0.9), 6) AS p90"
            + " FROM " + lake.clean() + " GROUP BY ALL";
    String stored =
        "SELECT day, service_name, analysis_neighborhood, opened, closed,"
            + " round(median_hours_to_close, 6), round(p90_hours_to_close, 6) FROM " + lake.aggregates();
    assertThat(lake.query("(" + recomputed + ") EXCEPT (" + stored + ")"), empty());
    assertThat(lake.query("(" + stored + ") EXCEPT (" + recomputed + ")"), empty());
    assertThat(lake.count("SELECT count(*) FROM (" + stored + ")") > 0, is(true));
    assertThat(
        lake.query("SELECT " + MONTHLY_BY_SOURCE_COLUMNS + " FROM "
            + lake.aggregate("monthly_by_source") + " ORDER BY ALL"),
        equalTo(monthlyBySourceOfCleanRows(lake)));
  }

  /** The columns of the pivoted aggregate monthly_by_source. */
  static final String MONTHLY_BY_SOURCE_COLUMNS = "month, analysis_neighborhood, cases_phone,"
      + " cases_web, cases_mobile_open311, cases_integrated_agency, cases_other_department,"
      + " cases_email, cases_twitter, cases_other, cases_null";

  /**
   * The pivoted monthly aggregate recomputed by DuckDB from the lake's clean rows: cases per San
   * Francisco month and neighborhood, one count per source channel, other channels and no source.
   */
  static List<String> monthlyBySourceOfCleanRows(Lake lake) throws Exception {
    return lake.query("SELECT CAST(date_trunc('month', timezone('America/Los_Angeles',"
        + " requested_datetime)) AS DATE) AS month, analysis_neighborhood,"
        + " count(*) FILTER (WHERE source = 'Phone'),"
        + " count(*) FILTER (WHERE source = 'Web'),"
        + " count(*) FILTER (WHERE source = 'Mobile/Open311'),"
        + " count(*) FILTER (WHERE source = 'Integrated Agency'),"
        + " count(*) FILTER (WHERE source = 'Other Department'),"
        + " count(*) FILTER (WHERE source = 'Email'),"
        + " count(*) FILTER (WHERE source = 'Twitter'),"
        + " count(*) FILTER (WHERE source NOT IN ('Phone', 'Web', 'Mobile/Open311',"
        + " 'Integrated Agency', 'Other Department', 'Email', 'Twitter')),"
        + " count(*) FILTER (WHERE source IS NULL)"
        + " FROM " + lake.clean() + " GROUP BY ALL ORDER BY ALL");
  }
}
