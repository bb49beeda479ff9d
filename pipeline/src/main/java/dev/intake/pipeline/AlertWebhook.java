package dev.intake.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Posts a run's alert to a webhook: a JSON object with a Slack-compatible {@code text} and the
 * run's fields (dataset, runId, status, error, counts, breached gates, the paths of its summary
 * and report), sent when the run failed or a gate was breached, never for a good run. A delivery
 * that fails (no answer within the timeout, a 429 or 5xx) is tried again after a growing pause,
 * up to {@code tries} times; what still fails is one line through the log and never fails the run.
 * The URL is a secret: it appears in no message, summary or file.
 */
final class AlertWebhook {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI uri;
  private final int tries;
  private final Duration timeout;
  private final long backoffMillis;

  AlertWebhook(String url, int tries, Duration timeout, long backoffMillis) {
    if (tries < 1) {
      throw new IllegalArgumentException("tries must be >= 1, but was " + tries);
    }
    this.uri = URI.create(url);
    this.tries = tries;
    this.timeout = timeout;
    this.backoffMillis = backoffMillis;
  }

  /** The defaults: 3 tries, 10 s each, pauses of 1 s then 2 s. */
  static AlertWebhook of(String url) {
    return new AlertWebhook(url, 3, Duration.ofSeconds(10), 1000);
  }

  /** Whether a run ending as {@code s} is alerted: it did not succeed, or a gate was breached. */
  static boolean alerts(RunSummary s) {
    return !"succeeded".equals(s.status) || !s.breachedGates().isEmpty();
  }

  /**
   * The message of a run: {@code s} when the run got that far, else only the dataset and the
   * error of a run that failed before it had a summary.
   */
  static String message(String dataset, RunSummary s, String error, String report) {
    ObjectNode m = JSON.createObjectNode();
    String status = s == null ? "failed" : s.status;
    List<RunSummary.GateResult> breached = s == null ? List.of() : s.breachedGates();
    StringBuilder text = new StringBuilder();
    text.append("succeeded".equals(status) ? ":warning: " : ":x: ").append("intake ")
        .append(dataset).append(s == null ? "" : " run " + s.runId).append(' ')
        .append("succeeded".equals(status) ? "committed with " + breached.size()
            + " breached gate(s)" : status);
    String why = s != null && s.error != null ? s.error : error;
    if (why != null) {
      text.append(": ").append(why);
    }
    for (RunSummary.GateResult g : breached) {
      text.append("\n• ").append(g.name).append(" (").append(g.action).append("): ")
          .append(g.detail);
    }
    if (s != null) {
      text.append(String.format(Locale.ROOT, "%nread %d, written %d, superseded %d, rejected %d",
          s.read, s.written, s.superseded, s.rejected));
    }
    if (report != null) {
      text.append("\nreport: ").append(report);
    }
    m.put("text", text.toString());
    m.put("dataset", dataset);
    m.put("runId", s == null ? null : s.runId);
    m.put("status", status);
    m.put("error", why);
    if (s != null) {
      ObjectNode counts = m.putObject("counts");
      counts.put("read", s.read);
      counts.put("written", s.written);
      counts.put("superseded", s.superseded);
      counts.put("rejected", s.rejected);
      counts.put("deletions", s.deletions);
      counts.put("deleted", s.deleted);
      m.put("startedAt", s.startedAt);
      m.put("finishedAt", s.finishedAt);
    }
    ArrayNode gates = m.putArray("gatesBreached");
    for (RunSummary.GateResult g : breached) {
      ObjectNode n = gates.addObject();
      n.put("name", g.name);
      n.put("kind", g.kind);
      n.put("action", g.action);
      n.put("bound", g.bound);
      if (g.figure != null) {
        n.put("figure", g.figure);
      }
      n.put("detail", g.detail);
    }
    m.put("report", report);
    m.put("summary", report == null ? null : report.replaceFirst("\\.html$", ".json"));
    return m.toString();
  }

  /** Posts {@code json}; a delivery that fails after every try is one line to {@code log}. */
  void post(String json, Consumer<String> log) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
    String last = null;
    for (int attempt = 1; attempt <= tries; attempt++) {
      if (attempt > 1 && !pause(backoffMillis << (attempt - 2))) {
        break;
      }
      try {
        HttpResponse<Void> answer = client.send(
            HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
            HttpResponse.BodyHandlers.discarding());
        int code = answer.statusCode();
        if (code / 100 == 2) {
          return;
        }
        last = "HTTP " + code;
        if (code != 429 && code < 500) {
          break;
        }
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        last = "interrupted";
        break;
      }
    }
    log.accept("alert webhook: the alert was not delivered (" + scrub(last) + "); the run's"
        + " outcome is unchanged");
  }

  /** Keeps the URL, and its host (which may carry a token), out of a message. */
  private String scrub(String message) {
    String out = message == null ? "no answer" : message.replace(uri.toString(), "<webhook>");
    return uri.getHost() == null ? out : out.replace(uri.getHost(), "<webhook host>");
  }

  private static boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
