package dev.intake.pipeline;

import dev.intake.options.IntakeOptions;
import dev.intake.options.OptionsValidation;
import dev.intake.pipeline.storage.S3Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Chooses the runner when the user did not: embedded Flink. The DirectRunner holds every collection
 * in memory, so it cannot carry a million rows through a dedup (out of memory with -Xmx4g), though
 * with {@link #directRunnerBuckets} it carries 50,000 about as fast as embedded Flink; it stays
 * available with {@code --runner=DirectRunner}. Any other runner is
 * chosen by its options alone: {@code --runner=FlinkRunner --flinkMaster=host:port} for a Flink
 * cluster, {@code --runner=DataflowRunner} (in a build with the {@code dataflow} profile). Embedded
 * Flink gets a configuration that binds every socket to 127.0.0.1. Also applies the storage options
 * ({@link S3Storage}) and registers Beam's filesystems with the final options.
 */
final class RunnerChoice {
  private RunnerChoice() {}

  /**
   * Sets the runner if {@code explicit} is false; returns a line saying what runs the job. {@code
   * input} says how much the run reads, e.g. "input of 12.3 MB" or "an API read of 3 window(s)".
   */
  static String apply(PipelineOptions options, boolean explicit, String input)
      throws IOException {
    S3Storage.configure(options.as(IntakeOptions.class));
    String why;
    if (!explicit) {
      options.setRunner(FlinkRunner.class);
      options.as(FlinkPipelineOptions.class).setFlinkMaster("[local]");
      why =
          "the default, for " + input + " (--runner=DirectRunner for the in-memory runner)";
    } else {
      why = "as asked";
    }
    String name = options.getRunner().getSimpleName();
    if (options.getRunner() == FlinkRunner.class) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      String master = flink.getFlinkMaster();
      boolean embedded = master == null || master.equals("[local]") || master.equals("[auto]");
      if (embedded) {
        IntakeOptions intake = options.as(IntakeOptions.class);
        EmbeddedFlink.configure(flink,
            OptionsValidation.memorySize("--flinkManagedMemory", intake.getFlinkManagedMemory()),
            OptionsValidation.memorySize("--flinkNetworkMemory", intake.getFlinkNetworkMemory()));
        name = "FlinkRunner (embedded, parallelism " + flink.getParallelism() + ")";
      } else {
        name =
            "FlinkRunner (cluster "
                + master
                + ", parallelism "
                + (flink.getParallelism() > 0 ? flink.getParallelism() : "of the cluster")
                + ")";
      }
    }
    FileSystems.setDefaultPipelineOptions(options);
    return name + ", " + why;
  }

  /**
   * With {@code --runner=DirectRunner} in {@code args}, sets {@code --dedupBuckets} and {@code
   * --aggregateBuckets}, unless {@code args} give them, to the DirectRunner's {@code
   * --targetParallelism} (its worker threads; by default the cores, at least 3). The DirectRunner
   * hands each hash bucket downstream as its own bundle, and each of its grouping steps copies a
   * key's values gathered so far every time a bundle adds to them, so every later grouping (the
   * partitioned writes, the aggregates, the counts) costs about (bundles × rows / 2) copies: with
   * 512 buckets that was most of a 50,000-row load. A few buckets keep every step's bundles few
   * and still give each worker thread one.
   */
  static void directRunnerBuckets(IntakeOptions options, List<String> args) {
    if (!directRunner(args)) {
      return;
    }
    int workers = Math.max(1, options.as(DirectOptions.class).getTargetParallelism());
    if (!given(args, "--dedupBuckets")) {
      options.setDedupBuckets(workers);
    }
    if (!given(args, "--aggregateBuckets")) {
      options.setAggregateBuckets(workers);
    }
  }

  /**
   * {@code args} with the DirectRunner's per-element checks (--enforceImmutability,
   * --enforceEncodability) off unless given: they encode and decode every element at every step,
   * which is what makes a 50,000-row run take minutes; transforms' own tests keep them on.
   */
  static String[] withoutDirectRunnerChecks(String[] args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    if (!directRunner(all)) {
      return args;
    }
    for (String check : List.of("--enforceImmutability", "--enforceEncodability")) {
      if (!given(all, check)) {
        all.add(check + "=false");
      }
    }
    return all.toArray(new String[0]);
  }

  /**
   * {@code args} with Flink's object reuse on ({@code --objectReuse=true}) unless given or the
   * runner is the DirectRunner. Without it, Flink's batch runtime copies each element it hands
   * from one chained operator to the next, and a Beam element is copied by encoding and decoding
   * it: a 200,000-row load used 16-21% less CPU with it, the same rows written. It is safe for
   * Intake: no step changes an element it was given (Beam's rule), and Beam's coders decode into
   * new objects, so nothing a step keeps is overwritten.
   */
  static String[] withFlinkObjectReuse(String[] args) {
    List<String> all = Arrays.asList(args);
    if (directRunner(all) || given(all, "--objectReuse")) {
      return args;
    }
    String[] more = Arrays.copyOf(args, args.length + 1);
    more[args.length] = "--objectReuse=true";
    return more;
  }

  /** Whether {@code args} choose the DirectRunner ({@code --runner=DirectRunner} or its class). */
  private static boolean directRunner(List<String> args) {
    return args.stream().anyMatch(a -> a.startsWith("--runner=") && a.endsWith("DirectRunner"));
  }

  /** Whether {@code args} give {@code option}, as {@code --option} or {@code --option=value}. */
  private static boolean given(List<String> args, String option) {
    return args.stream().anyMatch(a -> a.equals(option) || a.startsWith(option + "="));
  }

  /**
   * Whether the job's steps run in this process (the DirectRunner, embedded Flink), so that what
   * they count in memory is seen here.
   */
  static boolean inProcess(PipelineOptions options) {
    String runner = options.getRunner().getSimpleName();
    if (runner.equals("DirectRunner")) {
      return true;
    }
    if (options.getRunner() == FlinkRunner.class) {
      String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
      return master == null || master.equals("[local]") || master.equals("[auto]");
    }
    return false;
  }
}
