package dev.intake.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where a run reports itself: an alert webhook and a Prometheus Pushgateway. */
public interface MonitoringOptions extends PipelineOptions {
  @Description(
      "URL that gets a JSON message (Slack-compatible 'text' plus the run's fields) when a run "
          + "fails or a quality gate is breached; a secret, never printed or stored. Prefer "
          + "--alertWebhookEnv. Default: none")
  String getAlertWebhook();

  void setAlertWebhook(String value);

  @Description(
      "Name of the environment variable holding the alert webhook's URL (e.g. "
          + "INTAKE_ALERT_WEBHOOK). Default: none")
  String getAlertWebhookEnv();

  void setAlertWebhookEnv(String value);

  @Description(
      "Prometheus Pushgateway that gets each run's counts, durations and watermark, job 'intake',"
          + " grouped by dataset (e.g. http://pushgateway:9091). Default: none")
  String getMetricsPushUrl();

  void setMetricsPushUrl(String value);
}
