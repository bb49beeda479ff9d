package dev.intake.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;

/**
 * Options for Flink embedded in this JVM, with every socket bound to 127.0.0.1 and its off-heap
 * memory capped. Left alone, Beam sizes the embedded Flink's managed memory as 0.4 of the free heap
 * at start-up, on top of the heap; here managed and network memory are fixed sizes, so the
 * process's peak RSS is about -Xmx + managed + network + the JVM's own (metaspace, code, threads).
 */
public final class EmbeddedFlink {
  /** Managed memory (sorts and hash tables of grouping steps) unless told otherwise: 256 MiB. */
  public static final long DEFAULT_MANAGED_BYTES = 256L << 20;
  /** Network memory (buffers between tasks) unless told otherwise: 64 MiB. */
  public static final long DEFAULT_NETWORK_BYTES = 64L << 20;

  private EmbeddedFlink() {}

  /** {@link #configure(FlinkPipelineOptions, long, long)} with the default memory sizes. */
  public static void configure(FlinkPipelineOptions flink) {
    configure(flink, DEFAULT_MANAGED_BYTES, DEFAULT_NETWORK_BYTES);
  }

  /**
   * Sets the runner to embedded Flink with a configuration that binds 127.0.0.1 (Flink's own
   * default binds the blob server to every interface) and gives it {@code managedBytes} of managed
   * and {@code networkBytes} of network memory, and parallelism to the number of cores unless one
   * was given. A configuration directory the user gave (--flinkConfDir) is used as it is.
   */
  public static void configure(FlinkPipelineOptions flink, long managedBytes, long networkBytes) {
    flink.setRunner(FlinkRunner.class);
    flink.setFlinkMaster("[local]");
    if (flink.getFlinkConfDir() == null) {
      flink.setFlinkConfDir(localConfDir(managedBytes, networkBytes).toString());
    }
    if (flink.getParallelism() <= 0) {
      flink.setParallelism(Runtime.getRuntime().availableProcessors());
    }
  }

  private static Path localConfDir(long managedBytes, long networkBytes) {
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
              "taskmanager.memory.managed.size: " + managedBytes + "b",
              "taskmanager.memory.network.min: " + networkBytes + "b",
              "taskmanager.memory.network.max: " + networkBytes + "b",
              ""));
      conf.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedded Flink configuration", e);
    }
  }
}
