package dev.intake.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How the dataset's API is read in API backfills and incremental runs. */
public interface ApiOptions extends PipelineOptions {
  @Description(
      "Start of the range to read from the API, inclusive: an ISO-8601 instant or date in UTC "
          + "(e.g. 2024-01-01 or 2024-01-01T06:00:00Z). Required for an API backfill; in "
          + "incremental mode it replaces the stored watermark.")
  String getFrom();

  void setFrom(String value);

  @Description(
      "End of the range to read from the API, exclusive (e.g. 2024-02-01). Default: now.")
  String getTo();

  void setTo(String value);

  @Description("Length of one window of the range, read in parallel, as an ISO-8601 duration "
      + "(e.g. P1D, PT6H). Default: P1D")
  @Default.String("P1D")
  String getWindow();

  void setWindow(String value);

  @Description("How far before the stored watermark an incremental run starts, to catch late "
      + "updates, as an ISO-8601 duration (e.g. PT1H). Default: PT1H")
  @Default.String("PT1H")
  String getLookback();

  void setLookback(String value);

  @Description("Most API requests in flight at once per worker process (e.g. 8). Default: 4")
  @Default.Integer(4)
  Integer getMaxConcurrentRequests();

  void setMaxConcurrentRequests(Integer value);

  @Description("Most pages read from one window; a window that has more is split in two and read "
      + "again (e.g. 100). Default: 100")
  @Default.Integer(100)
  Integer getMaxPagesPerWindow();

  void setMaxPagesPerWindow(Integer value);

  @Description("Rows per API page, within what the source allows (e.g. 1000). Default: the spec's.")
  Integer getPageSize();

  void setPageSize(Integer value);

  @Description("Base URL of the API (e.g. https://data.sfgov.org). Default: https:// and the "
      + "spec's source domain.")
  String getApiBaseUrl();

  void setApiBaseUrl(String value);

  @Description("Seconds to wait for one API response before retrying it (e.g. 60). Default: 60")
  @Default.Integer(60)
  Integer getRequestTimeoutSeconds();

  void setRequestTimeoutSeconds(Integer value);

  @Description("Most retries of failed API requests one worker process may spend in a run "
      + "(e.g. 100). Default: 100")
  @Default.Integer(100)
  Integer getRetryBudget();

  void setRetryBudget(Integer value);

  @Description("Most API requests per minute one worker process sends, a client-side limit on top "
      + "of the server's 429s (e.g. 200). Default: the spec's rateLimit, if any.")
  Integer getRequestsPerMinute();

  void setRequestsPerMinute(Integer value);
}
