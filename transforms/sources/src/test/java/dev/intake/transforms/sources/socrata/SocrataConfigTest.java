package dev.intake.transforms.sources.socrata;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SocrataConfigTest {
  private static SocrataConfig.Builder minimal() {
    return SocrataConfig.builder().baseUrl("https://data.sfgov.org/").resource("vw6y-z8j6");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    SocrataConfig c = minimal().build();
    assertThat(c.baseUrl(), is("https://data.sfgov.org"));
    assertThat(c.resource(), is("vw6y-z8j6"));
    assertThat(c.tokenEnv(), nullValue());
    assertThat(c.windowField(), is(":updated_at"));
    assertThat(c.windowFieldZone(), is(ZoneOffset.UTC));
    assertThat(c.paging(), is(SocrataConfig.Paging.KEYSET));
    assertThat(c.pageSize(), is(1000));
    assertThat(c.requestTimeout(), is(Duration.ofSeconds(60)));
    assertThat(c.retryPolicy().maxRetriesPerRequest(), is(8));
    assertThat(c.retryPolicy().retryBudget(), is(100));
    assertThat(c.retryPolicy().backoffBase(), is(Duration.ofMillis(500)));
    assertThat(c.retryPolicy().backoffMax(), is(Duration.ofSeconds(30)));
    assertThat(c.maxPagesPerWindow(), is(1000));
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of((UnaryOperator<SocrataConfig.Builder>) b -> b.pageSize(0),
            "pageSize must be > 0, but was 0"),
        Arguments.of((UnaryOperator<SocrataConfig.Builder>) b -> b.pageSize(50_001),
            "pageSize must be <= 50000, but was 50001"),
        Arguments.of((UnaryOperator<SocrataConfig.Builder>) b -> b.requestTimeout(Duration.ZERO),
            "requestTimeout must be > 0, but was PT0S"),
        Arguments.of((UnaryOperator<SocrataConfig.Builder>) b -> b.maxRetriesPerRequest(-1),
            "maxRetriesPerRequest must be >= 0, but was -1"),
        Arguments.of((UnaryOperator<SocrataConfig.Builder>) b -> b.retryBudget(-2),
            "retryBudget must be >= 0, but was -2"),
        Arguments.of((UnaryOperator<SocrataConfig.Builder>) b -> b.backoffBase(Duration.ZERO),
            "backoffBase must be > 0, but was PT0S"),
        Arguments.of(
            (UnaryOperator<SocrataConfig.Builder>) b -> b.backoffMax(Duration.ofSeconds(-1)),
            "backoffMax must be > 0, but was PT-1S"),
        Arguments.of((UnaryOperator<SocrataConfig.Builder>) b -> b.maxPagesPerWindow(0),
            "maxPagesPerWindow must be > 0, but was 0"),
        Arguments.of((UnaryOperator<SocrataConfig.Builder>) b -> b.windowField("x; drop"),
            "windowField must be a field name such as :updated_at, but was x; drop"),
        Arguments.of((UnaryOperator<SocrataConfig.Builder>) b -> b.tokenEnv("MY-TOKEN"),
            "tokenEnv must name an environment variable, but was MY-TOKEN"),
        Arguments.of((UnaryOperator<SocrataConfig.Builder>) b -> b.resource("a/b"),
            "resource must be a dataset id such as vw6y-z8j6, but was a/b"),
        Arguments.of((UnaryOperator<SocrataConfig.Builder>) b -> b.baseUrl("ftp://x.org"),
            "baseUrl must be an http(s) URL such as https://data.sfgov.org, but was ftp://x.org"),
        Arguments.of(
            (UnaryOperator<SocrataConfig.Builder>) b -> b.baseUrl("https://me:pw@x.org"),
            "baseUrl must not contain user info"),
        Arguments.of((UnaryOperator<SocrataConfig.Builder>) b -> b.baseUrl("https://x.org?a=1"),
            "baseUrl must not have a query or fragment, but was https://x.org?a=1"),
        Arguments.of((UnaryOperator<SocrataConfig.Builder>) b -> b.windowFieldZone(null),
            "windowFieldZone must not be null"));
  }

  @ParameterizedTest
  @MethodSource("badSettings")
  void aBadSettingIsRejectedWithItsName(UnaryOperator<SocrataConfig.Builder> set,
      String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> set.apply(minimal()));
    assertThat(e.getMessage(), is(message));
  }

  @Test
  void baseUrlAndResourceAreRequired() {
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> SocrataConfig.builder().resource("vw6y-z8j6").build()).getMessage(),
        is("baseUrl is required"));
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> SocrataConfig.builder().baseUrl("https://x.org").build()).getMessage(),
        is("resource is required"));
  }

  @Test
  void survivesJavaSerializationAndToBuilderKeepsEverything() throws Exception {
    SocrataConfig c = minimal().tokenEnv("SOCRATA_APP_TOKEN").windowField("updated_datetime")
        .windowFieldZone(ZoneId.of("America/Los_Angeles")).paging(SocrataConfig.Paging.OFFSET)
        .pageSize(50_000).requestTimeout(Duration.ofSeconds(5)).maxRetriesPerRequest(0)
        .retryBudget(0).backoffBase(Duration.ofMillis(1)).backoffMax(Duration.ofMillis(2))
        .maxPagesPerWindow(1).build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject(), equalTo(c));
    }
    assertThat(c.toBuilder().build(), equalTo(c));
    assertThat(c.toBuilder().pageSize(7).build().pageSize(), is(7));
    assertThat(c.toString(), containsString("tokenEnv=SOCRATA_APP_TOKEN"));
  }
}
