package dev.intake.testdata.bench;

import dev.intake.testdata.socrata.FakeSocrataServer;
import dev.intake.testdata.http.RecordedRequest;
import dev.intake.testdata.socrata.SocrataDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures windowed API extraction against the Socrata test server with a fixed latency per
 * response: the same range read as one sequential window, then as daily windows with several
 * requests in flight. Each run is a real {@code intake run} (a separate JVM from the deployable
 * jar); the extraction time is taken from the server's request log (first page request to last
 * answer), and the run's wall time is printed too.
 *
 * <pre>
 * java -cp testdata/target/intake-testdata-0.1.0-SNAPSHOT.jar \
 *     dev.intake.testdata.bench.ApiWindowsBenchmark [--jar=runners/target/intake.jar] \
 *     [--days=8] [--rowsPerDay=1000] [--pageSize=100] [--latencyMs=100] [--concurrency=8]
 * </pre>
 */
public final class ApiWindowsBenchmark {
  private ApiWindowsBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("jar", "runners/target/intake.jar");
    a.put("days", "8");
    a.put("rowsPerDay", "1000");
    a.put("pageSize", "100");
    a.put("latencyMs", "100");
    a.put("concurrency", "8");
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      if (kv.length != 2 || !a.containsKey(kv[0])) {
        throw new IllegalArgumentException("unknown argument " + arg + "; known: " + a.keySet());
      }
      a.put(kv[0], kv[1]);
    }
    if (!Files.isRegularFile(Path.of(a.get("jar")))) {
      System.err.println("no " + a.get("jar") + "; build it: mvn -B -q package -DskipTests");
      System.exit(2);
    }
    int days = Integer.parseInt(a.get("days"));
    int perDay = Integer.parseInt(a.get("rowsPerDay"));
    Instant start = Instant.parse("2021-07-01T00:00:00Z");
    try (FakeSocrataServer server = new FakeSocrataServer().start()) {
      SocrataDataset data = server.addDataset("vw6y-z8j6");
      long id = 20_000_000L;
      for (int d = 0; d < days; d++) {
        for (int i = 0; i < perDay; i++) {
          server.setNow(start.plus(Duration.ofDays(d)).plusSeconds(i * 60L));
          data.upsert(row(id++, server.now()));
        }
      }
      server.latency(Duration.ofMillis(Long.parseLong(a.get("latencyMs"))));
      String to = start.plus(Duration.ofDays(days)).toString();
      System.out.printf(Locale.ROOT, "%d rows over %d days, pages of %s rows, %s ms per response%n",
          days * perDay, days, a.get("pageSize"), a.get("latencyMs"));
      System.out.printf(Locale.ROOT, "%-44s %9s %14s %10s%n", "run", "requests", "extraction s", "wall s");
      double sequential = run(server, a, "P" + days + "D", 1, to, "one sequential window");
      double windowed = run(server, a, "P1D", Integer.parseInt(a.get("concurrency")), to,
          "daily windows, " + a.get("concurrency") + " requests in flight");
      System.out.printf(Locale.ROOT, "speed-up of extraction: %.1fx%n", sequential / windowed);
    }
  }

  private static double run(FakeSocrataServer server, Map<String, String> a, String window,
      int concurrency, String to, String label) throws IOException, InterruptedException {
    Path lake = Files.createTempDirectory("intake-api-bench");
    server.clearRequests();
    long started = System.nanoTime();
    Process p =
        new ProcessBuilder(
                "java", "-Xmx2g", "-jar", a.get("jar"), "run", "--dataset=sf311",
                "--lakePath=" + lake.resolve("lake"), "--apiBaseUrl=" + server.baseUrl(),
                "--from=2021-07-01", "--to=" + to, "--window=" + window,
                "--maxConcurrentRequests=" + concurrency, "--pageSize=" + a.get("pageSize"),
                "--maxPagesPerWindow=100000")
            .redirectErrorStream(true)
            .redirectOutput(lake.resolve("run.log").toFile())
            .start();
    int exit = p.waitFor();
    double wall = (System.nanoTime() - started) / 1e9;
    if (exit != 0) {
      System.err.println(label + ": intake exited " + exit + "; see " + lake.resolve("run.log"));
      System.exit(1);
    }
    List<RecordedRequest> pages =
        server.requests(r -> r.param("$where") != null && r.param("$where").contains(">="));
    Instant first = pages.get(0).receivedAt();
    Instant last = pages.get(pages.size() - 1).receivedAt();
    double extraction =
        Duration.between(first, last).toMillis() / 1000.0 + Long.parseLong(a.get("latencyMs")) / 1000.0;
    System.out.printf(Locale.ROOT, "%-44s %9d %14.2f %10.1f%n", label, pages.size(), extraction, wall);
    return extraction;
  }

  private static Map<String, Object> row(long id, Instant updated) {
    String local = updated.toString().replace("Z", "").substring(0, 19) + ".000";
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("service_request_id", Long.toString(id));
    r.put("requested_datetime", local);
    r.put("updated_datetime", local);
    r.put("status_description", "Open");
    r.put("service_name", "Street and Sidewalk Cleaning");
    r.put("service_subtype", "Bulky Items");
    r.put("agency_responsible", "DPW Ops Queue");
    r.put("address", "100 MARKET ST, SAN FRANCISCO, CA, 94105");
    r.put("lat", "37.7936");
    r.put("long", "-122.3965");
    r.put("source", "Web");
    return r;
  }
}
