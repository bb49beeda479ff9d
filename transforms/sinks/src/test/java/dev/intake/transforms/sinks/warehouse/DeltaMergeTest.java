package dev.intake.transforms.sinks.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL commit merges only the delta: a re-run of the same rows leaves the stored rows
 * untouched (not updated, not even locked), while a changed row and a new row of the same re-run
 * are written, and an older version is still refused. Against the real PostgreSQL at 127.0.0.1.
 */
class DeltaMergeTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("updated", Schema.FieldType.DATETIME)
          .addNullableField("note", Schema.FieldType.STRING)
          .build();
  private static final WarehouseTable TABLE = new WarehouseTable("cases", SCHEMA, List.of("id"));

  private final String schema = "delta_merge_test_" + ProcessHandle.current().pid();
  private final WarehouseConfig config = WarehouseConfig.of(URL).withUser("postgres")
      .withSchema(schema);

  @AfterEach
  void dropSchemas() throws Exception {
    sql("DROP SCHEMA IF EXISTS " + schema + ", " + schema + "_raw, " + schema + "_public CASCADE");
  }

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(URL, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private List<String> query(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(URL, "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        List<String> fields = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          fields.add(rs.getString(i));
        }
        out.add(String.join("|", fields));
      }
    }
    return out;
  }

  /** Commits run {@code runId} whose staging table holds {@code values} (SQL row literals). */
  private void run(String runId, String values) throws Exception {
    try (Warehouse w = Warehouse.connect(config)) {
      w.prepare(List.of(TABLE), runId);
      sql("INSERT INTO " + Dialect.qualified(schema + "_raw", Dialect.stagingName("cases", runId))
          + " VALUES " + values);
      RunRecord r = new RunRecord();
      r.runId = runId;
      r.dataset = "delta";
      r.status = "succeeded";
      w.commit(WarehouseCommit.of(r, TABLE, "updated").build(), line -> {});
    }
  }

  /** Each stored row with whether a transaction since {@code firstLoad} wrote or locked it. */
  private List<String> rowsAndTouches(String firstLoad) throws Exception {
    return query("SELECT id, to_char(updated AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), note,"
        + " CASE WHEN xmin::text = '" + firstLoad + "' AND xmax::text = '0' THEN 'untouched'"
        + " ELSE 'written' END FROM " + schema + ".cases ORDER BY id");
  }

  @Test
  void aRerunOfTheSameRowsUpdatesAndLocksNothing() throws Exception {
    String rows = "(1, '2021-03-01 10:00Z', 'open'), (2, '2021-03-01 11:00Z', NULL),"
        + " (3, '2021-03-02 09:00Z', 'closed'), (3, '2021-03-02 09:00Z', 'closed')";
    run("first", rows);
    String firstLoad = query("SELECT DISTINCT xmin::text FROM " + schema + ".cases").get(0);

    run("same", rows);
    assertThat(rowsAndTouches(firstLoad), contains(
        "1|2021-03-01 10:00|open|untouched",
        "2|2021-03-01 11:00|null|untouched",
        "3|2021-03-02 09:00|closed|untouched"));

    run("delta", "(1, '2021-03-01 10:00Z', 'open'), (2, '2021-03-01 11:00Z', 'now noted'),"
        + " (3, '2021-03-01 08:00Z', 'older version'), (4, '2021-03-03 12:00Z', 'new')");
    assertThat(rowsAndTouches(firstLoad), contains(
        "1|2021-03-01 10:00|open|untouched",
        "2|2021-03-01 11:00|now noted|written",
        "3|2021-03-02 09:00|closed|untouched",
        "4|2021-03-03 12:00|new|written"));
    assertThat(query("SELECT count(*) FROM " + schema + "_raw.intake_runs WHERE dataset = 'delta'"),
        is(List.of("3")));
  }
}
