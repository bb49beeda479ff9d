package dev.intake.pipeline;

import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.SerializableUtils;

/**
 * The options a run's pipeline is created with: every value of the run's options, in a fresh
 * options object that knows no interface yet (each runner asks for its own). Beam's Flink
 * translation serializes the pipeline's options once per step and per collection (a few hundred
 * times for Intake's graph), and each serialization walks, by reflection, every options interface
 * the object was ever viewed as: with all of Intake's, that was about a third of the time from
 * start to the job's first task on a one-row run. The values travel as they always do (the JSON
 * form the runners give their workers), so a step that reads an option at run time still finds it.
 */
final class RunnerOptions {
  private RunnerOptions() {}

  static PipelineOptions of(PipelineOptions options) {
    PipelineOptions fresh = SerializableUtils.clone(new SerializablePipelineOptions(options)).get();
    fresh.setRunner(options.getRunner());
    return fresh;
  }
}
