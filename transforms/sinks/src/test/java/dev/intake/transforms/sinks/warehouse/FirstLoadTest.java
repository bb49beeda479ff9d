package dev.intake.transforms.sinks.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.sinks.lake.WriteParquet;
import dev.intake.transforms.testing.TestPipelineExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first load into an empty PostgreSQL table: the pipeline does not load its staging table, and
 * the commit copies the run's published Parquet files into the table in its transaction; a rerun
 * of the same rows then goes through staging and the delta merge and changes nothing. Against the
 * real PostgreSQL at 127.0.0.1, with Parquet files written by the lake's own writer.
 */
@ExtendWith(TestPipelineExtension.class)
class FirstLoadTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("updated", Schema.FieldType.DATETIME)
          .addNullableField("note", Schema.FieldType.STRING)
          .addNullableField("score", Schema.FieldType.DOUBLE)
          .addNullableField("open", Schema.FieldType.BOOLEAN)
          .addNullableField("day", Schema.FieldType.logicalType(SqlTypes.DATE))
          .addNullableField("rank", Schema.FieldType.INT32)
          .build();
  private static final WarehouseTable TABLE = new WarehouseTable("cases", SCHEMA, List.of("id"));

  /** The lake's rows, as the table must hold them after any of the loads below. */
  private static final List<String> LAKE_ROWS = List.of(
      "1|2021-03-01 10:00:00.123|open|0.5|t|2021-03-01|7",
      "2|2021-03-01 11:00:00|null|null|null|null|null",
      "3|2021-03-02 09:00:00|São Paulo ☃ \"quoted\", comma|-1.5e-07|f|1999-12-31|-2",
      "4|2021-03-03 12:00:00||1e+300|t|2021-03-03|0");

  private final String schema = "first_load_test_" + ProcessHandle.current().pid();
  private final WarehouseConfig config = WarehouseConfig.of(URL).withUser("postgres")
      .withSchema(schema);
  @TempDir Path dir;
  private List<String> files;

  private static Row row(long id, String updated, String note, Double score, Boolean open,
      LocalDate day, Integer rank) {
    return Row.withSchema(SCHEMA).addValues(id, Instant.parse(updated), note, score, open, day,
        rank).build();
  }

  /** The run's published files: two of them, rows 1 and 3 in one, 2 and 4 in the other. */
  private void writeTheRunsFiles(TestPipeline p) throws Exception {
    p.apply("A", Create.of(
            row(1, "2021-03-01T10:00:00.123Z", "open", 0.5, true, LocalDate.of(2021, 3, 1), 7),
            row(3, "2021-03-02T09:00:00Z", "São Paulo ☃ \"quoted\", comma", -1.5e-7, false,
                LocalDate.of(1999, 12, 31), -2))
            .withRowSchema(SCHEMA))
        .apply("WriteA", WriteParquet.to(dir.resolve("a").toString()).sortedBy(List.of("id")));
    p.apply("B", Create.of(
            row(2, "2021-03-01T11:00:00Z", null, null, null, null, null),
            row(4, "2021-03-03T12:00:00Z", "", 1e300, true, LocalDate.of(2021, 3, 3), 0))
            .withRowSchema(SCHEMA))
        .apply("WriteB", WriteParquet.to(dir.resolve("b").toString()).sortedBy(List.of("id")));
    p.run().waitUntilFinish();
    files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(f -> f.toString().endsWith(".parquet")).sorted()
          .forEach(f -> files.add(f.toString()));
    }
    assertThat(files.size(), is(2));
  }

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
        Statement s = c.createStatement()) {
      s.execute("SET TIME ZONE 'UTC'");
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          List<String> fields = new ArrayList<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            fields.add(rs.getString(i));
          }
          out.add(String.join("|", fields));
        }
      }
    }
    return out;
  }

  private List<String> tableRows() throws Exception {
    return query("SELECT id, to_char(updated, 'YYYY-MM-DD HH24:MI:SS') || CASE WHEN"
        + " extract(milliseconds FROM updated)::int % 1000 = 0 THEN '' ELSE '.' || lpad((extract("
        + "milliseconds FROM updated)::int % 1000)::text, 3, '0') END, note, score, open, day,"
        + " rank FROM " + schema + ".cases ORDER BY id");
  }

  private List<String> stagingTables() throws Exception {
    return query("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
        + schema + "_raw' AND table_name LIKE '\\_stage%'");
  }

  private static WarehouseCommit commit(String runId, List<String> files) {
    RunRecord r = new RunRecord();
    r.runId = runId;
    r.dataset = "first";
    r.status = "succeeded";
    return WarehouseCommit.of(r, TABLE, "updated").files("cases", files).rows("cases", 4).build();
  }

  @Test
  void aFirstLoadCopiesTheRunsFilesAndARerunOfTheSameRowsChangesNothing(TestPipeline p) throws Exception {
    writeTheRunsFiles(p);
    List<String> said = new ArrayList<>();
    // One warehouse object for both runs: what it found empty for the first is not empty after.
    try (Warehouse w = Warehouse.connect(config)) {
      w.prepare(List.of(TABLE), "first");
      assertThat(w.stagingLoad(TABLE, "first", LoadMethod.COPY).isPresent(), is(false));
      w.commit(commit("first", files), said::add);
      assertThat(tableRows(), equalTo(LAKE_ROWS));
      assertThat(said, empty());
      assertThat(stagingTables(), empty());
      String firstLoad = query("SELECT DISTINCT xmin::text FROM " + schema + ".cases").get(0);

      w.prepare(List.of(TABLE), "rerun");
      assertThat(w.stagingLoad(TABLE, "rerun", LoadMethod.COPY).isPresent(), is(true));
      // What the rerun's pipeline loads: the same rows, one of them twice (a retried bundle).
      String staging = schema + "_raw." + Dialect.stagingName("cases", "rerun");
      sql("INSERT INTO " + staging + " SELECT * FROM " + schema + ".cases");
      sql("INSERT INTO " + staging + " SELECT * FROM " + schema + ".cases WHERE id = 3");
      w.commit(commit("rerun", files), said::add);
      assertThat(tableRows(), equalTo(LAKE_ROWS));
      assertThat(said, empty());
      assertThat(query("SELECT DISTINCT xmin::text || '/' || xmax::text FROM " + schema
          + ".cases"), contains(firstLoad + "/0"));
    }
    assertThat(query("SELECT run_id FROM " + schema + "_raw.intake_runs ORDER BY 1"),
        contains("first", "rerun"));
  }

  @Test
  void aTableFilledAfterThePlanIsMergedFromTheRunsFilesThroughStaging(TestPipeline p) throws Exception {
    writeTheRunsFiles(p);
    List<String> said = new ArrayList<>();
    try (Warehouse w = Warehouse.connect(config)) {
      w.prepare(List.of(TABLE), "late");
      assertThat(w.stagingLoad(TABLE, "late", LoadMethod.COPY).isPresent(), is(false));
      // Another writer stores a newer version of case 1 before the commit.
      sql("INSERT INTO " + schema + ".cases (id, updated, note) VALUES"
          + " (1, '2021-03-05 08:00Z', 'newer elsewhere')");
      w.commit(commit("late", files), said::add);
    }
    List<String> expected = new ArrayList<>(LAKE_ROWS);
    expected.set(0, "1|2021-03-05 08:00:00|newer elsewhere|null|null|null|null");
    assertThat(tableRows(), equalTo(expected));
    assertThat(said, contains("run late: staging held fewer rows than the run wrote (PostgreSQL"
        + " empties unlogged tables when it recovers from a crash); reloaded from the run's"
        + " published Parquet files: cases 4 rows (held 0) from 2 file(s)"));
  }

  @Test
  void aFirstLoadWhoseFileIsGoneChangesNothingAndSaysWhy(TestPipeline p) throws Exception {
    writeTheRunsFiles(p);
    Files.delete(Path.of(files.get(1)));
    try (Warehouse w = Warehouse.connect(config)) {
      w.prepare(List.of(TABLE), "broken");
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> w.commit(commit("broken", files), line -> {}));
      assertThat(e.getMessage(), containsString("run broken: reading the published Parquet files"
          + " of cases failed ("));
      assertThat(e.getMessage(), containsString("); the warehouse was not changed"));
    }
    assertThat(tableRows(), empty());
    assertThat(query("SELECT count(*) FROM " + schema + "_raw.intake_runs"), contains("0"));
  }
}
