package dev.intake.pipeline.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Prometheus Pushgateway ({@code /usr/bin/prometheus-pushgateway}, Debian's package, which
 * {@code .ci/ensure-tools.sh} installs) started on 127.0.0.1 on a free port, without persistence,
 * and read back through its {@code /metrics}.
 */
public final class Pushgateway implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/prometheus-pushgateway");
  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  public Pushgateway(Path log) throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is missing: run .ci/ensure-tools.sh (apt-get"
          + " install prometheus-pushgateway)");
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    process = new ProcessBuilder(BINARY.toString(), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("the Pushgateway did not start; see " + log);
      }
      Thread.sleep(100);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Everything {@code /metrics} shows. */
  public String metrics() throws IOException, InterruptedException {
    return get("/metrics").body();
  }

  /**
   * The value of the series {@code name} of job intake and dataset sf311 whose labels include
   * {@code label} (e.g. {@code count="written"}, or "" for none), or null when it is absent.
   */
  public Double value(String name, String label) throws IOException, InterruptedException {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$")
        .matcher(metrics());
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("dataset=\"sf311\"") && labels.contains("job=\"intake\"")
          && labels.contains(label)) {
        return Double.parseDouble(m.group(2));
      }
    }
    return null;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
