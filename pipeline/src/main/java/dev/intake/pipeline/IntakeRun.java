package dev.intake.pipeline;

import dev.intake.options.IntakeOptions;
import dev.intake.options.InvalidOptionsException;
import dev.intake.options.OptionsValidation;
import dev.intake.pipeline.report.RunReports;
import dev.intake.pipeline.steps.Outputs;
import dev.intake.transforms.model.RunProgress;
import dev.intake.transforms.sinks.lake.LakeFile;
import dev.intake.transforms.sinks.lake.LakeFiles;
import dev.intake.transforms.sinks.lake.LakeLayout;
import dev.intake.transforms.sinks.warehouse.RunLock;
import dev.intake.transforms.sinks.warehouse.Warehouse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Instant;

/**
 * The lifecycle of one run: plan (check options, spec and input; finish or clean up earlier runs),
 * run the pipeline into the run's staging folder, check the counts, then commit. A run that fails
 * anywhere before the commit changes nothing visible except its own run summary.
 */
public final class IntakeRun {
  private IntakeRun() {}

  /**
   * Runs the job. {@code runnerExplicit} says whether the user chose the runner. Throws {@link
   * InvalidOptionsException} or a spec error for bad input before anything is written, {@link
   * RunFailedException} for a run that changed nothing (it failed, was refused, or another run
   * holds the dataset's lock), and {@link CommitIncompleteException} for a commit that stopped
   * after it began to publish.
   */
  public static RunSummary execute(
      IntakeOptions options, boolean runnerExplicit, Consumer<String> log) throws IOException {
    return execute(options, runnerExplicit, log, log::accept);
  }

  /**
   * As {@link #execute(IntakeOptions, boolean, Consumer)}, showing progress on {@code progress};
   * alerts and metrics ({@link Monitoring}) follow the run's end, the run report is written first.
   */
  static RunSummary execute(IntakeOptions options, boolean runnerExplicit, Consumer<String> log,
      ProgressReport.Sink progress) throws IOException {
    OptionsValidation.validate(options);
    Monitoring monitoring = Monitoring.of(options, log);
    try {
      RunSummary summary = reported(options, runnerExplicit, log, monitoring, progress);
      monitoring.finished(summary, null);
      return summary;
    } catch (RunFailedException e) {
      if (e instanceof CommitIncompleteException && monitoring.summary != null) {
        monitoring.summary.status = "incomplete";
        monitoring.summary.error = e.getMessage();
      }
      monitoring.finished(monitoring.summary, e.getMessage());
      throw e;
    } catch (IOException | RuntimeException e) {
      monitoring.finished(monitoring.summary, rootMessage(e));
      throw e;
    }
  }

  /** Runs the plan, then writes the run's report page and the index, whatever the outcome. */
  private static RunSummary reported(IntakeOptions options, boolean runnerExplicit,
      Consumer<String> log, Monitoring monitoring, ProgressReport.Sink progress)
      throws IOException {
    RunPlan plan = RunPlan.of(options, log);
    monitoring.planned(plan);
    try {
      return execute(plan, options, runnerExplicit, log, monitoring, progress);
    } finally {
      if (options.getReport()) {
        RunReports.afterRun(plan.lake, plan.runId, log);
      }
    }
  }

  private static RunSummary execute(RunPlan plan, IntakeOptions options, boolean runnerExplicit,
      Consumer<String> log, Monitoring monitoring, ProgressReport.Sink progress)
      throws IOException {
    try (Warehouse warehouse = plan.connect();
        RunLock lock = plan.lock()) {
      RunCommit commit = new RunCommit(plan.outputs, warehouse, lock, log);
      recover(commit);
      RunSummary summary = plan.start(warehouse, commit, runnerExplicit);
      monitoring.summary = summary;
      Stages stages = new Stages(summary, plan.started.getMillis());
      stages.end("plan");
      String refusal = plan.emptyInput(summary);
      if (refusal == null) {
        try {
          PausePoints.pause("run.beforePipeline");
          RunTally tally;
          if (plan.changesNothing()) {
            summary.runner = "no runner (the input holds no records)";
            log.accept("the input holds no records: committing zero counts without a pipeline");
            tally = RunTally.none();
          } else {
            run(plan, warehouse, progress);
            if (plan.warehouse.dialect().embedded()) {
              releaseHeap();
            }
            PausePoints.pause("run.beforeCheck");
            // The clean files are counted from their footers, what the writers left on disk.
            LakeLayout.Staging staged = plan.lake.staging(plan.runId);
            tally = RunTally.read(staged.tallies())
                .withRows(Outputs.CLEAN, LakeFile.rowsIn(staged.clean() + "**.parquet"));
          }
          stages.end("pipeline");
          refusal = RunCheck.check(summary, tally, plan.spec, options.getMaxRejectedRatio(),
              plan.lake.deadLetters(plan.runId));
          if (refusal == null && plan.mode == OptionsValidation.Mode.RECONCILE) {
            refusal = RunCheck.deletions(summary, options.getMaxDeleteRatio());
          }
        } catch (RunCheck.Failed e) {
          throw failQuietly(commit, plan, summary, e.getMessage());
        }
        if (refusal == null) {
          String failedGate = QualityGates.check(summary, plan.spec.gates(),
              (count, runs) -> warehouse.recentCounts(plan.spec.name(), count, runs),
              System.currentTimeMillis());
          if (failedGate != null) {
            stages.end("check");
            throw failQuietly(commit, plan, summary, failedGate);
          }
        }
        stages.end("check");
      }
      if (refusal != null) {
        finish(summary, plan.started, "refused", refusal);
        commit.refuse(summary);
        throw new RunFailedException(refusal);
      }
      finish(summary, plan.started, "succeeded", null);
      PausePoints.pause("run.beforeCommit");
      try {
        commit.commit(summary);
      } catch (RunCommit.NotStarted e) {
        throw failQuietly(commit, plan, summary, "the commit did not start (" + e.getMessage()
            + "); nothing was changed; run intake again once that is fixed");
      } catch (IOException | SQLException | RuntimeException e) {
        throw incomplete("run " + plan.runId, e);
      }
      stages.end("commit");
      return summary;
    } catch (SQLException e) {
      throw new RunFailedException("warehouse " + plan.warehouse.url() + ": " + rootMessage(e));
    }
  }

