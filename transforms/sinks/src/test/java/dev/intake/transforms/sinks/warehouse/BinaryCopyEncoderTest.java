package dev.intake.transforms.sinks.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Rows of every column type, encoded by {@link BinaryCopyEncoder} and sent with binary COPY into
 * the real PostgreSQL at 127.0.0.1:5432, read back as the server prints them.
 */
class BinaryCopyEncoderTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("n", Schema.FieldType.INT32)
          .addNullableField("x", Schema.FieldType.DOUBLE)
          .addNullableField("ok", Schema.FieldType.BOOLEAN)
          .addNullableField("note", Schema.FieldType.STRING)
          .addNullableField("at", Schema.FieldType.DATETIME)
          .addNullableField("day", Schema.FieldType.logicalType(SqlTypes.DATE))
          .addNullableField("tags", Schema.FieldType.array(Schema.FieldType.STRING.withNullable(true)))
          .addNullableField("ranks", Schema.FieldType.array(Schema.FieldType.INT64))
          .addNullableField("scores", Schema.FieldType.array(Schema.FieldType.DOUBLE))
          .addNullableField("days", Schema.FieldType.array(Schema.FieldType.logicalType(SqlTypes.DATE)))
          .addNullableField("ats", Schema.FieldType.array(Schema.FieldType.DATETIME))
          .addNullableField("flags", Schema.FieldType.array(Schema.FieldType.BOOLEAN))
          .addNullableField("counts", Schema.FieldType.array(Schema.FieldType.INT32))
          .build();

  private static final String COLUMNS =
      "id BIGINT, n INTEGER, x DOUBLE PRECISION, ok BOOLEAN, note TEXT, at TIMESTAMPTZ, day DATE,"
          + " tags TEXT[], ranks BIGINT[], scores DOUBLE PRECISION[], days DATE[],"
          + " ats TIMESTAMPTZ[], flags BOOLEAN[], counts INTEGER[]";

  private final String table = "binary_copy_test_" + ProcessHandle.current().pid();

  @BeforeEach
  void createTable() throws Exception {
    sql("DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table + " (" + COLUMNS + ")");
  }

  @AfterEach
  void dropTable() throws Exception {
    sql("DROP TABLE IF EXISTS " + table);
  }

  private void sql(String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection(URL, "postgres", "");
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private static Row row(Object... values) {
    return Row.withSchema(SCHEMA).addValues(Arrays.asList(values)).build();
  }

  /** Copies {@code rows} in, and reads every column back as text, in UTC, ordered by id. */
  private List<String> roundTrip(List<Row> rows) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(URL, "postgres", "");
        Statement s = c.createStatement()) {
      // The session's zone is not UTC, so a zone mix-up in the encoding would show.
      s.execute("SET TIME ZONE 'America/Los_Angeles'");
      c.unwrap(PGConnection.class).getCopyAPI().copyIn(
          "COPY " + table + " FROM STDIN WITH (FORMAT binary)",
          new ByteArrayInputStream(BinaryCopyEncoder.encode(SCHEMA, rows)));
      s.execute("SET TIME ZONE 'UTC'");
      try (ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
        while (rs.next()) {
          List<String> fields = new ArrayList<>();
          for (int i = 1; i <= SCHEMA.getFieldCount(); i++) {
            fields.add(rs.getString(i));
          }
          out.add(String.join("|", fields));
        }
      }
    }
    return out;
  }

  @Test
  void everyTypeArrivesAsItsValue() throws Exception {
    Instant summer = new DateTime(2019, 7, 4, 9, 30, 15, 123, DateTimeZone.forOffsetHours(-7))
        .toInstant();
    Instant before2000 = new Instant(-1_000L);
    List<Row> rows = List.of(
        row(1L, 7, 37.7749, true, "plain", summer, LocalDate.of(2007, 2, 1),
            List.of("Apps", "AI"), List.of(3L, -1L), List.of(0.5, -1.5e-7),
            List.of(LocalDate.of(1999, 12, 31), LocalDate.of(2000, 1, 1)), List.of(summer),
            List.of(true, false), List.of(Integer.MAX_VALUE, Integer.MIN_VALUE)),
        row(-9_223_372_036_854_775_807L, -1, -0.0, false,
            "quote \" comma , newline\n tab\t back\\slash {brace}", before2000,
            LocalDate.of(1969, 12, 31), Arrays.asList("", null, "NULL"), List.of(),
            List.of(Double.MAX_VALUE), List.of(), List.of(), List.of(), List.of()),
        row(2L, 0, Double.NaN, null, "Café, 東京, emoji 🚒, ∑", new Instant(0L),
            LocalDate.of(2100, 2, 28), null, null, null, null, null, null, null),
        row(3L, null, null, null, "", null, null, null, null, null, null, null, null, null));
    assertThat(
        roundTrip(rows),
        contains(
            "-9223372036854775807|-1|-0|f|quote \" comma , newline\n tab\t back\\slash {brace}"
                + "|1969-12-31 23:59:59+00|1969-12-31|{\"\",NULL,\"NULL\"}|{}"
                + "|{1.7976931348623157e+308}|{}|{}|{}|{}",
            "1|7|37.7749|t|plain|2019-07-04 16:30:15.123+00|2007-02-01|{Apps,AI}|{3,-1}"
                + "|{0.5,-1.5e-07}|{1999-12-31,2000-01-01}|{\"2019-07-04 16:30:15.123+00\"}"
                + "|{t,f}|{2147483647,-2147483648}",
            "2|0|NaN|null|Café, 東京, emoji 🚒, ∑|1970-01-01 00:00:00+00|2100-02-28"
                + "|null|null|null|null|null|null|null",
            "3|null|null|null||null|null|null|null|null|null|null|null|null"));
  }

  @Test
  void rowsAcrossSeveralBuffersArriveWhole() throws Exception {
    List<Row> rows = new ArrayList<>();
    String long1 = "ü".repeat(40_000);
    for (long i = 0; i < 3; i++) {
      rows.add(row(i, null, null, null, long1 + i, null, null, null, null, null, null, null,
          null, null));
    }
    try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
      c.unwrap(PGConnection.class).getCopyAPI().copyIn(
          "COPY " + table + " FROM STDIN WITH (FORMAT binary)",
          new ByteArrayInputStream(BinaryCopyEncoder.encode(SCHEMA, rows)));
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, char_length(note), octet_length(note),"
              + " right(note, 2) FROM " + table + " ORDER BY id")) {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rs.getLong(1) + "|" + rs.getInt(2) + "|" + rs.getInt(3) + "|" + rs.getString(4));
        }
        assertThat(out, contains("0|40001|80001|ü0", "1|40001|80001|ü1", "2|40001|80001|ü2"));
      }
    }
  }

  @Test
  void aNulCharacterIsRefusedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BinaryCopyEncoder.encode(SCHEMA, List.of(row(1L, null, null, null, "a\0b", null,
            null, null, null, null, null, null, null, null))));
    assertThat(e.getMessage(),
        is("field note holds a NUL character, which PostgreSQL text cannot store"));
  }

  @Test
  void aTypeWithoutAColumnTypeIsRefused() {
    Schema bytes = Schema.builder().addByteArrayField("raw").build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new BinaryCopyEncoder(bytes));
    assertThat(e.getMessage(), is("no binary COPY encoding for BYTES NOT NULL"));
  }
}
