package dev.intake.runners.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A standalone Flink 1.19 session cluster on 127.0.0.1: one JobManager and {@code n} TaskManagers,
 * each a separate JVM started from the Maven Central jars in {@code lib} (what {@code
 * bin/jobmanager.sh} and {@code bin/taskmanager.sh} would start, without flink-dist). Every port is
 * free-chosen and every socket bound to 127.0.0.1. {@link #close} stops the processes.
 */
public final class FlinkCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  // What Flink's scripts pass on Java 17 (env.java.opts.all of the 1.19 distribution).
  private static final List<String> JAVA_17_OPENS =
      List.of(
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED");

  private final Path lib;
  private final Path dir;
  private final int taskManagers;
  private final int slots;
  private final List<ChildProcess> processes = new ArrayList<>();
  private int restPort;
  private int attempt;

  private FlinkCluster(Path lib, Path dir, int taskManagers, int slots) {
    this.lib = lib;
    this.dir = dir;
    this.taskManagers = taskManagers;
    this.slots = slots;
  }

  /**
   * Starts the cluster in {@code dir} (configuration, logs, temporary files) and returns once the
   * REST API reports {@code taskManagers} registered TaskManagers.
   */
  public static FlinkCluster start(Path lib, Path dir, int taskManagers, int slotsPerTaskManager)
      throws IOException, InterruptedException {
    FlinkCluster cluster = launch(lib, dir, taskManagers, slotsPerTaskManager);
    cluster.awaitTaskManagers();
    return cluster;
  }

  /**
   * Starts the cluster's processes and returns at once; {@link #awaitTaskManagers} waits until they
   * are ready, so the caller can do other work while the JVMs start.
   */
  public static FlinkCluster launch(Path lib, Path dir, int taskManagers, int slotsPerTaskManager)
      throws IOException, InterruptedException {
    if (!Files.isDirectory(lib)) {
      throw new IllegalStateException(lib + " is missing; mvn process-test-resources copies it");
    }
    FlinkCluster cluster = new FlinkCluster(lib, dir, taskManagers, slotsPerTaskManager);
    cluster.startProcesses();
    return cluster;
  }

  private void startProcesses() throws IOException, InterruptedException {
    attempt++;
    restPort = Ports.free();
    Path conf = dir.resolve("conf");
    Path log = dir.resolve("log");
    configure(slots);
    String classpath = lib.toAbsolutePath() + "/*";
    try {
      List<String> jm = new ArrayList<>(List.of(ChildProcess.java(), "-Xmx512m", "-Xms512m"));
      jm.addAll(JAVA_17_OPENS);
      jm.addAll(
          List.of(
              "-Dlog.file=" + log.resolve("jobmanager.log"),
              "-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri(),
              "-cp",
              classpath,
              "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
              "--configDir",
              conf.toString()));
      processes.add(
          ChildProcess.start("Flink JobManager", jm, dir, Map.of(), log.resolve("jobmanager.out")));
      for (int i = 0; i < taskManagers; i++) {
        // Heap = framework + task heap, direct = framework + task off-heap + network, as
        // taskmanager.sh derives them from the memory settings in flink-conf.yaml.
        List<String> tm =
            new ArrayList<>(
                List.of(
                    ChildProcess.java(),
                    "-Xmx512m",
                    "-Xms512m",
                    "-XX:MaxDirectMemorySize=384m",
                    "-XX:MaxMetaspaceSize=256m"));
        tm.addAll(JAVA_17_OPENS);
        tm.addAll(
            List.of(
                "-Dlog.file=" + log.resolve("taskmanager-" + i + ".log"),
                "-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri(),
                "-cp",
                classpath,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                "--configDir",
                conf.toString()));
        processes.add(
            ChildProcess.start(
                "Flink TaskManager " + i,
                tm,
                dir,
                Map.of(),
                log.resolve("taskmanager-" + i + ".out")));
      }
    } catch (IOException | RuntimeException e) {
      stopProcesses();
      throw e;
    }
  }

  /**
   * Returns once every TaskManager has registered with the JobManager; fails with the cluster's
   * logs if a process died. A port taken between choosing and binding it (by another process on the
   * machine) costs one restart with fresh ports.
   */
  public void awaitTaskManagers() throws IOException, InterruptedException {
    try {
      Await.until(
          taskManagers + " TaskManager(s) registered at " + restUrl(),
          Duration.ofSeconds(120),
          this::checkAlive,
          () -> registeredTaskManagers() == taskManagers);
    } catch (IllegalStateException e) {
      stopProcesses();
      if (attempt == 1 && e.getMessage().contains("Address already in use")) {
        startProcesses();
        awaitTaskManagers();
        return;
      }
      throw e;
    } catch (InterruptedException e) {
      stopProcesses();
      throw e;
    }
  }

  private void configure(int slots) throws IOException {
    Files.createDirectories(dir.resolve("conf"));
    if (Files.isDirectory(dir.resolve("log"))) {
      Files.move(dir.resolve("log"), dir.resolve("log-attempt-" + (attempt - 1)));
    }
    Files.createDirectories(dir.resolve("log"));
    Files.createDirectories(dir.resolve("tmp"));
    Map<String, String> c = new LinkedHashMap<>();
    c.put("jobmanager.rpc.address", "127.0.0.1");
    c.put("jobmanager.rpc.port", String.valueOf(Ports.free()));
    c.put("jobmanager.bind-host", "127.0.0.1");
    c.put("taskmanager.bind-host", "127.0.0.1");
    c.put("taskmanager.host", "127.0.0.1");
    c.put("rest.address", "127.0.0.1");
    c.put("rest.bind-address", "127.0.0.1");
    c.put("rest.port", String.valueOf(restPort));
    c.put("blob.server.port", String.valueOf(Ports.free()));
    c.put("taskmanager.numberOfTaskSlots", String.valueOf(slots));
    c.put("parallelism.default", "1");
    c.put("jobmanager.memory.process.size", "1024m");
    // A TaskManager started without taskmanager.sh needs what that script would inject: the
    // cores and every memory component (and then not taskmanager.memory.process.size).
    c.put("taskmanager.cpu.cores", String.valueOf(slots));
    c.put("taskmanager.memory.framework.heap.size", "128m");
    c.put("taskmanager.memory.task.heap.size", "384m");
    c.put("taskmanager.memory.framework.off-heap.size", "128m");
    c.put("taskmanager.memory.task.off-heap.size", "0m");
    c.put("taskmanager.memory.network.min", "256m");
    c.put("taskmanager.memory.network.max", "256m");
    // A blocking result partition of a batch job asks for 512 buffers by default; Beam's jobs
    // hold several at once.
    c.put("taskmanager.network.sort-shuffle.min-buffers", "64");
    c.put("taskmanager.memory.managed.size", "128m");
    c.put("taskmanager.memory.jvm-metaspace.size", "256m");
    c.put("taskmanager.memory.jvm-overhead.min", "192m");
    c.put("taskmanager.memory.jvm-overhead.max", "192m");
    c.put("io.tmp.dirs", dir.resolve("tmp").toString());
    c.put("web.tmpdir", dir.resolve("tmp").toString());
    c.put("heartbeat.timeout", "60000");
    // A TaskManager that comes up before the JobManager retries after this many ms (default 10 s).
    c.put("cluster.registration.error-delay", "1000");
    c.put("cluster.registration.refused-registration-delay", "1000");
    StringBuilder yaml = new StringBuilder();
    c.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
    Files.writeString(dir.resolve("conf/flink-conf.yaml"), yaml);
    // append=true: the RPC system's class loader initialises log4j a second time.
    Files.writeString(
        dir.resolve("conf/log4j.properties"),
        String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.file.ref = MainAppender",
            "appender.main.name = MainAppender",
            "appender.main.type = File",
            "appender.main.append = true",
            "appender.main.fileName = ${sys:log.file}",
            "appender.main.layout.type = PatternLayout",
            "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
            ""));
  }

  /** {@code 127.0.0.1:<rest port>}, the value of {@code --flinkMaster}. */
  public String master() {
    return "127.0.0.1:" + restPort;
  }

  public String restUrl() {
    return "http://127.0.0.1:" + restPort;
  }

  public Path dir() {
    return dir;
  }

  /** GETs a path of the REST API ({@code /jobs/overview}) as JSON. */
  public JsonNode get(String path) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(restUrl() + path))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + restUrl() + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private int registeredTaskManagers() {
    try {
      return get("/overview").path("taskmanagers").asInt(-1);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private void checkAlive() {
    for (ChildProcess p : processes) {
      if (!p.isAlive()) {
        String logs;
        try {
          logs = logs();
        } catch (IOException e) {
          logs = "(cannot read the logs: " + e + ")";
        }
        throw new IllegalStateException(p + " exited; the cluster's logs:\n" + logs);
      }
    }
  }

  /** The last lines of every process's log, for failure messages. */
  public String logs() throws IOException {
    StringBuilder sb = new StringBuilder();
    try (var files = Files.list(dir.resolve("log"))) {
      for (Path p : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(p);
        sb.append("--- ").append(p).append('\n');
        lines
            .subList(Math.max(0, lines.size() - 30), lines.size())
            .forEach(l -> sb.append(l).append('\n'));
      }
    }
    return sb.toString();
  }

  private void stopProcesses() throws InterruptedException {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    processes.clear();
  }

  @Override
  public void close() throws InterruptedException {
    stopProcesses();
  }
}