  /** Adds each lifecycle stage's seconds to the summary as it ends. */
  private static final class Stages {
    private final RunSummary summary;
    private long last;

    Stages(RunSummary summary, long startedMillis) {
      this.summary = summary;
      this.last = startedMillis;
    }

    void end(String stage) {
      long now = System.currentTimeMillis();
      summary.stageSeconds.put(stage, (now - last) / 1000.0);
      last = now;
    }
  }

  /** Completes earlier runs' interrupted commits; one that fails again is still incomplete. */
  private static void recover(RunCommit commit) throws IOException, SQLException {
    try {
      commit.recover();
    } catch (RunCommit.Interrupted e) {
      throw incomplete("the interrupted run " + e.runId, e.getCause());
    }
  }

  private static CommitIncompleteException incomplete(String what, Throwable e) {
    return new CommitIncompleteException("the commit of " + what + " is incomplete ("
        + rootMessage(e) + "); the lake may already show its rows while the warehouse does not;"
        + " the next run of the dataset completes it");
  }

  /**
   * Gives the heap's free part back to the operating system before an embedded warehouse (DuckDB,
   * whose memory is native memory of this process) merges the run. A pipeline that ran in this
   * JVM (embedded Flink, the DirectRunner) leaves the heap committed up to -Xmx, and DuckDB's
   * memory would come on top of it: a 10M-row full load with -Xmx2g held 2.0 GB of heap and 1.3 GB
   * of DuckDB at its commit. A full collection lets G1 shrink the heap to its live data (within
   * -XX:MaxHeapFreeRatio), a few hundred MB once the pipeline is done; it takes well under a
   * second.
   */
  private static void releaseHeap() {
    System.gc();
  }

  /** Runs the pipeline; a failure is a {@link RunCheck.Failed} with the runner's reason. */
  private static void run(RunPlan plan, Warehouse warehouse, ProgressReport.Sink sink)
      throws RunCheck.Failed {
    Pipeline p = Pipeline.create(RunnerOptions.of(plan.options));
    IntakePipeline.build(p, plan.pipelineConfig(warehouse));
    PipelineResult.State state;
    String key = plan.progressKey();
    try (ProgressReport progress = ProgressReport.start(RunProgress.of(key),
        plan.progressTotals(),
        OptionsValidation.interval("--progressInterval", plan.options.getProgressInterval()),
        RunnerChoice.inProcess(plan.options), sink)) {
      state = p.run().waitUntilFinish();
    } catch (RuntimeException e) {
      throw new RunCheck.Failed("the pipeline failed: " + rootMessage(e));
    } finally {
      RunProgress.forget(key);
    }
    if (state != PipelineResult.State.DONE) {
      throw new RunCheck.Failed("the pipeline did not finish (state " + state
          + "); the runner's log says why");
    }
  }

  private static void finish(RunSummary s, Instant started, String status, String error) {
    Instant now = Instant.now();
    s.status = status;
    s.error = error;
    s.finishedAt = now.toString();
    s.durationSeconds = (now.getMillis() - started.getMillis()) / 1000.0;
    if (s.watermark != null) {
      s.freshness = new RunSummary.Freshness();
      s.freshness.newest = s.watermark;
      s.freshness.ageSeconds =
          (now.getMillis() - java.time.Instant.parse(s.watermark).toEpochMilli()) / 1000;
    }
  }

  /**
   * Records a run that did not commit (its summary file, its {@code intake_runs} row), for a run
   * whose disk or database may be failing: each is tried, and their errors never replace the
   * run's own.
   */
  private static RunFailedException failQuietly(RunCommit commit, RunPlan plan, RunSummary summary,
      String why) {
    finish(summary, plan.started, "failed", why);
    RunFailedException failed = new RunFailedException(why);
    try {
      LakeFiles.write(plan.lake.runSummary(summary.runId), summary.toJson());
    } catch (IOException | RuntimeException e) {
      failed.addSuppressed(e);
    }
    try {
      commit.recordFailure(summary);
    } catch (SQLException | RuntimeException e) {
      failed.addSuppressed(e);
    }
    return failed;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    String message = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        message = t.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    return message == null ? e.toString() : message.lines().findFirst().orElse(message);
  }
}
