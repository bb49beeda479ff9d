package dev.intake.pipeline;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Pushes a run's figures to a Prometheus Pushgateway (job {@code intake}, grouped by {@code
 * dataset}), the way Prometheus watches batch jobs. Every run pushes {@code intake_run_success}
 * (1 or 0), {@code intake_run_timestamp_seconds} and {@code intake_run_duration_seconds}; a run
 * that got as far as its counts also {@code intake_run_rows{count}}, {@code
 * intake_run_rejected_rows{reason}}, {@code intake_run_stage_seconds{stage}} and {@code
 * intake_run_gates_breached}; a committed run {@code intake_last_success_timestamp_seconds} and
 * {@code intake_watermark_timestamp_seconds}, a failed one {@code
 * intake_last_failure_timestamp_seconds}. It pushes with POST, so the figures a run does not push
 * (the last success, after a failure) keep their values. A push that fails is one line through
 * the log, never a failed run.
 */
final class MetricsPush {
  static final int TIMEOUT_MILLIS = 10_000;
  private final URI address;

  MetricsPush(String url) {
    this.address = URI.create(url);
  }

  /** Pushes the figures of a run of {@code dataset} ({@code s} is null if it had none yet). */
  void push(String dataset, RunSummary s, long startedMillis, long nowMillis,
      Consumer<String> log) {
    PrometheusRegistry registry = new PrometheusRegistry();
    boolean succeeded = s != null && "succeeded".equals(s.status);
    gauge(registry, "intake_run_success", "1 if the last run committed, else 0")
        .set(succeeded ? 1 : 0);
    gauge(registry, "intake_run_timestamp_seconds", "When the last run ended (unix seconds)")
        .set(nowMillis / 1000.0);
    gauge(registry, "intake_run_duration_seconds", "Seconds the last run took, commit included")
        .set((nowMillis - startedMillis) / 1000.0);
    gauge(registry, succeeded ? "intake_last_success_timestamp_seconds"
        : "intake_last_failure_timestamp_seconds",
        succeeded ? "When the last committed run ended (unix seconds)"
            : "When the last failed run ended (unix seconds)").set(nowMillis / 1000.0);
    if (s != null) {
      Gauge rows = Gauge.builder().name("intake_run_rows")
          .help("The last run's records by what became of them").labelNames("count")
          .register(registry);
      Map<String, Long> counts = new java.util.LinkedHashMap<>();
      counts.put("read", s.read);
      counts.put("written", s.written);
      counts.put("superseded", s.superseded);
      counts.put("rejected", s.rejected);
      counts.put("deletions", s.deletions);
      counts.put("deleted", s.deleted);
      counts.forEach((k, v) -> rows.labelValues(k).set(v));
      if (!s.rejectedByReason.isEmpty()) {
        Gauge rejected = Gauge.builder().name("intake_run_rejected_rows")
            .help("The last run's rejected records by stage/reason").labelNames("reason")
            .register(registry);
        s.rejectedByReason.forEach((k, v) -> rejected.labelValues(k).set(v));
      }
      Gauge stages = Gauge.builder().name("intake_run_stage_seconds")
          .help("Seconds of each stage of the last run").labelNames("stage").register(registry);
      s.stageSeconds.forEach((k, v) -> stages.labelValues(k).set(v));
      gauge(registry, "intake_run_gates_breached", "Quality gates the last run breached")
          .set(s.breachedGates().size());
      if (succeeded && s.watermark != null) {
        gauge(registry, "intake_watermark_timestamp_seconds",
            "The dataset's watermark after the last committed run (unix seconds)")
            .set(java.time.Instant.parse(s.watermark).toEpochMilli() / 1000.0);
      }
    }
    try {
      PushGateway.builder()
          .scheme(Scheme.fromString(address.getScheme().toLowerCase(java.util.Locale.ROOT)))
          .address(address.getHost() + ":" + (address.getPort() < 0 ? 9091 : address.getPort()))
          .job("intake")
          .groupingKey("dataset", dataset)
          .registry(registry)
          .connectionFactory(url -> {
            HttpURLConnection c = (HttpURLConnection) url.openConnection();
            c.setConnectTimeout(TIMEOUT_MILLIS);
            c.setReadTimeout(TIMEOUT_MILLIS);
            return c;
          })
          .build()
          .pushAdd();
    } catch (IOException | RuntimeException e) {
      log.accept("metrics push to " + address + " failed (" + IntakeRun.rootMessage(e)
          + "); the run's outcome is unchanged");
    }
  }

  private static Gauge gauge(PrometheusRegistry registry, String name, String help) {
    return Gauge.builder().name(name).help(help).register(registry);
  }
}
