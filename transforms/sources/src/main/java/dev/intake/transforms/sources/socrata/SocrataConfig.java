package dev.intake.transforms.sources.socrata;

import static dev.intake.transforms.model.Arguments.check;

import dev.intake.transforms.sources.http.RetryPolicy;
import dev.intake.transforms.sources.http.WindowTooLargeException;
import dev.intake.transforms.model.InputBounds;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a {@link SocrataClient} reads and how: the dataset, the field its windows filter on, paging,
 * timeouts and retries ({@link #retryPolicy()}). Immutable and serializable (it travels inside a
 * DoFn); built with {@link #builder()}, whose setters check their argument at once. It holds the
 * <em>name</em> of the environment variable with the app token, never the token.
 *
 * <p>Defaults: window field {@code :updated_at} in UTC, no token, {@link Paging#KEYSET} paging,
 * pages of 1000 rows, a 60 s request timeout, 8 retries per request within a budget of 100 per
 * client, backoff from 500 ms up to 30 s, at most 1000 pages per window.
 */
public final class SocrataConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How the pages of one window are requested. */
  public enum Paging {
    /**
     * {@code $order=<windowField>,:id} and, after each page, a {@code $where} that starts after
     * its last row: pages stay exact while the dataset changes and deep pages stay fast.
     */
    KEYSET,
    /** {@code $order=<windowField>,:id} with {@code $offset}: the fallback. */
    OFFSET
  }

  /** The largest {@code $limit} of SODA 2.0 endpoints. */
  public static final int MAX_PAGE_SIZE = 50_000;

  /** 202 is "still processing, retry"; 429 is throttling. */
  private static final Set<Integer> RETRYABLE = Set.of(202, 429, 500, 502, 503, 504);

  private static final Pattern FIELD = Pattern.compile(":?@?[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern RESOURCE = Pattern.compile("[A-Za-z0-9_-]+");

  private final String baseUrl;
  private final String resource;
  private final String tokenEnv;
  private final String windowField;
  private final ZoneId windowFieldZone;
  private final Paging paging;
  private final int pageSize;
  private final Duration requestTimeout;
  private final RetryPolicy retryPolicy;
  private final int maxPagesPerWindow;
  private final int maxPageBytes;
  private final String select;

  private SocrataConfig(Builder b) {
    this.baseUrl = b.baseUrl;
    this.resource = b.resource;
    this.tokenEnv = b.tokenEnv;
    this.windowField = b.windowField;
    this.windowFieldZone = b.windowFieldZone;
    this.paging = b.paging;
    this.pageSize = b.pageSize;
    this.requestTimeout = b.requestTimeout;
    this.retryPolicy = b.retryPolicy;
    this.maxPagesPerWindow = b.maxPagesPerWindow;
    this.maxPageBytes = b.maxPageBytes;
    this.select = b.select;
  }

  /** The {@code $select} of page requests: {@code :*,*} (every field) by default. */
  public String select() {
    return select;
  }

  /** A builder with the defaults; {@code baseUrl} and {@code resource} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, to change some of it. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The site, e.g. {@code https://data.sfgov.org}, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The dataset id, e.g. {@code vw6y-z8j6}. */
  public String resource() {
    return resource;
  }

  /** The name of the environment variable holding the app token, or null: no token. */
  public String tokenEnv() {
    return tokenEnv;
  }

  /** The field windows (and the caller's watermark) filter on, e.g. {@code :updated_at}. */
  public String windowField() {
    return windowField;
  }

  /** The zone in which the window bounds are written as floating timestamps; UTC by default. */
  public ZoneId windowFieldZone() {
    return windowFieldZone;
  }

  /** How pages are requested; {@link Paging#KEYSET} by default. */
  public Paging paging() {
    return paging;
  }

  /** Rows asked per page ({@code $limit}); 1000 by default, at most 50000. */
  public int pageSize() {
    return pageSize;
  }

  /** The longest one request may take, connecting to reading the last byte; 60 s by default. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Pages one window may have; a window with more fails with {@link WindowTooLargeException}. */
  public int maxPagesPerWindow() {
    return maxPagesPerWindow;
  }

  /** The largest answer body accepted, in bytes; 256 MiB by default. */
  public int maxPageBytes() {
    return maxPageBytes;
  }

  /**
   * The retries and backoff of the requester: Socrata's retryable statuses; 8 retries per request
   * within a budget of 100 per client (all threads together); backoff from 500 ms (doubled each
   * retry, with full jitter) up to 30 s, which also caps {@code Retry-After}.
   */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SocrataConfig c
        && baseUrl.equals(c.baseUrl)
        && resource.equals(c.resource)
        && Objects.equals(tokenEnv, c.tokenEnv)
        && windowField.equals(c.windowField)
        && windowFieldZone.equals(c.windowFieldZone)
        && paging == c.paging
        && pageSize == c.pageSize
        && requestTimeout.equals(c.requestTimeout)
        && retryPolicy.equals(c.retryPolicy)
        && maxPagesPerWindow == c.maxPagesPerWindow
        && maxPageBytes == c.maxPageBytes
        && select.equals(c.select);
  }

  @Override
  public int hashCode() {
    return Objects.hash(baseUrl, resource, tokenEnv, windowField, windowFieldZone, paging,
        pageSize, requestTimeout, retryPolicy, maxPagesPerWindow, maxPageBytes, select);
  }

  @Override
  public String toString() {
    return "SocrataConfig{" + baseUrl + "/resource/" + resource + ".json"
        + ", tokenEnv=" + tokenEnv
        + ", windowField=" + windowField + " (" + windowFieldZone + ")"
        + ", paging=" + paging
        + ", pageSize=" + pageSize
        + ", requestTimeout=" + requestTimeout
        + ", " + retryPolicy
        + ", maxPagesPerWindow=" + maxPagesPerWindow + "}";
  }

  /** Builds a {@link SocrataConfig}; each setter rejects a bad value with the setting's name. */
  public static final class Builder {
    private String baseUrl;
    private String resource;
    private String tokenEnv;
    private String windowField = ":updated_at";
    private ZoneId windowFieldZone = ZoneOffset.UTC;
    private Paging paging = Paging.KEYSET;
    private int pageSize = 1000;
    private Duration requestTimeout = Duration.ofSeconds(60);
    private RetryPolicy retryPolicy = RetryPolicy.defaults().withRetryableStatuses(RETRYABLE);
    private int maxPagesPerWindow = 1000;
    private int maxPageBytes = InputBounds.defaults().maxPageBytes();
    private String select = Soql.SELECT_ALL;

    private Builder() {}

    private Builder(SocrataConfig c) {
      baseUrl = c.baseUrl;
      resource = c.resource;
      tokenEnv = c.tokenEnv;
      windowField = c.windowField;
      windowFieldZone = c.windowFieldZone;
      paging = c.paging;
      pageSize = c.pageSize;
      requestTimeout = c.requestTimeout;
      retryPolicy = c.retryPolicy;
      maxPagesPerWindow = c.maxPagesPerWindow;
      maxPageBytes = c.maxPageBytes;
      select = c.select;
    }

    /**
     * Only these fields in page requests (e.g. the key, for a reconciliation); the window field
     * and {@code :id}, which paging reads, are added.
     */
    public Builder selectOnly(java.util.List<String> fields) {
      check(fields != null && !fields.isEmpty(), "fields must name at least one field");
      for (String f : fields) {
        check(FIELD.matcher(f).matches(), "a selected field must be a field name, but was %s", f);
      }
      java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(fields);
      all.add(windowField);
      all.add(Soql.ID);
      this.select = String.join(",", all);
      return this;
    }

    /** An {@code http} or {@code https} URL without user info, query or fragment. */
    public Builder baseUrl(String url) {
      check(url != null, "baseUrl must not be null");
      String trimmed = url.trim().replaceAll("/+$", "");
      URI uri;
      try {
        uri = new URI(trimmed);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("baseUrl must be a URL, but was " + url);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      check((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null,
          "baseUrl must be an http(s) URL such as https://data.sfgov.org, but was %s", url);
      // Credentials in a URL would end up in logs and exception messages.
      check(uri.getRawUserInfo() == null, "baseUrl must not contain user info");
      check(uri.getRawQuery() == null && uri.getRawFragment() == null,
          "baseUrl must not have a query or fragment, but was %s", url);
      this.baseUrl = trimmed;
      return this;
    }

    /** The dataset id, e.g. {@code vw6y-z8j6}. */
    public Builder resource(String id) {
      check(id != null && RESOURCE.matcher(id).matches(),
          "resource must be a dataset id such as vw6y-z8j6, but was %s", id);
      this.resource = id;
      return this;
    }

    /** The environment variable with the app token; null: send no token. */
    public Builder tokenEnv(String name) {
      check(name == null || ENV_NAME.matcher(name).matches(),
          "tokenEnv must name an environment variable, but was %s", name);
      this.tokenEnv = name;
      return this;
    }

    /** A field name ({@code :updated_at}, {@code updated_datetime}); it is written into SoQL. */
    public Builder windowField(String field) {
      check(field != null && FIELD.matcher(field).matches(),
          "windowField must be a field name such as :updated_at, but was %s", field);
      this.windowField = field;
      return this;
    }

    /**
     * The zone of the window field's values: UTC for system fields such as {@code :updated_at};
     * the publisher's zone (e.g. America/Los_Angeles) for a floating timestamp column.
     */
    public Builder windowFieldZone(ZoneId zone) {
      check(zone != null, "windowFieldZone must not be null");
      this.windowFieldZone = zone;
      return this;
    }

    public Builder paging(Paging paging) {
      check(paging != null, "paging must not be null");
      this.paging = paging;
      return this;
    }

    public Builder pageSize(int rows) {
      check(rows > 0, "pageSize must be > 0, but was %s", rows);
      check(rows <= MAX_PAGE_SIZE, "pageSize must be <= %s, but was %s", MAX_PAGE_SIZE, rows);
      this.pageSize = rows;
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      check(timeout != null && !timeout.isNegative() && !timeout.isZero(),
          "requestTimeout must be > 0, but was %s", timeout);
      this.requestTimeout = timeout;
      return this;
    }

    /** Retries of one request before giving up; 8 by default. */
    public Builder maxRetriesPerRequest(int retries) {
      this.retryPolicy = retryPolicy.withMaxRetriesPerRequest(retries);
      return this;
    }

    /** Retries one client may spend over its life, all threads together; 100 by default. */
    public Builder retryBudget(int retries) {
      this.retryPolicy = retryPolicy.withRetryBudget(retries);
      return this;
    }

    /** Retries per request sent above the {@link #retryBudget} floor; 0 (fixed) by default. */
    public Builder retryShare(double share) {
      this.retryPolicy = retryPolicy.withRetryShare(share);
      return this;
    }

    /** The backoff before the first retry (doubled each retry, with full jitter); 500 ms. */
    public Builder backoffBase(Duration base) {
      this.retryPolicy = retryPolicy.withBackoffBase(base);
      return this;
    }

    /** The longest wait before a retry, also capping {@code Retry-After}; 30 s by default. */
    public Builder backoffMax(Duration max) {
      this.retryPolicy = retryPolicy.withBackoffMax(max);
      return this;
    }

    /** The largest answer body accepted, in bytes. */
    public Builder maxPageBytes(int bytes) {
      check(bytes > 0, "maxPageBytes must be > 0, but was %s", bytes);
      this.maxPageBytes = bytes;
      return this;
    }

    public Builder maxPagesPerWindow(int pages) {
      check(pages > 0, "maxPagesPerWindow must be > 0, but was %s", pages);
      this.maxPagesPerWindow = pages;
      return this;
    }

    /** The configuration; fails if {@code baseUrl} or {@code resource} was not set. */
    public SocrataConfig build() {
      check(baseUrl != null, "baseUrl is required");
      check(resource != null, "resource is required");
      return new SocrataConfig(this);
    }
  }
}
