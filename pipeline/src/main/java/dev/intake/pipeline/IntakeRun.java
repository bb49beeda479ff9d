package dev.intake.pipeline;

import dev.intake.transforms.sinks.lake.LakeFiles;
import dev.intake.transforms.sinks.lake.LakeLayout;
import dev.intake.options.IntakeOptions;
import dev.intake.options.InvalidOptionsException;
import dev.intake.options.OptionsValidation;
import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.spec.SpecLoader;
import dev.intake.pipeline.storage.S3Storage;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.sinks.warehouse.Warehouse;
import dev.intake.transforms.sinks.warehouse.WriteWarehouse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.joda.time.Instant;

/**
 * The lifecycle of one run: plan (check options, spec and input; finish or clean up earlier runs),
 * run the pipeline into the run's staging folder, check the counts, then commit. A run that fails
 * anywhere before the commit changes nothing visible except its own run summary.
 */
public final class IntakeRun {
  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private IntakeRun() {}

  /**
   * Runs the job. {@code runnerExplicit} says whether the user chose the runner; if not, one is
   * chosen by input size. Throws {@link InvalidOptionsException} or a spec error for bad input
   * before anything is written, and {@link RunFailedException} for a run that did not commit.
   */
  public static RunSummary execute(
      IntakeOptions options, boolean runnerExplicit, Consumer<String> log) throws IOException {
    OptionsValidation.Mode mode = OptionsValidation.validate(options);
    DatasetSpec spec = SpecLoader.load(options.getDataset());
    S3Storage.configure(options);
    FileSystems.setDefaultPipelineOptions(options);
    Instant started = Instant.now();
    String runId = options.getRunId();
    if (runId == null || mode == OptionsValidation.Mode.REPLAY) {
      runId = RUN_ID.format(java.time.Instant.ofEpochMilli(started.getMillis()))
          + String.format(Locale.ROOT, "-%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }
    LakeLayout lake = new LakeLayout(absolute(options.getLakePath()), spec.name());
    if (LakeFiles.exists(lake.runSummary(runId))) {
      throw new InvalidOptionsException("--runId=" + runId + " was already used for " + spec.name()
          + " (see " + lake.runSummary(runId) + "); choose another or leave it out");
    }
    String rawDirectory =
        lake.raw(runId, java.time.Instant.ofEpochMilli(started.getMillis()).toString().substring(0, 10));
    SourcePlan source = null;
    if (mode == OptionsValidation.Mode.REPLAY) {
      source = SourcePlan.replay(spec, lake, options.getRunId());
    } else if (options.getInputFile() != null) {
      source = SourcePlan.export(spec, options);
    } else if (mode == OptionsValidation.Mode.BACKFILL) {
      source = SourcePlan.api(spec, options, from(options), to(options, started), rawDirectory, log);
    }
    String jdbcUrl = jdbcUrl(options, lake);
    try (Warehouse warehouse = connect(options, jdbcUrl)) {
      RunCommit.recover(lake, warehouse, spec, log);
      if (source == null) {
        source = SourcePlan.api(spec, options, incrementalFrom(options, warehouse, spec, jdbcUrl),
            to(options, started), rawDirectory, log);
      }
      String runner = RunnerChoice.apply(options, runnerExplicit, source.inputBytes);
      options.setRunId(runId);
      warehouse.prepare(RunCommit.tables(spec), runId);
      if (options.getReaderRole() != null) {
        try {
          RunCommit.grantReader(warehouse, spec, options.getReaderRole());
        } catch (SQLException e) {
          throw new InvalidOptionsException("--readerRole=" + options.getReaderRole() + ": "
              + rootMessage(e));
        }
      }

      RunSummary summary = new RunSummary();
      summary.runId = runId;
      summary.dataset = spec.name();
      summary.mode = mode.toString();
      summary.input = source.description;
      summary.runner = runner;
      summary.warehouse = jdbcUrl;
      summary.startedAt = started.toString();
      summary.ignoredColumns.putAll(source.ignoredColumns);
      summary.missingColumns.putAll(source.missingColumns);
      log.accept("run " + runId + " of " + spec.name() + " (" + mode + "): " + source.description
          + "; runner " + runner);

      Pipeline p = Pipeline.create(options);
      IntakePipeline.build(
          p,
          new IntakePipeline.Config(
              spec,
              Lineage.of(spec.name(), runId, started),
              lake,
              source.transform,
              source.format,
              options.getMaxRowsPerFile(),
              stagingLoad(options, warehouse, spec, runId)));
      try {
        PipelineResult.State state = p.run().waitUntilFinish();
        if (state != PipelineResult.State.DONE) {
          throw new RunFailedException("the pipeline did not finish (state " + state
              + "); the runner's log says why");
        }
      } catch (RuntimeException e) {
        throw fail(lake, warehouse, spec, summary, started, "the pipeline failed: " + rootMessage(e));
      }

      Tally tally = Tally.read(lake.staging(runId).tallies());
      fill(summary, tally, spec);
      if (summary.unaccounted() != 0) {
        throw fail(lake, warehouse, spec, summary, started, String.format(Locale.ROOT,
            "counts do not reconcile: read %d != written %d + superseded %d + rejected %d",
            summary.read, summary.written, summary.superseded, summary.rejected));
      }
      long cleanRows = tally.get("rows\tclean");
      if (cleanRows != summary.written + summary.carriedOver) {
        throw fail(lake, warehouse, spec, summary, started, "the clean files hold " + cleanRows
            + " rows, expected " + (summary.written + summary.carriedOver));
      }
      double ratio = summary.read == 0 ? 0 : (double) summary.rejected / summary.read;
      if (ratio > options.getMaxRejectedRatio()) {
        String why = String.format(Locale.ROOT,
            "%.1f%% of records were rejected, more than --maxRejectedRatio=%s; nothing was "
                + "committed; the dead letters are in %s",
            ratio * 100, options.getMaxRejectedRatio(), lake.deadLetters(runId));
        finish(summary, started, "refused", why);
        RunCommit.commit(lake, warehouse, spec, LakeCommit.deadLettersOnly(lake, runId), summary);
        throw new RunFailedException(why);
      }
      List<String> aggregates = new ArrayList<>();
      spec.aggregates().forEach(a -> aggregates.add(a.name()));
      LakeCommit.Journal journal = LakeCommit.plan(lake, runId, summary.partitions, aggregates);
      finish(summary, started, "succeeded", null);
      try {
        RunCommit.commit(lake, warehouse, spec, journal, summary);
      } catch (SQLException | RuntimeException e) {
        throw new RunFailedException("the commit did not complete (" + rootMessage(e) + "); run "
            + "intake again for this dataset to complete it");
      }
      return summary;
    } catch (SQLException e) {
      throw new RunFailedException("warehouse " + jdbcUrl + ": " + rootMessage(e));
    }
  }

  private static Instant from(IntakeOptions options) {
    return new Instant(OptionsValidation.instant("--from", options.getFrom()).toEpochMilli());
  }

  private static Instant to(IntakeOptions options, Instant now) {
    return options.getTo() == null
        ? now
        : new Instant(OptionsValidation.instant("--to", options.getTo()).toEpochMilli());
  }

  /** --from, or the stored watermark minus --lookback. */
  private static Instant incrementalFrom(
      IntakeOptions options, Warehouse warehouse, DatasetSpec spec, String jdbcUrl)
      throws SQLException {
    if (options.getFrom() != null) {
      return from(options);
    }
    java.sql.Timestamp watermark = warehouse.watermark(spec.name());
    if (watermark == null) {
      throw new InvalidOptionsException("--mode=incremental: " + spec.name() + " has no watermark"
          + " in " + jdbcUrl + " yet; run a backfill first (--inputFile or --from), or give --from");
    }
    long lookback = OptionsValidation.duration("--lookback", options.getLookback()).toMillis();
    return new Instant(watermark.getTime() - lookback);
  }

  private static String jdbcUrl(IntakeOptions options, LakeLayout lake) {
    if (options.getJdbcUrl() != null) {
      return options.getJdbcUrl();
    }
    if (!LakeFiles.isLocal(lake.root())) {
      throw new InvalidOptionsException("--jdbcUrl is required when the lake is not on local disk "
          + "(the embedded DuckDB warehouse is a local file)");
    }
    return "jdbc:duckdb:" + lake.root() + ".duckdb";
  }

  private static Warehouse connect(IntakeOptions options, String url) {
    try {
      return Warehouse.connect(url, options.getJdbcUser(), options.getJdbcPasswordEnv(),
          options.getJdbcSchema());
    } catch (SQLException e) {
      throw new InvalidOptionsException("cannot connect to the warehouse " + url + ": "
          + rootMessage(e));
    }
  }

  private static IntakePipeline.StagingLoad stagingLoad(
      IntakeOptions options, Warehouse warehouse, DatasetSpec spec, String runId) {
    if (!warehouse.isPostgres()) {
      return null;
    }
    WriteWarehouse template =
        WriteWarehouse.into(options.getJdbcUrl(), "unset")
            .withUser(options.getJdbcUser())
            .withPasswordEnv(options.getJdbcPasswordEnv())
            .withMethod(WriteWarehouse.Method.valueOf(options.getLoadMethod().toUpperCase(Locale.ROOT)));
    Map<String, String> aggregates = new LinkedHashMap<>();
    for (DatasetSpec.Aggregate a : spec.aggregates()) {
      aggregates.put(a.name(), staging(warehouse, spec.name() + "_" + a.name(), runId));
    }
    return new IntakePipeline.StagingLoad(
        template,
        staging(warehouse, spec.name(), runId),
        aggregates,
        staging(warehouse, spec.name() + "_deadletter", runId));
  }

  private static String staging(Warehouse warehouse, String table, String runId) {
    return warehouse.qualified(Warehouse.stagingName(table, runId));
  }

  private static void fill(RunSummary s, Tally t, DatasetSpec spec) {
    s.read = t.get("read");
    s.parsed = t.get("parsed");
    s.written = t.get("written");
    s.superseded = t.get("superseded");
    s.replacedStored = t.get("replaced");
    s.carriedOver = t.get("carried");
    for (Map.Entry<String, Long> e : t.withPrefix("rejected").entrySet()) {
      s.rejectedByReason.put(e.getKey().replace('\t', '/'), e.getValue());
      s.rejected += e.getValue();
    }
    s.outputs.put("clean", t.get("rows\tclean"));
    for (DatasetSpec.Aggregate a : spec.aggregates()) {
      s.outputs.put("aggregate:" + a.name(), t.get("rows\taggregate:" + a.name()));
    }
    s.outputs.put("deadletter", t.get("rows\tdeadletter"));
    s.partitions.addAll(t.names("partition"));
    Map<String, Long> max = t.withPrefix("max");
    Long newest = max.containsKey("watermark") ? max.get("watermark") : max.get("version");
    if (newest != null) {
      s.watermark = java.time.Instant.ofEpochMilli(newest).toString();
    }
  }

  private static void finish(RunSummary s, Instant started, String status, String error) {
    Instant now = Instant.now();
    s.status = status;
    s.error = error;
    s.finishedAt = now.toString();
    s.durationSeconds = (now.getMillis() - started.getMillis()) / 1000.0;
  }

  private static RunFailedException fail(
      LakeLayout lake, Warehouse warehouse, DatasetSpec spec, RunSummary summary, Instant started,
      String why) throws IOException, SQLException {
    finish(summary, started, "failed", why);
    LakeFiles.write(lake.runSummary(summary.runId), summary.toJson());
    RunCommit.recordFailure(warehouse, spec, summary);
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

  private static String absolute(String path) {
    return LakeFiles.isLocal(path)
        ? Path.of(path.replaceFirst("^file://", "")).toAbsolutePath().normalize().toString()
        : path;
  }
}
