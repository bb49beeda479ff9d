package dev.intake.transforms.sources.socrata;

import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.sources.ApiSource;
import dev.intake.transforms.sources.ApiTuning;
import dev.intake.transforms.sources.SourceAccessException;
import dev.intake.transforms.sources.TimeWindow;
import dev.intake.transforms.sources.WindowCounter;
import dev.intake.transforms.sources.http.ApiException;
import dev.intake.transforms.sources.http.RawPage;
import dev.intake.transforms.sources.http.ReadApiPages;
import dev.intake.transforms.sources.http.ReadRawPages;
import dev.intake.transforms.sources.http.RecordSelector;
import dev.intake.transforms.sources.http.Sleeper;
import dev.intake.transforms.sources.http.WindowFetcher;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * A Socrata dataset as a spec's {@code source} section names it ({@link SocrataSourceType}): the
 * site's domain, the dataset id, the window field, the default page size, and optionally the
 * environment variable holding an app token. Immutable and serializable.
 *
 * <p>{@link #prepare} builds the client configuration (base URL: the tuning's, else {@code
 * https://<domain>}; page size: the tuning's, else the spec's, at most 50000; timeout, retry
 * budget, pages per window and requests in flight: the tuning's) and checks access with one
 * request. The app token is optional at Socrata: when {@code tokenEnv} names a variable that is
 * not set, the run reads without a token and says so through the log; a variable that is set but
 * empty or unusable fails the check.
 */
public final class SocrataSource implements ApiSource {
  private static final long serialVersionUID = 1L;

  private final String domain;
  private final String resource;
  private final String tokenEnv;
  private final String format;
  private final String windowField;
  private final int pageSize;

  /** Arguments as {@link SocrataSourceType} checked them; {@code tokenEnv} null: no token. */
  SocrataSource(String domain, String resource, String tokenEnv, String format,
      String windowField, int pageSize) {
    this.domain = domain;
    this.resource = resource;
    this.tokenEnv = tokenEnv;
    this.format = format;
    this.windowField = windowField;
    this.pageSize = pageSize;
  }

  @Override
  public String type() {
    return SocrataSourceType.NAME;
  }

  @Override
  public String format() {
    return format;
  }

  @Override
  public List<String> secretEnvs() {
    return tokenEnv == null ? List.of() : List.of(tokenEnv);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the tuning's page size is above 50000 or its base URL is
   *     not an http(s) URL
   */
  @Override
  public ApiSource.Prepared prepare(ApiTuning tuning, Consumer<String> log) {
    return prepare(tuning, log, System::getenv);
  }

  /** For tests: the environment the token is looked up in is given. */
  ApiSource.Prepared prepare(ApiTuning tuning, Consumer<String> log,
      UnaryOperator<String> environment) {
    Objects.requireNonNull(tuning, "tuning must not be null");
    Objects.requireNonNull(log, "log must not be null");
    SocrataConfig config = config(tuning);
    if (tokenEnv != null && environment.apply(tokenEnv) == null) {
      // The token is optional at Socrata: without it requests share a throttled pool.
      log.accept(tokenEnv + " is not set: reading without an app token, in Socrata's shared, "
          + "throttled pool");
      config = config.toBuilder().tokenEnv(null).build();
    }
    try (SocrataClient client =
        SocrataClient.create(config, environment, Sleeper.REAL, Clock.systemUTC())) {
      client.checkAccess();
    } catch (ApiException e) {
      throw new SourceAccessException(e.getMessage(), e.kind() == ApiException.Kind.GAVE_UP);
    }
    return new Tuned(config, tuning.maxConcurrentRequests());
  }

  /** The client configuration for {@code tuning}, before the token is looked at. */
  SocrataConfig config(ApiTuning tuning) {
    int rows = tuning.pageSize() != null ? tuning.pageSize() : pageSize;
    if (rows > SocrataConfig.MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("pageSize must be at most " + SocrataConfig.MAX_PAGE_SIZE
          + " (Socrata's largest $limit), but was " + rows);
    }
    return SocrataConfig.builder()
        .baseUrl(tuning.baseUrl() != null ? tuning.baseUrl() : "https://" + domain)
        .resource(resource)
        .tokenEnv(tokenEnv)
        .windowField(windowField)
        .pageSize(rows)
        .requestTimeout(tuning.requestTimeout())
        .retryBudget(tuning.retryBudget())
        .retryShare(tuning.retryShare())
        .maxPagesPerWindow(tuning.maxPagesPerWindow())
        .maxPageBytes(tuning.maxPageBytes())
        .build();
  }

  @Override
  public PTransform<PBegin, PCollection<SourceRecord>> replay(List<RawPage> pages) {
    return ReadRawPages.of(pages, RecordSelector.rootArray());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SocrataSource s && domain.equals(s.domain) && resource.equals(s.resource)
        && Objects.equals(tokenEnv, s.tokenEnv) && format.equals(s.format)
        && windowField.equals(s.windowField) && pageSize == s.pageSize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(domain, resource, tokenEnv, format, windowField, pageSize);
  }

  @Override
  public String toString() {
    return "SocrataSource{" + domain + " " + resource + " " + windowField + ", pageSize="
        + pageSize + ", tokenEnv=" + tokenEnv + ", format=" + format + "}";
  }

  /** The source checked for one run. */
  private static final class Tuned implements ApiSource.Prepared {
    private static final long serialVersionUID = 1L;

    private final SocrataConfig config;
    private final int maxConcurrentRequests;

    Tuned(SocrataConfig config, int maxConcurrentRequests) {
      this.config = config;
      this.maxConcurrentRequests = maxConcurrentRequests;
    }

    @Override
    public String describe() {
      return config.baseUrl() + " " + config.resource() + " " + config.windowField();
    }

    /** {@code $select} of the key fields, windows on {@code rangeField}, keyset paged. */
    @Override
    public PTransform<PBegin, PCollection<SourceRecord>> readKeys(List<String> keyFields,
        String rangeField, java.time.ZoneId zone, List<TimeWindow> windows, String rawDirectory) {
      SocrataConfig keys = config.toBuilder().windowField(rangeField).windowFieldZone(zone)
          .selectOnly(keyFields).build();
      return ReadApiPages.of(new Clients(keys), windows, rawDirectory)
          .withMaxConcurrentRequests(maxConcurrentRequests);
    }

    @Override
    public PTransform<PBegin, PCollection<SourceRecord>> read(List<TimeWindow> windows,
        String rawDirectory) {
      return ReadApiPages.of(new Clients(config), windows, rawDirectory)
          .withMaxConcurrentRequests(maxConcurrentRequests);
    }

    /** A client that counts with {@code $select=count(*)} and the window's {@code $where}. */
    @Override
    public WindowCounter counter() {
      return SocrataClient.create(config);
    }
  }

  /** Opens a {@link SocrataClient} on a worker, reading the token there. */
  private static final class Clients implements WindowFetcher.Factory {
    private static final long serialVersionUID = 1L;

    private final SocrataConfig config;

    Clients(SocrataConfig config) {
      this.config = config;
    }

    @Override
    public WindowFetcher open() {
      return SocrataClient.create(config);
    }
  }
}
