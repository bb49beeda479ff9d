package dev.intake.pipeline.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.pipeline.report.DeadLetterSamples.Sample;
import dev.intake.pipeline.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report renderer on hand-written summaries: every optional section (the fields of the run
 * profile and quality gates), hostile strings from data, summaries of older versions; opened in
 * headless Chromium.
 */
class RunReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOSTILE =
      "<script>document.body.setAttribute('data-pwned','script')</script>"
          + "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">\"'&amp;";

  /** A refused run with every section the report knows, values from data made hostile. */
  static final String SUMMARY = """
      {"runId": "r-2021-07-13", "dataset": "sf311", "mode": "incremental",
       "input": "api windows [2021-07-12T00:00:00Z, 2021-07-13T10:00:00Z) <b>bold</b>",
       "runner": "DirectRunner", "status": "refused",
       "error": "gate null_share(lat) breached: 0.25 > 0.1 <script>alert(1)</script>",
       "startedAt": "2021-07-13T10:00:00Z", "finishedAt": "2021-07-13T10:00:14Z",
       "durationSeconds": 14.0, "warehouse": "jdbc:duckdb:/tmp/lake.duckdb",
       "watermarkBefore": "2021-07-12T09:58:00Z", "watermark": "2021-07-13T09:59:00Z",
       "read": 1234, "parsed": 1230, "written": 1200, "superseded": 20, "rejected": 14,
       "rejectedByReason": {"parse/malformed:csv": 4, "validate/range:lat": 10},
       "deletions": 0, "deleted": 0, "tombstoned": 0, "reconciled": 0,
       "replacedStored": 7, "carriedOver": 3,
       "outputs": {"clean": 1203, "deadletter": 14},
       "partitions": ["requested_month=2021-06", "requested_month=2021-07"],
       "warnings": ["input file x.csv had <i>no</i> records"],
       "missingColumns": {"x.csv": ["Analysis Neighborhood"]},
       "schemaVersion": 2, "schemaFingerprint": "abc123",
       "schemaChanges": ["added field data_as_of (timestamp)"],
       "stageSeconds": {"plan": 1.2, "pipeline": 10.3, "check": 0.4, "commit": 2.1},
       "freshness": {"newest": "2021-07-13T09:59:00Z", "ageSeconds": 12345},
       "rowsPerDay": {"2021-07-12": 700, "2021-07-11": 30, "2021-07-13": 470},
       "columns": [
         {"name": "lat", "rows": 1200, "nulls": 300, "nullShare": 0.25, "distinct": 900,
          "distinctApprox": true},
         {"name": "service_name<svg onload=alert(1)>", "rows": 1200, "nulls": 0,
          "nullShare": 0.0, "distinct": 12, "distinctApprox": false}],
       "gates": [
         {"name": "lat mostly present", "kind": "nullShare", "column": "lat", "bound": 0.1,
          "figure": 0.25, "action": "fail", "breached": true,
          "detail": "25.0% of lat is null, more than 10.0%"},
         {"name": "row count", "kind": "rowCountDrop", "bound": 0.5, "figure": 0.02,
          "action": "warn", "breached": false, "detail": "2% below the median of 5 runs"}]}
      """;

  static final Map<String, List<Sample>> SAMPLES = Map.of(
      "validate/range:lat", List.of(new Sample("lat 95.0 is outside [37.6, 37.9]", HOSTILE,
          "/data/x.csv", 12)),
      "parse/malformed:csv", List.of(new Sample("malformed CSV: 5 fields where the header has 20",
          "a,b,c,d,e", "/data/x.csv", 3)));

  @TempDir Path tmp;

  @Test
  void everyValueIsEscaped() {
    String page = RunReport.render(tree(SUMMARY), SAMPLES);
    assertThat(page, not(containsString("<script")));
    assertThat(page, not(containsString("<img")));
    assertThat(page, not(containsString("<b>")));
    assertThat(page, not(containsString("<svg onload")));
    assertThat(page, containsString("&lt;script&gt;document.body.setAttribute(&#39;data-pwned"));
    assertThat(Html.esc("<a href=\"x\" title='y'>&</a>"),
        is("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"));
  }

  @Test
  void chromiumShowsEverySectionsFiguresAndRunsNoScriptFromData() throws Exception {
    Path page = tmp.resolve("r-2021-07-13.html");
    Files.writeString(page, RunReport.render(tree(SUMMARY), SAMPLES));
    Chromium chromium = new Chromium(tmp.resolve("chromium"));
    Chromium.Dom dom = chromium.dumpDom(page);
    chromium.screenshot(page, Path.of("target", "report-screenshots", "unit-report.png"));

    assertThat("a script from data ran", dom.html.contains("<body>"), is(true));
    assertThat("a script from data ran", dom.html.contains("data-pwned=\""), is(false));
    assertThat(dom.text("status"), is("refused"));
    assertThat(dom.text("error"),
        is("gate null_share(lat) breached: 0.25 > 0.1 <script>alert(1)</script>"));
    assertThat(dom.text("input"),
        is("api windows [2021-07-12T00:00:00Z, 2021-07-13T10:00:00Z) <b>bold</b>"));
    assertThat(List.of(dom.text("count-read"), dom.text("count-written"),
            dom.text("count-superseded"), dom.text("count-rejected")),
        contains("1,234", "1,200", "20", "14"));
    assertThat(dom.text("reconciliation"),
        is("read 1,234 = written 1,200 + superseded 20 + rejected 14 ✓ reconciles"));
    assertThat(dom.text("watermark-before"), is("2021-07-12T09:58:00Z"));
    assertThat(dom.text("watermark-after"), is("unchanged: the run did not commit (the newest"
        + " version it read: 2021-07-13T09:59:00Z)"));
    assertThat(dom.text("duration"), is("14.0 s"));
    assertThat(dom.rows("reject"), contains(
        List.of("parse/malformed:csv", "4", ""), List.of("validate/range:lat", "10", "")));
    assertThat(dom.text(), containsString(HOSTILE));
    assertThat(dom.text(), containsString("lat 95.0 is outside [37.6, 37.9] (/data/x.csv, line 12)"));

    assertThat(svgTitles(dom.html, "stage-chart"),
        contains("plan: 1.2 s", "pipeline: 10.3 s", "check: 0.4 s", "commit: 2.1 s"));
    assertThat(svgTitles(dom.html, "rows-per-day"),
        contains("2021-07-11: 30 rows", "2021-07-12: 700 rows", "2021-07-13: 470 rows"));
    assertThat(dom.text("freshness-newest"), is("2021-07-13T09:59:00Z"));
    assertThat(dom.text("freshness-age"), is("3 h 25 min"));
    assertThat(dom.rows("column"), contains(
        List.of("lat", "1,200", "300", "25.0%", "", "≈ 900"),
        List.of("service_name<svg onload=alert(1)>", "1,200", "0", "0.0%", "", "12")));
    assertThat(dom.rows("gate breached"), contains(List.of("lat mostly present", "nullShare",
        "lat", "0.1", "0.25", "fail", "breached", "25.0% of lat is null, more than 10.0%")));
    assertThat(dom.rows("gate").get(1), contains("row count", "rowCountDrop", "", "0.5", "0.02",
        "warn", "ok", "2% below the median of 5 runs"));
    assertThat(dom.text("partitions-count"), is("2"));
    assertThat(dom.text("schema-version"), is("2"));
    assertThat(dom.text("warnings"), is("input file x.csv had <i>no</i> records"));
    assertThat(dom.links(), contains("index.html", "r-2021-07-13.json"));
  }

  /** Proves the check above can fail: the same payload, unescaped, does run in this browser. */
  @Test
  void theHostilePayloadRunsWhenNotEscaped() throws Exception {
    Path page = tmp.resolve("unescaped.html");
    Files.writeString(page, "<!DOCTYPE html><html><body><pre>" + HOSTILE + "</pre></body></html>");
    Chromium.Dom dom = new Chromium(tmp.resolve("chromium")).dumpDom(page);
    assertThat(dom.html.contains("data-pwned=\""), is(true));
  }

  @Test
  void aSummaryOfAnOlderVersionRendersWithoutTheNewSections() {
    String page = RunReport.render(tree("""
        {"runId": "old", "dataset": "sf311", "status": "succeeded", "read": 3, "written": 3}
        """), Map.of());
    assertThat(page, containsString("id=\"count-read\">3<"));
    assertThat(page, containsString("id=\"watermark-before\">—<"));
    assertThat(page, not(containsString("Quality gates")));
    assertThat(page, not(containsString("Rows per day")));
    assertThat(page, not(containsString("class=\"error\"")));
  }

  @Test
  void theIndexListsRunsNewestFirstWithTheirFiguresAndLinks() throws Exception {
    Path index = tmp.resolve("index.html");
    Files.writeString(index, RunIndex.render("sf311", List.of(
        tree("{\"runId\": \"a\", \"status\": \"succeeded\", \"startedAt\": \"2021-07-12T10:00:00Z\","
            + " \"durationSeconds\": 75, \"read\": 5, \"written\": 4, \"rejected\": 1,"
            + " \"watermark\": \"2021-07-12T09:00:00Z\"}"),
        tree(SUMMARY),
        tree("{\"runId\": \"c<x>\", \"status\": \"failed\", \"startedAt\": \"2021-07-11T10:00:00Z\","
            + " \"error\": \"the pipeline failed: <disk full>\"}"))));
    Chromium.Dom dom = new Chromium(tmp.resolve("chromium")).dumpDom(index);
    assertThat(dom.rows("run"), contains(
        List.of("r-2021-07-13", "refused", "2021-07-13T10:00:00Z", "14.0 s", "1,234", "1,200",
            "14", "not committed",
            "gate null_share(lat) breached: 0.25 > 0.1 <script>alert(1)</script>"),
        List.of("a", "succeeded", "2021-07-12T10:00:00Z", "1 min 15 s", "5", "4", "1",
            "2021-07-12T09:00:00Z", ""),
        List.of("c<x>", "failed", "2021-07-11T10:00:00Z", "", "0", "0", "0", "not committed",
            "the pipeline failed: <disk full>")));
    assertThat(dom.links(), contains("../index.html", "r-2021-07-13.html", "a.html", "c<x>.html"));
  }

  private static List<String> svgTitles(String html, String id) {
    Matcher svg = Pattern.compile("<svg id=\"" + id + "\".*?</svg>", Pattern.DOTALL).matcher(html);
    assertThat("chart " + id, svg.find(), equalTo(true));
    Matcher t = Pattern.compile("<title>(.*?)</title>").matcher(svg.group());
    List<String> titles = new java.util.ArrayList<>();
    while (t.find()) {
      titles.add(t.group(1));
    }
    return titles;
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
