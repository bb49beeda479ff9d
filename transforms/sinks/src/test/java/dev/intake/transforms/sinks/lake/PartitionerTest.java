package dev.intake.transforms.sinks.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PartitionerTest {
  private static final String LA = "America/Los_Angeles";
  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("requested", Schema.FieldType.DATETIME)
          .addNullableField("day", Schema.FieldType.logicalType(SqlTypes.DATE))
          .addNullableField("status", Schema.FieldType.STRING)
          .build();

  /** 2019-04-01T06:30Z: still March 31 (23:30 PDT) in San Francisco. */
  private static final Instant MARCH_31_LATE_EVENING = new Instant(1554100200000L);

  /** 2020-01-01T07:59:59Z: still 2019 (23:59:59 PST) in San Francisco. */
  private static final Instant NEW_YEARS_EVE = new Instant(1577865599000L);

  private static Row row(Instant requested, LocalDate day, String status) {
    return Row.withSchema(SCHEMA).addValues(requested, day, status).build();
  }

  static Stream<Arguments> folders() {
    Partitioner byMonth =
        Partitioner.of("requested_month", "requested", Partitioner.Granularity.MONTH, LA);
    Partitioner byDay =
        Partitioner.of("requested_day", "requested", Partitioner.Granularity.DAY, LA);
    Partitioner byYear = Partitioner.of("year", "requested", Partitioner.Granularity.YEAR, LA);
    Partitioner utcMonth =
        Partitioner.of("requested_month", "requested", Partitioner.Granularity.MONTH, "UTC");
    Partitioner dateByMonth = byMonth.onField("day");
    return Stream.of(
        Arguments.of(byMonth, row(MARCH_31_LATE_EVENING, null, null), "requested_month=2019-03"),
        Arguments.of(utcMonth, row(MARCH_31_LATE_EVENING, null, null), "requested_month=2019-04"),
        Arguments.of(byDay, row(MARCH_31_LATE_EVENING, null, null), "requested_day=2019-03-31"),
        Arguments.of(byYear, row(NEW_YEARS_EVE, null, null), "year=2019"),
        Arguments.of(byMonth, row(NEW_YEARS_EVE, null, null), "requested_month=2019-12"),
        Arguments.of(byMonth, row(null, null, "Open"), "requested_month=__none__"),
        Arguments.of(
            dateByMonth, row(null, LocalDate.of(2019, 3, 5), null), "requested_month=2019-03"),
        Arguments.of(
            byDay.onField("day"),
            row(null, LocalDate.of(2019, 3, 5), null),
            "requested_day=2019-03-05"),
        Arguments.of(byYear.onField("day"), row(null, LocalDate.of(2019, 3, 5), null), "year=2019"),
        Arguments.of(
            dateByMonth, row(MARCH_31_LATE_EVENING, null, null), "requested_month=__none__"));
  }

  @ParameterizedTest(name = "[{index}] {2}")
  @MethodSource("folders")
  void folderIsNameEqualsLocalDatePart(Partitioner partitioner, Row row, String folder) {
    assertEquals(folder, partitioner.folderOf(row));
  }

  @Test
  void onFieldKeepsTheName() {
    Partitioner p =
        Partitioner.of("requested_month", "requested", Partitioner.Granularity.MONTH, LA)
            .onField("day");

    assertEquals("requested_month", p.name());
    assertEquals("day", p.field());
  }

  @Test
  void fieldThatIsNotATimeIsRejected() {
    Partitioner p = Partitioner.of("s", "status", Partitioner.Granularity.DAY, LA);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> p.folderOf(row(null, null, "Open")));
    assertEquals("partition field status is neither a timestamp nor a date: Open", e.getMessage());
  }

  @Test
  void unknownZoneIsRejected() {
    assertThrows(
        DateTimeException.class,
        () -> Partitioner.of("m", "requested", Partitioner.Granularity.MONTH, "Mars/Olympus"));
  }

  @Test
  void monthFoldersPadTheYearAsFourDigitsWhateverTheYear() {
    Partitioner p = Partitioner.of("m", "day", Partitioner.Granularity.MONTH, LA);
    for (int year : new int[] {-12345, -999, -5, 0, 7, 99, 999, 1969, 2025, 9999, 10000, 123456}) {
      for (int month : new int[] {1, 9, 10, 12}) {
        assertEquals(
            String.format(java.util.Locale.ROOT, "m=%04d-%02d", year, month),
            p.folderOf(row(null, LocalDate.of(year, month, 15), null)));
      }
    }
  }
}
