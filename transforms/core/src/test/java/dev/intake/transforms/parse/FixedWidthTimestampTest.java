package dev.intake.transforms.parse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.joda.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FixedWidthTimestampTest {
  private static final List<String> ZONES =
      List.of("America/Los_Angeles", "UTC", "Europe/Paris", "Australia/Lord_Howe");

  @ParameterizedTest
  @ValueSource(strings = {
      "MM/dd/yyyy hh:mm:ss a", "yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss",
      "yyyy-MM-dd HH:mm", "dd.MM.uuuu HH:mm:ss", "yyyyMMddHHmmss", "hh:mm a, MM/dd/yyyy"})
  void readsTheTextOfEveryPatternAsItsFormatterDoes(String pattern) {
    assertThat(FixedWidthTimestamp.of(pattern), is(notNullValue()));
    DateTimeFormatter writer = DateTimeFormatter.ofPattern(pattern, Locale.US);
    Random random = new Random(pattern.hashCode());
    for (String zone : ZONES) {
      TimestampParser quick = new TimestampParser(List.of(pattern), zone);
      TimestampParser formatter = new TimestampParser(List.of(pattern), zone, false);
      for (String text : texts(writer, random, ZoneId.of(zone))) {
        assertEquals(formatter.parse(text), quick.parse(text), () -> text + " in " + zone);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "yyyy-MM-dd'T'HH:mm:ssXXX", "M/d/yyyy HH:mm", "yyyy-MM-dd HH:mm VV", "yy-MM-dd HH:mm",
      "yyyy-MM-dd hh:mm", "yyyy-MM-dd HH:mm a", "yyyy-MM-dd", "yyyy-MM-dd[ HH:mm]",
      "yyyy-MM-dd HH:mm:ss.SS", "EEE yyyy-MM-dd HH:mm", "yyyy-MM-dd''HH:mm", "yyyy-MM-dd HH:mm:HH"})
  void leavesPatternsOfVariableWidthOrWithAZoneToTheFormatter(String pattern) {
    assertThat(FixedWidthTimestamp.of(pattern), is(nullValue()));
  }

  @Test
  void givesTheExportsInstantsAndIsUnsureOfAnythingElse() {
    FixedWidthTimestamp export = FixedWidthTimestamp.of("MM/dd/yyyy hh:mm:ss a");
    ZoneId la = ZoneId.of("America/Los_Angeles");

    // PDT (UTC-7): 2019-03-16T05:05:00Z; 12 AM is midnight; the autumn overlap takes PDT.
    assertThat(export.parse("03/15/2019 10:05:00 PM", la), is(1552712700000L));
    assertThat(export.parse("01/02/2019 12:30:00 AM", la), is(1546417800000L));
    assertThat(export.parse("11/03/2019 01:30:00 AM", la), is(1572769800000L));
    for (String unsure : List.of("02/30/2019 10:00:00 AM", "02/29/2019 10:00:00 AM",
        "13/01/2019 10:00:00 AM", "02/03/2019 13:00:00 PM", "02/03/2019 00:00:00 AM",
        "02/03/2019 10:00:00 am", "2/3/2019 10:00:00 AM", "02/03/2019 10:00:60 AM",
        "02-03-2019 10:00:00 AM", "02/03/2019 1O:00:00 AM", "")) {
      assertThat(unsure, export.parse(unsure, la), is(FixedWidthTimestamp.UNSURE));
    }
  }

  /**
   * Texts of {@code writer}'s pattern: times around every hour of random days (DST changes
   * included: every March, October and November day of a few years), and each with one character
   * changed, to a digit, a letter or a separator, and with one left out.
   */
  private static List<String> texts(DateTimeFormatter writer, Random random, ZoneId zone) {
    List<String> out = new ArrayList<>();
    List<LocalDateTime> times = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      times.add(LocalDateTime.of(1900 + random.nextInt(250), 1 + random.nextInt(12),
          1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60),
          random.nextInt(1000) * 1_000_000));
    }
    for (int year : new int[] {2000, 2019, 2024}) {
      for (int month : new int[] {3, 4, 10, 11}) {
        for (int day = 1; day <= 31; day += 1) {
          for (int hour : new int[] {0, 1, 2, 3, 12, 23}) {
            if (day <= java.time.YearMonth.of(year, month).lengthOfMonth()) {
              times.add(LocalDateTime.of(year, month, day, hour, 30, 15));
            }
          }
        }
      }
    }
    times.add(LocalDateTime.of(2020, 2, 29, 0, 0));
    times.add(LocalDateTime.of(0, 1, 1, 0, 0));
    String changes = "0123456789/:-. ATPMamx";
    for (LocalDateTime t : times) {
      String text = writer.format(t);
      out.add(text);
      int at = random.nextInt(text.length());
      char c = changes.charAt(random.nextInt(changes.length()));
      out.add(text.substring(0, at) + c + text.substring(at + 1));
      out.add(text.substring(0, at) + text.substring(at + 1));
    }
    return out;
  }
}
