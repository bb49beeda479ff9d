package dev.intake.transforms.sinks.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.sinks.lake.WriteParquet;
import dev.intake.transforms.testing.TestPipelineExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * List and date columns: their types in PostgreSQL and DuckDB, loaded with COPY and with batched
 * INSERTs into the real PostgreSQL at 127.0.0.1:5432, and read by DuckDB from the lake's Parquet.
 */
@ExtendWith(TestPipelineExtension.class)
class ListAndDateColumnsTest {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("founded_on", Schema.FieldType.logicalType(SqlTypes.DATE))
          .addNullableField("categories", Schema.FieldType.array(Schema.FieldType.STRING))
          .addNullableField("ranks", Schema.FieldType.array(Schema.FieldType.INT64))
          .addNullableField("scores", Schema.FieldType.array(Schema.FieldType.DOUBLE))
          .build();

  private static final WarehouseTable TABLE =
      new WarehouseTable(
          "list_date_test_" + ProcessHandle.current().pid(), SCHEMA, List.of("id"));

  private static final List<Row> ROWS =
      List.of(
          row(1L, LocalDate.of(2007, 2, 1), List.of("Apps", "AI"), List.of(3L, 1L), List.of(0.5)),
          row(2L, LocalDate.of(1999, 12, 31),
              List.of("quote \" comma , brace { } back\\slash", "", "NULL"), List.of(),
              List.of(-1.5e-7, 2.0)),
          row(3L, null, null, null, null));

  /** What each row reads back as: id|date|categories|ranks|scores (arrays as text). */
  private static final List<String> EXPECTED =
      List.of(
          "1|2007-02-01|[Apps, AI]|[3, 1]|[0.5]",
          "2|1999-12-31|[quote \" comma , brace { } back\\slash, , NULL]|[]|[-1.5E-7, 2.0]",
          "3|null|null|null|null");

  @TempDir Path dir;

  private static Row row(Long id, LocalDate d, List<String> c, List<Long> r, List<Double> s) {
    return Row.withSchema(SCHEMA).addValues(id, d, c, r, s).build();
  }

  @AfterEach
  void dropTable() throws Exception {
    try (Connection c = DriverManager.getConnection(PG, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + Dialect.qualified("public", TABLE.name()));
    }
  }

  private static List<String> read(Connection c, String table) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT id, founded_on, categories, ranks, scores FROM " + table
                + " ORDER BY id")) {
      while (rs.next()) {
        StringBuilder line = new StringBuilder(rs.getString(1));
        line.append('|').append(rs.getObject(2, LocalDate.class));
        for (int i = 3; i <= 5; i++) {
          java.sql.Array a = rs.getArray(i);
          line.append('|').append(a == null ? null : List.of((Object[]) a.getArray()));
        }
        out.add(line.toString());
      }
    }
    return out;
  }

  @Test
  void columnTypesOfEachDialect() {
    assertEquals(
        "CREATE TABLE \"t\" (\"id\" BIGINT, \"founded_on\" DATE, \"categories\" TEXT[],"
            + " \"ranks\" BIGINT[], \"scores\" DOUBLE PRECISION[], PRIMARY KEY (\"id\"))",
        new PostgresDialect().createTable("\"t\"", TABLE));
    assertEquals(
        "CREATE TABLE \"t\" (\"id\" BIGINT, \"founded_on\" DATE, \"categories\" VARCHAR[],"
            + " \"ranks\" BIGINT[], \"scores\" DOUBLE[], PRIMARY KEY (\"id\"))",
        new DuckDbDialect().createTable("\"t\"", TABLE));
  }

  @ParameterizedTest
  @EnumSource(LoadMethod.class)
  void postgresLoadsListsAndDates(LoadMethod method, TestPipeline p) throws Exception {
    Dialect pg = new PostgresDialect();
    String table = Dialect.qualified("public", TABLE.name());
    try (Connection c = DriverManager.getConnection(PG, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
      s.execute(pg.createTable(table, TABLE));
    }

    p.apply(Create.of(ROWS).withRowSchema(SCHEMA))
        .apply(
            LoadStagingTable.into(WarehouseConfig.of(PG).withUser("postgres"), table)
                .withMethod(method)
                .withBatchRows(2));
    p.run().waitUntilFinish();

    try (Connection c = DriverManager.getConnection(PG, "postgres", "")) {
      assertEquals(EXPECTED, read(c, table));
      Map<String, String> columns = SchemaCheck.columns(c, "public", TABLE.name());
      assertEquals(
          Map.of("id", "bigint", "founded_on", "date", "categories", "text[]",
              "ranks", "bigint[]", "scores", "double precision[]"),
          columns);
      SchemaCheck.check(pg, "public", TABLE, columns);
    }
  }

  @Test
  void schemaCheckTellsListTypesApart() throws Exception {
    try (Connection c = DriverManager.getConnection(PG, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + Dialect.qualified("public", TABLE.name())
          + " (id BIGINT, founded_on TIMESTAMPTZ, categories TEXT[], ranks TEXT[],"
          + " scores DOUBLE PRECISION[])");
      Map<String, String> columns = SchemaCheck.columns(c, "public", TABLE.name());

      SchemaMismatchException e =
          assertThrows(
              SchemaMismatchException.class,
              () -> SchemaCheck.check(new PostgresDialect(), "public", TABLE, columns));
      assertThat(e.getMessage(), containsString(
          "founded_on is timestamp with time zone where the spec says date; "
              + "ranks is text[] where the spec says bigint[]"));
    }
  }

  @Test
  void duckDbReadsListsAndDatesFromTheLakesParquet(TestPipeline p) throws Exception {
    Path lake = dir.resolve("lake");
    p.apply(Create.of(ROWS).withRowSchema(SCHEMA))
        .apply(WriteParquet.to(lake.toString()).sortedBy(List.of("id")));
    p.run().waitUntilFinish();

    Dialect duck = new DuckDbDialect();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("w.duckdb"));
        Statement s = c.createStatement()) {
      String table = Dialect.qualified("main", TABLE.name());
      s.execute(duck.createTable(table, TABLE));
      s.execute("INSERT INTO " + table + " " + duck.runRows("main", TABLE, "r1", "id",
          List.of(lake.resolve("part-00000.parquet").toString())));

      assertEquals(EXPECTED, read(c, table));
      Map<String, String> columns = SchemaCheck.columns(c, "main", TABLE.name());
      assertThat(columns.get("categories"), is("varchar[]"));
      SchemaCheck.check(duck, "main", TABLE, columns);
    }
  }
}
