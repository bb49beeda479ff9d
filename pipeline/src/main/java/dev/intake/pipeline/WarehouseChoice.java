package dev.intake.pipeline;

import dev.intake.options.IntakeOptions;
import dev.intake.options.InvalidOptionsException;
import dev.intake.options.OptionsValidation;
import dev.intake.transforms.sinks.lake.LakeFiles;
import dev.intake.transforms.sinks.warehouse.Dialect;
import dev.intake.transforms.sinks.warehouse.WarehouseConfig;

/**
 * The warehouse the options name: {@code --jdbcUrl} with its user, password source and schema, or
 * the embedded DuckDB file beside a local lake ({@code <lakePath>.duckdb}). Shared by runs and by
 * the commands that read the run history, so both find the same database. Bad options throw
 * {@link InvalidOptionsException}.
 */
public final class WarehouseChoice {
  private WarehouseChoice() {}

  /** The warehouse of {@code options}, whose lake is at {@code --lakePath}. */
  public static WarehouseConfig of(IntakeOptions options) {
    return of(options, RunPlan.absolute(options.getLakePath()));
  }

  static WarehouseConfig of(IntakeOptions options, String lakeRoot) {
    String url = options.getJdbcUrl();
    if (url == null) {
      if (!LakeFiles.isLocal(lakeRoot)) {
        throw new InvalidOptionsException("--jdbcUrl is required when the lake is not on local "
            + "disk (the embedded DuckDB warehouse is a local file)");
      }
      url = "jdbc:duckdb:" + lakeRoot + ".duckdb";
    }
    Dialect dialect;
    try {
      dialect = Dialect.forUrl(url);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionsException(e.getMessage());
    }
    if (options.getReaderRole() != null && !dialect.supportsRoles()) {
      throw new InvalidOptionsException(
          "--readerRole needs a PostgreSQL warehouse (--jdbcUrl=jdbc:postgresql://…)");
    }
    WarehouseConfig config = WarehouseConfig.of(url)
        .withUser(options.getJdbcUser())
        .withPasswordEnv(options.getJdbcPasswordEnv())
        .withPasswordFile(options.getJdbcPasswordFile())
        .withSchema(options.getJdbcSchema());
    if (dialect.embedded()) {
      // DuckDB runs in this process: without a limit it takes up to 80% of the machine's memory
      // (the commit of a 3M-row full load took 2.4 GB beside the heap).
      return config.withEmbeddedLimits(
          OptionsValidation.duckdbMemoryLimit(options.getDuckdbMemoryLimit()),
          options.getDuckdbThreads());
    }
    if (options.getDuckdbMemoryLimit() != null || options.getDuckdbThreads() != null) {
      throw new InvalidOptionsException("--duckdbMemoryLimit and --duckdbThreads apply to the "
          + "embedded DuckDB warehouse only, not to " + url);
    }
    return config;
  }}
