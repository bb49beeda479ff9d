package dev.intake.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;

/** Options for Flink embedded in this JVM, with every socket bound to 127.0.0.1. */
public final class EmbeddedFlink {
  private EmbeddedFlink() {}

  /**
   * Sets the runner to embedded Flink with a configuration that binds 127.0.0.1 (Flink's own
   * default binds the blob server to every interface), and parallelism to the number of cores
   * unless one was given.
   */
  public static void configure(FlinkPipelineOptions flink) {
    flink.setRunner(FlinkRunner.class);
    flink.setFlinkMaster("[local]");
    if (flink.getFlinkConfDir() == null) {
      flink.setFlinkConfDir(localConfDir().toString());
    }
    if (flink.getParallelism() <= 0) {
      flink.setParallelism(Runtime.getRuntime().availableProcessors());
    }
  }

  private static Path localConfDir() {
    try {
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
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedded Flink configuration", e);
    }
  }
}
