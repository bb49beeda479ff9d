package dev.intake.pipeline;

import dev.intake.options.IntakeOptions;
import dev.intake.options.InvalidOptionsException;
import dev.intake.transforms.sinks.lake.LakeFiles;
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
   * InvalidOptionsException} or a spec error for bad input before anything is written, and {@link
   * RunFailedException} for a run that did not commit.
   */
  public static RunSummary execute(
      IntakeOptions options, boolean runnerExplicit, Consumer<String> log) throws IOException {
    RunPlan plan = RunPlan.of(options, log);
    try (Warehouse warehouse = plan.connect()) {
      RunCommit commit = new RunCommit(plan.outputs, warehouse, log);
      commit.recover();
      RunSummary summary = plan.start(warehouse, commit, runnerExplicit);
      String refusal;
      try {
        run(plan, warehouse);
        refusal = RunCheck.check(summary, RunTally.read(plan.lake.staging(plan.runId).tallies()),
            plan.spec, options.getMaxRejectedRatio(), plan.lake.deadLetters(plan.runId));
      } catch (RunCheck.Failed e) {
        throw fail(commit, plan, summary, e.getMessage());
      }
      if (refusal != null) {
        finish(summary, plan.started, "refused", refusal);
        commit.refuse(summary);
        throw new RunFailedException(refusal);
      }
      finish(summary, plan.started, "succeeded", null);
      try {
        commit.commit(summary);
      } catch (SQLException | RuntimeException e) {
        throw new RunFailedException("the commit did not complete (" + rootMessage(e) + "); run "
            + "intake again for this dataset to complete it");
      }
      return summary;
    } catch (SQLException e) {
      throw new RunFailedException("warehouse " + plan.warehouse.url() + ": " + rootMessage(e));
    }
  }

  /** Runs the pipeline; a failure is a {@link RunCheck.Failed} with the runner's reason. */
  private static void run(RunPlan plan, Warehouse warehouse) throws RunCheck.Failed {
    Pipeline p = Pipeline.create(plan.options);
    IntakePipeline.build(p, plan.pipelineConfig(warehouse));
    PipelineResult.State state;
    try {
      state = p.run().waitUntilFinish();
    } catch (RuntimeException e) {
      throw new RunCheck.Failed("the pipeline failed: " + rootMessage(e));
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
  }

  private static RunFailedException fail(RunCommit commit, RunPlan plan, RunSummary summary,
      String why) throws IOException, SQLException {
    finish(summary, plan.started, "failed", why);
    LakeFiles.write(plan.lake.runSummary(summary.runId), summary.toJson());
    commit.recordFailure(summary);
    return new RunFailedException(why);
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
