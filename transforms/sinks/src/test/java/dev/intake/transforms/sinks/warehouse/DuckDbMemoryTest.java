package dev.intake.transforms.sinks.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded DuckDB warehouse within its limits: every session carries the memory limit and
 * threads it is given, and the commit's merge of the run's Parquet rows (a {@code MERGE INTO},
 * which keeps within the limit) keeps the newest version of each key, as the PostgreSQL upsert
 * does. A real DuckDB file, real Parquet files written by DuckDB.
 */
class DuckDbMemoryTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("updated", Schema.FieldType.DATETIME)
          .addNullableField("note", Schema.FieldType.STRING)
          .build();
  private static final WarehouseTable TABLE = new WarehouseTable("cases", SCHEMA, List.of("id"));

  @TempDir Path dir;

  private WarehouseConfig config(Long bytes, Integer threads) {
    return WarehouseConfig.of("jdbc:duckdb:" + dir.resolve("w.duckdb"))
        .withEmbeddedLimits(bytes, threads);
  }

  private static List<String> query(Connection c, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
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

  @Test
  void everySessionCarriesTheMemoryLimitAndThreads() throws Exception {
    List<String> defaults;
    try (WarehouseConfig.Session s = config(null, null).open()) {
      defaults = query(s.connection(),
          "SELECT current_setting('memory_limit'), current_setting('threads')::VARCHAR");
    }
    try (WarehouseConfig.Session s = config(300L << 20, 1).open()) {
      List<String> set = query(s.connection(),
          "SELECT current_setting('memory_limit'), current_setting('threads')::VARCHAR");
      assertThat(set, contains("300.0 MiB|1"));
      assertThat(set, not(defaults));
    }
    // A size that is not whole MiB is rounded up, never to nothing.
    try (WarehouseConfig.Session s = config((64L << 20) + 1, null).open()) {
      assertThat(query(s.connection(), "SELECT current_setting('memory_limit')"),
          contains("65.0 MiB"));
    }
  }

  @Test
  void otherDatabasesRefuseTheLimits() {
    WarehouseConfig pg = WarehouseConfig.of("jdbc:postgresql://127.0.0.1:5432/test")
        .withUser("postgres").withEmbeddedLimits(1L << 30, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, pg::open);
    assertThat(e.getMessage(), containsString("embedded DuckDB warehouse only"));
  }

  /** Writes {@code values} (SQL row literals of id, updated, note) to a Parquet file. */
  private String parquet(String name, String values) throws Exception {
    return parquetOf(name, "SELECT * FROM (VALUES " + values + ") v(id, updated, note)");
  }

  /** Writes the rows of {@code select} (id, updated, note) to a Parquet file. */
  private String parquetOf(String name, String select) throws Exception {
    String file = dir.resolve(name + ".parquet").toString();
    try (WarehouseConfig.Session s = config(null, null).open();
        Statement st = s.connection().createStatement()) {
      st.execute("COPY (SELECT id::BIGINT AS id, updated::TIMESTAMPTZ AS updated, note::VARCHAR"
          + " AS note FROM (" + select + ")) TO '" + file + "' (FORMAT parquet)");
    }
    return file;
  }

  private void commit(WarehouseConfig config, String runId, String file, long rows)
      throws Exception {
    try (Warehouse w = Warehouse.connect(config)) {
      w.prepare(List.of(TABLE), runId);
      RunRecord r = new RunRecord();
      r.runId = runId;
      r.dataset = "memory";
      r.status = "succeeded";
      w.commit(WarehouseCommit.of(r, TABLE, "updated").files("cases", List.of(file))
          .rows("cases", rows).build(), line -> {});
    }
  }

  @Test
  void theMergeKeepsTheNewestVersionWithinTheLimit() throws Exception {
    WarehouseConfig limited = config(128L << 20, 1);
    commit(limited, "first", parquet("first", "(1, '2021-03-01 10:00:00+00', 'open'),"
        + " (2, '2021-03-01 11:00:00+00', NULL), (3, '2021-03-02 09:00:00+00', 'closed')"), 3);
    commit(limited, "delta", parquet("delta", "(1, '2021-03-01 10:00:00+00', 'open'),"
        + " (2, '2021-03-01 11:00:00+00', 'now noted'), (3, '2021-03-01 08:00:00+00', 'older version'),"
        + " (4, '2021-03-03 12:00:00+00', 'new')"), 4);
    // A run of 20,000 keys, four of them stored (all newer), through a limit of 128 MiB.
    commit(limited, "many", parquetOf("many", "SELECT i AS id, TIMESTAMPTZ '2021-04-01 00:00:00+00'"
        + " + INTERVAL (i) SECOND AS updated, 'bulk ' || i AS note FROM range(-10000, 10000)"
        + " t(i)"), 20_000);
    try (WarehouseConfig.Session s = limited.open()) {
      assertThat(query(s.connection(), "SELECT id, strftime(updated AT TIME ZONE 'UTC',"
          + " '%Y-%m-%d %H:%M'), note FROM main.cases WHERE id BETWEEN 1 AND 5 ORDER BY id"),
          contains(
              "1|2021-04-01 00:00|bulk 1",
              "2|2021-04-01 00:00|bulk 2",
              "3|2021-04-01 00:00|bulk 3",
              "4|2021-04-01 00:00|bulk 4",
              "5|2021-04-01 00:00|bulk 5"));
      assertThat(query(s.connection(), "SELECT count(*), count(DISTINCT id), min(id), max(id)"
          + " FROM main.cases"), is(List.of("20000|20000|-10000|9999")));
    }
  }

  @Test
  void anOlderVersionNeverReplacesANewerOne() throws Exception {
    WarehouseConfig limited = config(128L << 20, 1);
    commit(limited, "first", parquet("first", "(1, '2021-03-01 10:00:00+00', 'open'),"
        + " (2, '2021-03-01 11:00:00+00', NULL), (3, '2021-03-02 09:00:00+00', 'closed')"), 3);
    commit(limited, "delta", parquet("delta", "(1, '2021-03-01 10:00:00+00', 'open'),"
        + " (2, '2021-03-01 11:00:00+00', 'now noted'), (3, '2021-03-01 08:00:00+00', 'older version'),"
        + " (4, '2021-03-03 12:00:00+00', 'new')"), 4);
    try (WarehouseConfig.Session s = limited.open()) {
      assertThat(query(s.connection(), "SELECT id, strftime(updated AT TIME ZONE 'UTC',"
          + " '%Y-%m-%d %H:%M'), coalesce(note, 'null') FROM main.cases ORDER BY id"),
          contains(
              "1|2021-03-01 10:00|open",
              "2|2021-03-01 11:00|now noted",
              "3|2021-03-02 09:00|closed",
              "4|2021-03-03 12:00|new"));
    }
  }
}
