package dev.intake.transforms.sources.socrata;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.intake.transforms.sources.http.ApiRequest;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SocrataSoqlTest {
  @ParameterizedTest
  @CsvSource({
    "2021-07-10T23:00:07Z,           UTC,                 2021-07-10T23:00:07.000",
    "2021-07-10T23:00:07.123Z,       UTC,                 2021-07-10T23:00:07.123",
    "2021-07-10T23:00:07.123000001Z, UTC,                 2021-07-10T23:00:07.124",
    "2021-07-10T23:59:59.9999Z,      UTC,                 2021-07-11T00:00:00.000",
    "2021-07-10T23:00:07Z,           America/Los_Angeles, 2021-07-10T16:00:07.000",
    "2021-01-10T23:00:07Z,           America/Los_Angeles, 2021-01-10T15:00:07.000",
  })
  void floatingLiteralsAreWrittenInTheFieldsZoneRoundedUpToTheMillisecond(
      String instant, String zone, String literal) {
    assertThat(Soql.floating(Instant.parse(instant), ZoneId.of(zone)), is(literal));
  }

  @Test
  void literalsDoubleTheirQuotes() {
    assertThat(Soql.literal("O'Farrell"), is("'O''Farrell'"));
  }

  @Test
  void windowAndKeysetConditionsReadAsSoql() {
    assertThat(Soql.window(":updated_at", "2021-07-10T00:00:00.000", "2021-07-11T00:00:00.000"),
        is(":updated_at >= '2021-07-10T00:00:00.000' AND :updated_at < '2021-07-11T00:00:00.000'"));
    assertThat(Soql.after(":updated_at", "2021-07-10T01:00:00.000Z", "row-a~b"),
        is("(:updated_at > '2021-07-10T01:00:00.000Z' OR (:updated_at = '2021-07-10T01:00:00.000Z'"
            + " AND :id > 'row-a~b'))"));
  }

  @Test
  void urlsKeepSoqlPunctuationReadableAndEncodeTheRest() {
    HttpUrl resource = HttpUrl.get("https://data.sfgov.org/resource/vw6y-z8j6.json");
    HttpUrl url = Soql.url(resource, Soql.params("$select", ":*,*",
        "$where", "a >= 'x+y' AND b < '1&2'", "$limit", "5"));
    assertThat(url.toString(), is("https://data.sfgov.org/resource/vw6y-z8j6.json"
        + "?$select=:*,*&$where=a%20%3E%3D%20%27x%2By%27%20AND%20b%20%3C%20%271%262%27&$limit=5"));
    assertThat(url.queryParameter("$where"), is("a >= 'x+y' AND b < '1&2'"));
    assertThat(ApiRequest.readable(url), is("https://data.sfgov.org/resource/vw6y-z8j6.json"
        + "?$select=:*,*&$where=a >= 'x+y' AND b < '1&2'&$limit=5"));
  }

  @Test
  void theEpochIsAFloatingLiteralToo() {
    assertThat(Soql.floating(Instant.EPOCH, ZoneOffset.UTC), is("1970-01-01T00:00:00.000"));
  }
}
