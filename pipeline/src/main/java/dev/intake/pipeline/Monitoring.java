package dev.intake.pipeline;

import dev.intake.options.MonitoringOptions;
import java.util.function.Consumer;

/**
 * What a run tells the outside when it ends: the alert webhook ({@link AlertWebhook}, on a failure
 * or a breached gate) and the Pushgateway ({@link MetricsPush}, every run), each when its option
 * is set. The webhook's URL is taken out of the options before the pipeline is built, so that it
 * never travels with them to the runner. Neither can change the run's outcome.
 */
final class Monitoring {
  private final AlertWebhook webhook;
  private final MetricsPush metrics;
  private final Consumer<String> log;
  private final long startedMillis = System.currentTimeMillis();
  private String dataset;
  private String report;
  /** The run's summary, once it has one. */
  RunSummary summary;

  private Monitoring(AlertWebhook webhook, MetricsPush metrics, String dataset,
      Consumer<String> log) {
    this.webhook = webhook;
    this.metrics = metrics;
    this.dataset = dataset;
    this.log = log;
  }

  /** Reads (and removes from {@code options}) the webhook's URL, and the Pushgateway's. */
  static Monitoring of(MonitoringOptions options, Consumer<String> log) {
    String url = options.getAlertWebhookEnv() != null
        ? System.getenv(options.getAlertWebhookEnv())
        : options.getAlertWebhook();
    options.setAlertWebhook(null);
    return new Monitoring(url == null ? null : AlertWebhook.of(url),
        options.getMetricsPushUrl() == null ? null : new MetricsPush(options.getMetricsPushUrl()),
        datasetOf(options), log);
  }

  private static String datasetOf(MonitoringOptions options) {
    String name = options.as(dev.intake.options.IntakeOptions.class).getDataset();
    return name == null ? "unknown" : name;
  }

  /** The run has its dataset's name and the path of its report. */
  void planned(RunPlan plan) {
    dataset = plan.spec.name();
    report = plan.lake.runSummary(plan.runId).replaceFirst("\\.json$", ".html");
  }

  /** The run ended as {@code s} (null if it failed before it had a summary), with {@code error}. */
  void finished(RunSummary s, String error) {
    if (metrics != null) {
      metrics.push(dataset, s, startedMillis, System.currentTimeMillis(), log);
    }
    if (webhook != null && (s == null || AlertWebhook.alerts(s))) {
      webhook.post(AlertWebhook.message(dataset, s, error, report), log);
    }
  }
}
