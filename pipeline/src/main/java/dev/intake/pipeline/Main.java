package dev.intake.pipeline;

import dev.intake.options.IntakeOptions;
import dev.intake.options.InvalidOptionsException;
import dev.intake.pipeline.cli.Commands;
import dev.intake.pipeline.cli.HelpText;
import dev.intake.pipeline.spec.SpecException;
import dev.intake.transforms.sinks.warehouse.SchemaMismatchException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The command line: {@code intake run --dataset=sf311 --inputFile=… [options]} (a bare {@code intake
 * --dataset=…} is {@code run}), and the commands of {@link Commands}: {@code datasets}, {@code
 * validate-spec}, {@code runs}, {@code status}, {@code help}. Exit codes: {@value #COMMITTED} the
 * run committed (the command did its work); {@value #FAILED} the run failed and nothing changed
 * (also an outage, or another run holding the dataset's lock); {@value #USAGE} bad usage (options,
 * spec, input paths and headers, credentials); {@value #INCOMPLETE} the commit is incomplete (it
 * failed after the lake's partitions were swapped; the next run completes it). Errors are one line
 * on stderr; {@code INTAKE_DEBUG=1} adds the stack trace. The libraries' log lines are off unless
 * {@code --verbose} is given.
 */
public final class Main {
  public static final int COMMITTED = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int INCOMPLETE = 3;

  private Main() {}

  public static void main(String[] args) {
    if (Arrays.stream(args).anyMatch(a -> a.equals("--verbose") || a.equals("--verbose=true"))) {
      Logging.verbose();
    }
    System.exit(run(args, System.out, System.err, Progress.forTerminal(System.err)));
  }

  /** Runs the command and returns its exit code; progress goes to {@code err} as log lines. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, line -> err.println("intake: " + line));
  }

  static int run(String[] args, PrintStream out, PrintStream err, ProgressReport.Sink progress) {
    if (args.length == 0) {
      err.print(HelpText.overview());
      return USAGE;
    }
    String first = args[0];
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (first.equals("--help") || first.equals("-h")
        || (first.equals("help") && rest.isEmpty())) {
      out.print(HelpText.overview());
      out.println();
      out.print(HelpText.run());
      return COMMITTED;
    }
    if (Commands.has(first)) {
      return Commands.run(first, rest, out, err);
    }
    String[] runArgs = args;
    if (first.equals("run")) {
      runArgs = rest.toArray(String[]::new);
    } else if (!first.startsWith("--")) {
      err.println("intake: error: unknown command '" + first + "' (usage: intake run --dataset=… "
          + "--inputFile=…; intake help lists the commands)");
      return USAGE;
    }
    return runDataset(runArgs, out, err, progress);
  }

  private static int runDataset(String[] rest, PrintStream out, PrintStream err,
      ProgressReport.Sink progress) {
    PipelineOptionsFactory.register(IntakeOptions.class);
    PipelineOptionsFactory.register(org.apache.beam.sdk.io.aws2.options.S3Options.class);
    if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
      out.print(HelpText.run());
      return COMMITTED;
    }
    boolean runnerExplicit = Arrays.stream(rest).anyMatch(a -> a.startsWith("--runner="));
    rest = RunnerChoice.withFlinkObjectReuse(RunnerChoice.withoutDirectRunnerChecks(rest));
    IntakeOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(rest).as(IntakeOptions.class);
      RunnerChoice.directRunnerBuckets(options, Arrays.asList(rest));
    } catch (IllegalArgumentException e) {
      err.println("intake: error: " + explainBadOption(rest, e));
      debug(e, err);
      return USAGE;
    }
    try {
      options.setJobName("intake-" + options.getDataset());
      RunSummary summary = IntakeRun.execute(options, runnerExplicit,
          line -> err.println("intake: " + line), progress);
      out.print(summary.toText());
      return COMMITTED;
    } catch (InvalidOptionsException | SpecException | SchemaMismatchException e) {
      err.println("intake: error: " + e.getMessage());
      debug(e, err);
      return USAGE;
    } catch (IllegalArgumentException e) {
      err.println("intake: error: " + IntakeRun.rootMessage(e));
      debug(e, err);
      return USAGE;
    } catch (CommitIncompleteException e) {
      err.println("intake: commit incomplete: " + e.getMessage());
      debug(e, err);
      return INCOMPLETE;
    } catch (RunFailedException e) {
      err.println("intake: run failed: " + e.getMessage());
      debug(e, err);
      return FAILED;
    } catch (Exception e) {
      err.println("intake: run failed: " + IntakeRun.rootMessage(e));
      debug(e, err);
      return FAILED;
    }
  }

  /** Names the argument that Beam's option parser refused, and why, on one line. */
  static String explainBadOption(String[] args, IllegalArgumentException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    java.util.regex.Matcher unknown =
        java.util.regex.Pattern.compile("missing a property named '([^']+)'").matcher(message);
    if (unknown.find()) {
      return "unknown option --" + unknown.group(1) + " (intake --help lists the options)";
    }
    for (String arg : args) {
      try {
        PipelineOptionsFactory.fromArgs(arg).as(IntakeOptions.class);
      } catch (IllegalArgumentException one) {
        String why = one.getMessage() == null ? "" : one.getMessage().lines().findFirst().orElse("");
        return arg + " is not a valid value: " + why.replaceFirst(" from String .*: ", ": ");
      }
    }
    return message.lines().findFirst().orElse(message);
  }

  private static void debug(Exception e, PrintStream err) {
    if (System.getenv("INTAKE_DEBUG") != null) {
      e.printStackTrace(err);
    }
  }
}
