package dev.intake.options;

/** Every option of an Intake run, composed from one interface per concern. */
public interface IntakeOptions
    extends SourceOptions, ApiOptions, LakeOptions, WarehouseOptions, RunOptions,
        StorageOptions, BoundsOptions, ConsoleOptions, MonitoringOptions, PerformanceOptions {}
