package dev.intake.pipeline.cli;

import dev.intake.options.IntakeOptions;
import dev.intake.options.InvalidOptionsException;
import dev.intake.options.LakeOptions;
import dev.intake.options.StorageOptions;
import dev.intake.options.WarehouseOptions;
import dev.intake.pipeline.WarehouseChoice;
import dev.intake.pipeline.spec.SpecLoader;
import dev.intake.pipeline.storage.S3Storage;
import dev.intake.transforms.sinks.warehouse.RunHistory;
import dev.intake.transforms.sinks.warehouse.WarehouseConfig;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * What {@code intake runs} and {@code intake status} share: the warehouse options of a run (the
 * same defaults, so they read the warehouse a run with the same options wrote), a dataset named as
 * a run names it, and a connection error turned into a one-line {@link HistoryException}.
 */
final class HistoryAccess {
  private HistoryAccess() {}

  /** A warehouse that cannot be read, with the exit code it means. */
  static final class HistoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    HistoryException(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  /** The option names a history command accepts besides {@code own}. */
  static Set<String> known(String... own) {
    Set<String> names = new HashSet<>(Set.of(own));
    names.addAll(HelpText.names(WarehouseOptions.class));
    names.addAll(HelpText.names(LakeOptions.class));
    names.addAll(HelpText.names(StorageOptions.class));
    names.add("verbose");
    names.add("help");
    return names;
  }

  /** The help lines of the warehouse and lake options. */
  static String optionsHelp() {
    return HelpText.group("The warehouse (as for intake run)", WarehouseOptions.class)
        + HelpText.group("The lake (its path names the default DuckDB file)", LakeOptions.class);
  }

  /** The run options given (all others at their defaults), with the lake's file system set up. */
  static IntakeOptions options(CommandArgs args, Set<String> own) {
    IntakeOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(args.passThrough(own)).as(IntakeOptions.class);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionsException(e.getMessage().lines().findFirst().orElse(""));
    }
    S3Storage.configure(options);
    FileSystems.setDefaultPipelineOptions(options);
    return options;
  }

  /** The name under which runs of {@code dataset} (a bundled name or a spec file) are recorded. */
  static String datasetName(String dataset) {
    if (dataset == null) {
      return null;
    }
    if (dataset.matches("[A-Za-z0-9_-]+")) {
      return dataset;
    }
    return SpecLoader.load(dataset).name();
  }

  static RunHistory open(WarehouseConfig config) {
    try {
      return RunHistory.open(config);
    } catch (SQLException e) {
      throw failure(config, e);
    }
  }

  /** A one-line error for {@code e}: bad usage for a refused login, otherwise exit 1. */
  static HistoryException failure(WarehouseConfig config, SQLException e) {
    boolean login = false;
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        login |= sql.getSQLState().startsWith("28") || sql.getSQLState().startsWith("3D");
      }
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    if (message.contains("Conflicting lock")) {
      return new HistoryException("the warehouse " + config.url() + " is in use by another"
          + " process (a run in progress holds the DuckDB file; try again when it ends): "
          + message.lines().findFirst().orElse(""), dev.intake.pipeline.Main.FAILED);
    }
    return new HistoryException("cannot read the warehouse " + config.url() + ": "
        + message.lines().findFirst().orElse(""),
        login ? dev.intake.pipeline.Main.USAGE : dev.intake.pipeline.Main.FAILED);
  }
}
