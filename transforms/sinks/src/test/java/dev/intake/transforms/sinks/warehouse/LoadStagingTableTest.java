package dev.intake.transforms.sinks.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.testing.TestPipelineExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Loads rows into the real PostgreSQL at 127.0.0.1:5432 (database test). */
@ExtendWith(TestPipelineExtension.class)
class LoadStagingTableTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("opened", Schema.FieldType.DATETIME)
          .addNullableField("notes", Schema.FieldType.STRING)
          .addNullableField("lat", Schema.FieldType.DOUBLE)
          .addNullableField("open", Schema.FieldType.BOOLEAN)
          .build();

  private final String table = "load_staging_table_test_" + ProcessHandle.current().pid();

  private static Row row(Long id, Long openedMillis, String notes, Double lat, Boolean open) {
    return Row.withSchema(SCHEMA)
        .addValues(id, openedMillis == null ? null : new Instant(openedMillis), notes, lat, open)
        .build();
  }

  private List<String> rows() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(URL, "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, to_char(opened AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS'),"
                    + " notes, notes IS NULL, lat, open FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|"
            + rs.getString(4) + "|" + rs.getString(5) + "|" + rs.getString(6));
      }
    }
    return out;
  }

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(URL, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @BeforeEach
  void createTable() throws Exception {
    sql("DROP TABLE IF EXISTS " + table);
    sql("CREATE TABLE " + table + " (id BIGINT, opened TIMESTAMPTZ, notes TEXT, lat DOUBLE PRECISION,"
        + " open BOOLEAN)");
  }

  @AfterEach
  void dropTable() throws Exception {
    sql("DROP TABLE IF EXISTS " + table);
  }

  @ParameterizedTest
  @EnumSource(LoadMethod.class)
  void loadsEveryRowWithItsValuesAndNulls(LoadMethod method, TestPipeline p)
      throws Exception {
    p.apply(
            Create.of(
                    row(1L, 1553104800000L, "plain", 37.78, true),
                    row(2L, null, "quote \" comma , newline\nend", null, false),
                    row(3L, 1551805200000L, "", -0.5, null),
                    row(4L, 1551805200000L, null, 1.0E-5, true))
                .withRowSchema(SCHEMA))
        .apply(
            LoadStagingTable.into(WarehouseConfig.of(URL).withUser("postgres"), table)
                .withMethod(method)
                .withBatchRows(2));
    p.run().waitUntilFinish();
    assertThat(
        rows(),
        contains(
            "1|2019-03-20T18:00:00|plain|f|37.78|t",
            "2|null|quote \" comma , newline\nend|f|null|f",
            "3|2019-03-05T17:00:00||f|-0.5|null",
            "4|2019-03-05T17:00:00|null|t|1e-05|t"));
  }

  @Test
  void refusesADatabaseThatLoadsAtCommitAndABadBatchSize() {
    assertThrows(
        IllegalArgumentException.class,
        () -> LoadStagingTable.into(WarehouseConfig.of("jdbc:duckdb:x"), "t"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LoadStagingTable.into(WarehouseConfig.of(URL), "t").withBatchRows(0));
    assertThat(e.getMessage(), is("batchRows must be > 0, but was 0"));
  }

  @Test
  void aPasswordVariableThatIsNotSetFailsTheConnectionNamingIt() {
    WarehouseConfig config = WarehouseConfig.of(URL).withPasswordEnv("INTAKE_TEST_UNSET_PASSWORD");
    Exception e = assertThrows(Exception.class, config::open);
    assertThat(
        causes(e),
        hasItem("environment variable INTAKE_TEST_UNSET_PASSWORD (the database password) is not set"));
  }

  private static List<String> causes(Throwable e) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.add(t.getMessage());
    }
    return messages;
  }
}
