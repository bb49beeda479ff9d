package dev.intake.transforms.sources.socrata;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.sources.ApiSource;
import dev.intake.transforms.sources.ApiTuning;
import dev.intake.transforms.sources.MapSpecSection;
import dev.intake.transforms.sources.SourceType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finding {@code socrata} through ServiceLoader and reading a spec's source section with it. */
class SocrataSourceTypeTest {
  /** type on line 2, domain 3, resource 4, tokenEnv 5, format 6, windowField 7, pageSize 8. */
  private static final MapSpecSection SF311 = MapSpecSection.of(
      "type", "socrata",
      "domain", "data.sfgov.org",
      "resource", "vw6y-z8j6",
      "tokenEnv", "SOCRATA_APP_TOKEN",
      "format", "soda-json",
      "windowField", ":updated_at",
      "pageSize", 5000);

  private static SourceType socrata() {
    return ServiceLoader.load(SourceType.class).stream().map(ServiceLoader.Provider::get)
        .filter(t -> t.name().equals("socrata")).findFirst().orElseThrow();
  }

  @Test
  void serviceLoaderFindsTheSocrataType() {
    assertThat(socrata(), instanceOf(SocrataSourceType.class));
  }

  @Test
  void aFullSectionConfiguresTheSource() {
    ApiSource source = socrata().configure(SF311);
    assertThat(source.type(), is("socrata"));
    assertThat(source.format(), is("soda-json"));
    assertThat(source.secretEnvs(), contains("SOCRATA_APP_TOKEN"));
    SocrataConfig config = ((SocrataSource) source).config(ApiTuning.defaults());
    assertThat(config.baseUrl(), is("https://data.sfgov.org"));
    assertThat(config.resource(), is("vw6y-z8j6"));
    assertThat(config.windowField(), is(":updated_at"));
    assertThat(config.pageSize(), is(5000));
    assertThat(config.tokenEnv(), is("SOCRATA_APP_TOKEN"));
  }

  @Test
  void tokenEnvAndPageSizeAreOptional() {
    ApiSource source = socrata().configure(SF311.with("tokenEnv", null).with("pageSize", null));
    assertThat(source.secretEnvs(), empty());
    assertThat(((SocrataSource) source).config(ApiTuning.defaults()).pageSize(), is(1000));
  }

  @Test
  void theTuningComesBeforeTheSpec() {
    SocrataSource source = (SocrataSource) socrata().configure(SF311);
    SocrataConfig config = source.config(ApiTuning.defaults().withBaseUrl("http://127.0.0.1:9/")
        .withPageSize(7).withRequestTimeout(Duration.ofSeconds(3)).withRetryBudget(5)
        .withMaxPagesPerWindow(9));
    assertThat(config.baseUrl(), is("http://127.0.0.1:9"));
    assertThat(config.pageSize(), is(7));
    assertThat(config.requestTimeout(), is(Duration.ofSeconds(3)));
    assertThat(config.retryPolicy().retryBudget(), is(5));
    assertThat(config.maxPagesPerWindow(), is(9));
  }

  @Test
  void aPageSizeAboveSocratasLimitFromTheTuningIsRefused() {
    SocrataSource source = (SocrataSource) socrata().configure(SF311);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> source.prepare(ApiTuning.defaults().withPageSize(50_001), line -> {}));
    assertThat(e.getMessage(),
        is("pageSize must be at most 50000 (Socrata's largest $limit), but was 50001"));
  }

  static Stream<Arguments> badSections() {
    return Stream.of(
        Arguments.of(SF311.with("query", "x"), "test.yaml:9: unknown setting 'query' (known"
            + " here: type, domain, resource, tokenEnv, format, windowField, pageSize)"),
        Arguments.of(SF311.with("domain", null), "test.yaml:1: domain is required"),
        Arguments.of(SF311.with("resource", null), "test.yaml:1: resource is required"),
        Arguments.of(SF311.with("format", null), "test.yaml:1: format is required"),
        Arguments.of(SF311.with("windowField", null), "test.yaml:1: windowField is required"),
        Arguments.of(SF311.with("pageSize", 0),
            "test.yaml:8: pageSize must be a whole number between 1 and 50000"),
        Arguments.of(SF311.with("pageSize", 50_001),
            "test.yaml:8: pageSize must be a whole number between 1 and 50000"),
        Arguments.of(SF311.with("pageSize", "many"),
            "test.yaml:8: pageSize must be a whole number between 1 and 50000"),
        Arguments.of(SF311.with("domain", "https://data.sfgov.org/"), "test.yaml:3: domain must"
            + " be a host name such as data.sfgov.org, but was https://data.sfgov.org/"),
        Arguments.of(SF311.with("resource", "a/b"),
            "test.yaml:4: resource must be a dataset id such as vw6y-z8j6, but was a/b"),
        Arguments.of(SF311.with("tokenEnv", "MY-TOKEN"),
            "test.yaml:5: tokenEnv must name an environment variable, but was MY-TOKEN"),
        Arguments.of(SF311.with("windowField", "x; drop"), "test.yaml:7: windowField must be a"
            + " field name such as :updated_at, but was x; drop"));
  }

  @ParameterizedTest
  @MethodSource("badSections")
  void aBadSectionFailsNamingTheLineAndTheSetting(MapSpecSection section, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> socrata().configure(section));
    assertThat(e.getMessage(), is(message));
  }

  @Test
  void aSourceSurvivesJavaSerialization() throws Exception {
    ApiSource source = socrata().configure(SF311);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(source);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject(), is(source));
    }
  }
}
