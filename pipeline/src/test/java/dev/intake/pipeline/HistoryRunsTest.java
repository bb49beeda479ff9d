package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.Lake;
import dev.intake.pipeline.testing.TestData;
import dev.intake.pipeline.testing.Warehouses;
import dev.intake.pipeline.testing.Warehouses.Kind;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The version history end to end, through the command line on embedded Flink, on both warehouses:
 * sf311's spec with {@code history: true}, and three file runs in which case 204 is updated three
 * times, the last run bringing its oldest version late (and 201's, and a losing tie of 205's).
 */
class HistoryRunsTest {
  @TempDir Path tmp;
  private Warehouses db;

  @AfterEach
  void cleanUp() throws Exception {
    if (db != null) {
      db.dropSchema();
    }
  }

  /** The bundled sf311 spec with the history switched on. */
  private Path specWithHistory() throws Exception {
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("specs/sf311.yaml")) {
      Path spec = tmp.resolve("sf311.yaml");
      Files.writeString(spec, new String(in.readAllBytes(), StandardCharsets.UTF_8)
          + "\nhistory: true\n");
      return spec;
    }
  }

  private RunSummary load(Path spec, Lake lake, String file, String runId) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "--dataset=" + spec,
        "--inputFile=" + TestData.file(file), "--lakePath=" + lake.root, "--runId=" + runId));
    args.addAll(db.options());
    Cli cli = Cli.run(args.toArray(new String[0]));
    assertThat(cli.toString(), cli.exitCode, is(0));
    return lake.summary(runId);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void threeUpdatesAcrossThreeRunsOneLateTileTimeInTheLakeAndTheWarehouse(Kind kind)
      throws Exception {
    Lake lake = new Lake(tmp.resolve("lake"));
    db = new Warehouses(kind, lake.root);
    Path spec = specWithHistory();

    RunSummary a = load(spec, lake, "overlap_a.csv", "a");
    assertThat(List.of(a.historyVersions, a.lateVersions, a.outputs.get("history")),
        contains(5L, 0L, 5L));
    RunSummary b = load(spec, lake, "overlap_b.csv", "b");
    assertThat(List.of(b.historyVersions, b.lateVersions, b.outputs.get("history")),
        contains(4L, 0L, 6L));
    assertThat(b.historyPartitions,
        contains("requested_month=2021-02", "requested_month=2021-03"));
    RunSummary old = load(spec, lake, "overlap_old.csv", "old");
    // 201 and 204 gain an older version each; 205's is a repeat of a version it has (a losing
    // tie), not a new one. The clean table keeps the newest: all three are superseded there.
    assertThat(List.of(old.historyVersions, old.lateVersions, old.outputs.get("history")),
        contains(2L, 2L, 10L));
    assertThat(old.historyPartitions,
        contains("requested_month=2021-01", "requested_month=2021-02"));
    assertThat(List.of(old.read, old.written, old.superseded, old.rejected),
        contains(3L, 0L, 3L, 0L));

    List<String> expected = TestData.expected("overlap_history.tsv");
    String lakeHistory = "read_parquet('" + lake.root + "/history/sf311/*/*.parquet',"
        + " hive_partitioning = true)";
    assertThat(lake.query("SELECT service_request_id,"
        + " strftime(valid_from, '%Y-%m-%dT%H:%M:%SZ'), strftime(valid_to, '%Y-%m-%dT%H:%M:%SZ'),"
        + " CASE WHEN is_current THEN 'current' ELSE '' END, status_description, status_notes"
        + " FROM " + lakeHistory + " ORDER BY 1, 2"), equalTo(expected));
    String table = db.table("sf311_history");
    assertThat(db.query("SELECT service_request_id, " + db.iso("valid_from") + ", "
        + db.iso("valid_to") + ", CASE WHEN is_current THEN 'current' ELSE '' END,"
        + " status_description, status_notes FROM " + table + " ORDER BY 1, 2"),
        equalTo(expected));

    // No gaps, no overlaps: each interval ends where the next one of its key begins, and only
    // the last is open; the history's current rows are the clean table.
    String gaps = "SELECT count(*) FROM (SELECT valid_to, is_current, lead(valid_from) OVER"
        + " (PARTITION BY service_request_id ORDER BY valid_from) AS next FROM %s) i"
        + " WHERE valid_to IS DISTINCT FROM next OR is_current <> (valid_to IS NULL)";
    assertThat(lake.query(String.format(gaps, lakeHistory)), contains("0"));
    assertThat(db.query(String.format(gaps, table)), contains("0"));
    assertThat(db.query("SELECT service_request_id, " + db.iso("updated_datetime")
            + ", status_notes FROM " + table + " WHERE is_current ORDER BY 1"),
        equalTo(db.query("SELECT service_request_id, " + db.iso("updated_datetime")
            + ", status_notes FROM " + db.table("sf311") + " ORDER BY 1")));

    // What case 204 looked like at a given time, asked as the README does.
    String at = "TIMESTAMPTZ '2021-02-02 00:00:00+00'";
    String asOf = "SELECT status_description, status_notes FROM %s WHERE service_request_id = 204"
        + " AND valid_from <= " + at + " AND (valid_to IS NULL OR " + at + " < valid_to)";
    assertThat(db.query(String.format(asOf, table)), contains("Open\ta: accepted"));
    assertThat(lake.query(String.format(asOf, lakeHistory)), contains("Open\ta: accepted"));
    if (kind == Kind.POSTGRES) {
      assertThat(db.query("SELECT status_notes FROM " + table + " WHERE service_request_id = 204"
          + " AND tstzrange(valid_from, valid_to, '[)') @> " + at), contains("a: accepted"));
    }
  }
}
