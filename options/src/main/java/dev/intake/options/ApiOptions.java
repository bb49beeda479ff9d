package dev.intake.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How the dataset's API is read in API backfills and incremental runs. */
public interface ApiOptions extends PipelineOptions {
  @Description(
      "Start of the range to read from the API, inclusive: an ISO-8601 instant or date, UTC "
          + "when no zone is given (e.g. 2024-01-01, 2024-01-01T06:00:00 or 2024-01-01T06:00:00Z). Required for an API backfill; in "
          + "incremental mode it replaces the stored watermark.")
  String getFrom();

  void setFrom(String value);

  @Description(
      "End of the range to read from the API, exclusive (e.g. 2024-02-01). Default: now.")
  String getTo();

  void setTo(String value);

  @Description("Finest range the window planner counts down to, as an ISO-8601 duration (e.g. "
      + "P1D, PT6H): for a source that can count, ranges are halved only while they hold more "
      + "than --rowsPerWindow rows and are longer than this; for one that cannot, the length of "
      + "each window read in parallel. Default: P1D")
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

  @Description("Least number of retries of failed API requests one worker process may spend in "
      + "a run, whatever it sent: the floor of the budget (e.g. 100). Default: 100")
  @Default.Integer(100)
  Integer getRetryBudget();

  void setRetryBudget(Integer value);

  @Description("Most API requests per minute one worker process sends, a client-side limit on top "
      + "of the server's 429s (e.g. 200). Default: the spec's rateLimit, if any.")
  Integer getRequestsPerMinute();

  void setRequestsPerMinute(Integer value);
  @Description("Retries per API request sent that one worker process may spend above the "
      + "--retryBudget floor (e.g. 0.5: one retry for every two requests). Default: 0.5")
  @Default.Double(0.5)
  Double getRetryShare();

  void setRetryShare(Double value);

  @Description("Most rows the window planner puts in one window of a source that can count "
      + "(e.g. 50000); keep it below --maxPagesPerWindow times the page size. Default: 50000")
  @Default.Integer(50000)
  Integer getRowsPerWindow();

  void setRowsPerWindow(Integer value);
}
