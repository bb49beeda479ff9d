package dev.intake.transforms.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.util.SerializableUtils;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampParserTest {
  private static final String LA = "America/Los_Angeles";
  private static final String EXPORT = "MM/dd/yyyy hh:mm:ss a";
  private static final String API = "yyyy-MM-dd'T'HH:mm:ss.SSS";
  private static final String WITH_OFFSET = "yyyy-MM-dd'T'HH:mm:ssXXX";

  static Stream<Arguments> validTimestamps() {
    return Stream.of(
        // PDT (UTC-7): 2019-03-16T05:05:00Z
        Arguments.of(EXPORT, "03/15/2019 10:05:00 PM", 1552712700000L),
        // PST (UTC-8), 12 AM is midnight: 2019-01-02T08:30:00Z
        Arguments.of(EXPORT, "01/02/2019 12:30:00 AM", 1546417800000L),
        // PST: 2019-12-31T12:00:00Z
        Arguments.of(EXPORT, "12/31/2019 04:00:00 AM", 1577793600000L),
        // PDT, milliseconds kept: 2019-07-04T19:00:00.250Z
        Arguments.of(API, "2019-07-04T12:00:00.250", 1562266800250L),
        // Leap day 2020, PST: 2020-02-29T08:00:00Z
        Arguments.of(API, "2020-02-29T00:00:00.000", 1582963200000L),
        // An offset is taken as written, not as Los Angeles time.
        Arguments.of(WITH_OFFSET, "2020-06-07T03:40:05Z", 1591501205000L),
        Arguments.of(WITH_OFFSET, "2020-06-07T03:40:05+02:00", 1591494005000L),
        // A zone is taken as written too: 03:40:05 in Paris (CEST) is 01:40:05Z.
        Arguments.of(
            "yyyy-MM-dd'T'HH:mm:ss VV", "2020-06-07T03:40:05 Europe/Paris", 1591494005000L),
        // Autumn overlap: 01:30 happens twice; the earlier offset (PDT, UTC-7) wins, 08:30Z.
        Arguments.of(API, "2019-11-03T01:30:00.000", 1572769800000L));
  }

  @ParameterizedTest(name = "{1} with {0}")
  @MethodSource("validTimestamps")
  void parsesToExactUtcMillis(String pattern, String text, long epochMillis) {
    TimestampParser parser = new TimestampParser(List.of(pattern), LA);

    assertEquals(new Instant(epochMillis), parser.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "02/30/2019 10:00:00 AM",
        "02/29/2019 10:00:00 AM",
        "04/31/2019 10:00:00 AM",
        "13/01/2019 10:00:00 AM",
        "02/03/2019 13:00:00 PM",
        "02/03/2019 00:00:00 AM",
        "2/3/2019 10:00:00 AM",
        "02/03/2019 10:00:00",
        "2019-02-03T10:00:00.000",
        ""
      })
  void rejectsInvalidOrNonMatchingText(String text) {
    TimestampParser parser = new TimestampParser(List.of(EXPORT), LA);

    assertNull(parser.parse(text));
  }

  @Test
  void rejectsFebruary30InApiPatternInsteadOfRollingOver() {
    TimestampParser parser = new TimestampParser(List.of(API), LA);

    assertNull(parser.parse("2019-02-30T00:00:00.000"));
    assertNull(parser.parse("2019-02-29T00:00:00.000"));
  }

  @Test
  void triesPatternsInOrder() {
    TimestampParser parser = new TimestampParser(List.of(API, "yyyy-MM-dd'T'HH:mm:ss", EXPORT), LA);

    assertEquals(new Instant(1562266800250L), parser.parse("2019-07-04T12:00:00.250"));
    assertEquals(new Instant(1562266800000L), parser.parse("2019-07-04T12:00:00"));
    assertEquals(new Instant(1552712700000L), parser.parse("03/15/2019 10:05:00 PM"));
    assertNull(parser.parse("2019-07-04 12:00:00"));
  }

  @Test
  void sameLocalTimeInAnotherZoneIsAnotherInstant() {
    TimestampParser utc = new TimestampParser(List.of(API), "UTC");

    assertEquals(new Instant(1562241600250L), utc.parse("2019-07-04T12:00:00.250"));
  }

  @Test
  void parsesAfterSerialization() {
    TimestampParser parser = SerializableUtils.clone(new TimestampParser(List.of(EXPORT), LA));

    assertEquals(new Instant(1552712700000L), parser.parse("03/15/2019 10:05:00 PM"));
  }

  @Test
  void requiresAPattern() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new TimestampParser(List.of(), LA));
    assertEquals("at least one timestamp pattern is required", e.getMessage());
  }
}
