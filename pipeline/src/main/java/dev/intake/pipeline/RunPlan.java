package dev.intake.pipeline;

import dev.intake.options.IntakeOptions;
import dev.intake.options.InvalidOptionsException;
import dev.intake.options.OptionsValidation;
import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.spec.Reference;
import dev.intake.pipeline.spec.SpecLoader;
import dev.intake.pipeline.steps.Outputs;
import dev.intake.pipeline.storage.S3Storage;
import dev.intake.pipeline.steps.VanishedKeys;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.sinks.lake.LakeFiles;
import dev.intake.transforms.sinks.lake.LakeLayout;
import dev.intake.transforms.sinks.warehouse.Dialect;
import dev.intake.transforms.sinks.warehouse.LoadMethod;
import dev.intake.transforms.sinks.warehouse.LoadStagingTable;
import dev.intake.transforms.sinks.warehouse.RunLock;
import dev.intake.transforms.sinks.warehouse.Warehouse;
import dev.intake.transforms.sinks.warehouse.WarehouseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.joda.time.Instant;

/**
 * A run's plan, made before anything is written: the options checked, the spec read, the run's id
 * and lake, where its records come from (checked: files that match, an API that answers), and the
 * warehouse to connect to. {@link #start} then prepares the warehouse and fills the summary's
 * header. Bad input throws {@link InvalidOptionsException} or a spec error.
 */
final class RunPlan {
  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  final IntakeOptions options;
  final OptionsValidation.Mode mode;
  final DatasetSpec spec;
  final Instant started = Instant.now();
  final String runId;
  final LakeLayout lake;
  final DatasetOutputs outputs;
  final WarehouseConfig warehouse;
  final Consumer<String> log;
  SourcePlan source;
  SchemaEvolution evolution;

  private RunPlan(IntakeOptions options, Consumer<String> log) throws IOException {
    this.options = options;
    this.log = log;
    this.mode = OptionsValidation.validate(options);
    this.spec = SpecLoader.load(options.getDataset());
    String key = spec.hashKeyEnv() == null ? null : System.getenv(spec.hashKeyEnv());
    if (!spec.hashed().isEmpty() && (key == null || key.isEmpty())) {
      throw new InvalidOptionsException(spec.file() + ": fields " + spec.hashed() + " have pii:"
          + " hash, but the environment variable " + spec.hashKeyEnv() + " (the hash key) is not"
          + " set; set it to the dataset's secret key");
    }
    S3Storage.configure(options);
    FileSystems.setDefaultPipelineOptions(options);
    this.runId = options.getRunId() == null || mode == OptionsValidation.Mode.REPLAY
        ? RUN_ID.format(java.time.Instant.ofEpochMilli(started.getMillis()))
            + String.format(Locale.ROOT, "-%04x", ThreadLocalRandom.current().nextInt(0x10000))
        : options.getRunId();
    this.lake = new LakeLayout(absolute(options.getLakePath()), spec.name());
    if (LakeFiles.exists(lake.runSummary(runId))) {
      throw new InvalidOptionsException("--runId=" + runId + " was already used for " + spec.name()
          + " (see " + lake.runSummary(runId) + "); choose another or leave it out");
    }
    checkReferences(spec, lake);
    this.outputs = new DatasetOutputs(spec, lake);
    this.warehouse = warehouseConfig(options, lake);
  }

  /** Each reference table of the spec can be read: its file exists, a CSV names its columns. */
  private static void checkReferences(DatasetSpec spec, LakeLayout lake) {
    for (Reference r : spec.references()) {
      try {
        r.read(lake.root()).check();
      } catch (IllegalArgumentException e) {
        String hint = r.dataset() == null ? ""
            : " (load dataset " + r.dataset() + " into this lake first)";
        throw new InvalidOptionsException(spec.file() + ": " + e.getMessage() + hint);
      }
    }
  }

  /** Checks the options, the spec and the input (replay, file or API backfill). */
  static RunPlan of(IntakeOptions options, Consumer<String> log) throws IOException {
    RunPlan plan = new RunPlan(options, log);
    if (plan.mode == OptionsValidation.Mode.REPLAY) {
      plan.source = SourcePlan.replay(plan.spec, plan.lake, options.getRunId());
    } else if (options.getInputFile() != null) {
      plan.source = SourcePlan.export(plan.spec, options);
    } else if (plan.mode == OptionsValidation.Mode.RECONCILE) {
      plan.source = SourcePlan.reconcile(plan.spec, options, plan.from(), plan.to(),
          plan.rawDirectory(), log);
    } else if (plan.mode == OptionsValidation.Mode.BACKFILL) {
      plan.source = SourcePlan.api(plan.spec, options, plan.from(), plan.to(), plan.rawDirectory(),
          log);
    }
    return plan;
  }

  /**
   * Connects to the warehouse, creating the folder of an embedded database file. A refused
   * connection is retried for a few seconds; a database that cannot be reached is an outage (a
   * {@link RunFailedException}, with the time spent), while a refused login, an unknown database
   * or an unset password variable is bad usage.
   */
  Warehouse connect() throws IOException {
    if (options.getJdbcUrl() == null) {
      // The default embedded file sits beside the lake, whose folder may not exist yet.
      Files.createDirectories(Path.of(lake.root()).getParent());
    }
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        return Warehouse.connect(warehouse);
      } catch (SQLException | IllegalStateException e) {
        double seconds = (System.nanoTime() - start) / 1e9;
        if (refused(e) && seconds + CONNECT_RETRY_PAUSE_MILLIS / 1000.0 < CONNECT_RETRY_SECONDS) {
          sleep(CONNECT_RETRY_PAUSE_MILLIS);
          continue;
        }
        String why = "cannot connect to the warehouse " + warehouse.url() + ": "
            + IntakeRun.rootMessage(e);
        if (e instanceof SQLException sql && badLogin(sql)) {
          throw new InvalidOptionsException(why);
        } else if (e instanceof IllegalStateException) {
          throw new InvalidOptionsException(why);
        }
        throw new RunFailedException(why + String.format(Locale.ROOT, " (%d attempt(s) in %.1f s)",
            attempt, (System.nanoTime() - start) / 1e9));
      }
    }
  }

  private static final double CONNECT_RETRY_SECONDS = 5;
  private static final long CONNECT_RETRY_PAUSE_MILLIS = 500;

  /** The database refused the connection (nothing listens, or it is starting up). */
  private static boolean refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  /** SQLSTATE class 28 (invalid authorization) or 3D (no such database): the user's to fix. */
  private static boolean badLogin(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("28") || state.startsWith("3D"));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunFailedException("interrupted while connecting to the warehouse");
    }
  }

  /**
   * Takes the dataset's run lock; another live run holding it is a {@link RunFailedException}
   * naming that run and since when.
   */
  RunLock lock() throws SQLException {
    try {
      return RunLock.acquire(warehouse, spec.name(), runId,
          Duration.ofSeconds(options.getStaleLockSeconds()), log);
    } catch (RunLock.LockHeldException e) {
      throw new RunFailedException(e.getMessage());
    }
  }

  /**
   * Adds the input's empty files to the summary's warnings; returns why the run is refused (empty
   * input without --allowEmptyInput), or null.
   */
  String emptyInput(RunSummary summary) {
    if (source.emptyFiles.isEmpty()) {
      return null;
    }
    summary.warnings.addAll(source.emptyFiles);
    if (options.getAllowEmptyInput()) {
      return null;
    }
    return "the input has " + source.emptyFiles.size() + " file(s) without records ("
        + String.join("; ", source.emptyFiles) + "), which is usually a broken download; nothing"
        + " was committed; give --allowEmptyInput to load it anyway";
  }

  /**
   * Whether the run can only commit zero counts: its input holds no record ({@link
   * SourcePlan#holdsNoRecords}) and nothing else of it rewrites stored rows: no deletions, no
   * reconciliation, no --recomputeAll, no pending back-fill of a derived column, no aggregate over
   * every key, no version history. Its pipeline would start the runner and read the stored keys
   * only to find that no partition changes, so the run does without it.
   */
  boolean changesNothing() {
    return source.holdsNoRecords && source.deletions == null && source.keys == null
        && !options.getRecomputeAll() && evolution.backfill.isEmpty() && !spec.history()
        && spec.aggregates().stream()
            .allMatch(a -> a.lakePartitioner(spec.partitioner()) != null);
  }

  /**
   * Plans an incremental run's API range from the watermark, chooses the runner, prepares the
   * warehouse's tables (and grants), and returns the run's summary with its header filled.
   */
  RunSummary start(Warehouse w, RunCommit commit, boolean runnerExplicit)
      throws IOException, SQLException {
    if (source == null) {
      source = SourcePlan.api(spec, options, incrementalFrom(w), to(), rawDirectory(), log);
    }
    String runner = RunnerChoice.apply(options, runnerExplicit, source.size());
    options.setRunId(runId);
    Map<String, List<String>> existing = new LinkedHashMap<>();
    for (String table : outputs.tableNames()) {
      existing.put(table, w.columns(table));
    }
    evolution = SchemaEvolution.plan(spec, outputs, w.latestSchema(spec.name()),
        LakeFiles.children(lake.clean()), existing);
    commit.evolving(evolution);
    w.prepare(outputs.tables(), runId, evolution.tableChanges);
    if (options.getReaderRole() != null) {
      try {
        commit.grantReader(options.getReaderRole());
      } catch (SQLException e) {
        throw new InvalidOptionsException("--readerRole=" + options.getReaderRole() + ": "
            + IntakeRun.rootMessage(e));
      }
    }
    RunSummary summary = new RunSummary();
    summary.runId = runId;
    summary.dataset = spec.name();
    summary.mode = mode.toString();
    summary.input = source.description;
    summary.runner = runner;
    summary.warehouse = warehouse.url();
    summary.startedAt = started.toString();
    java.sql.Timestamp before = w.watermark(spec.name());
    summary.watermarkBefore = before == null ? null : before.toInstant().toString();
    summary.ignoredColumns.putAll(source.ignoredColumns);
    summary.missingColumns.putAll(source.missingColumns);
    summary.missingColumnCount = (int) source.missingColumns.values().stream()
        .flatMap(List::stream).distinct().count();
    summary.schemaVersion = evolution.version;
    summary.schemaFingerprint = evolution.current.fingerprint();
    summary.schemaChanges.addAll(evolution.changes);
    if (source.isApi) {
      summary.windowsPlanned = source.windowsPlanned;
      summary.countRequests = source.countRequests;
      summary.retryBudget = "max(" + options.getRetryBudget() + ", " + options.getRetryShare()
          + " x requests) per worker process";
    }
    log.accept("run " + runId + " of " + spec.name() + " (" + mode + "): " + source.description
        + "; runner " + runner);
    return summary;
  }

  /** The pipeline's configuration, with the warehouse's staging loads by output name. */
  IntakePipeline.Config pipelineConfig(Warehouse w) {
    LoadMethod method = LoadMethod.valueOf(options.getLoadMethod().toUpperCase(Locale.ROOT));
    Map<String, LoadStagingTable> loads = new LinkedHashMap<>();
    for (DatasetOutputs.Output o : outputs.all()) {
      w.stagingLoad(o.table, runId, method).ifPresent(l -> loads.put(o.name, l));
    }
    IntakePipeline.Config config = new IntakePipeline.Config(spec,
        Lineage.of(spec.name(), runId, started), lake, source.transform, source.format,
        options.getMaxRowsPerFile(), loads)
        .withEvolution(spec.renamedFrom(), SchemaVersion.derivations(spec, evolution.backfill),
            options.getRecomputeAll())
        .withWholeLake(options.getReadWholeLake())
        .withBounds(SourcePlan.bounds(options))
        .withDedupBuckets(options.getDedupBuckets())
        .withAggregateBuckets(options.getAggregateBuckets());
    if (!source.isApi) {
      config.withProgress(progressKey());
    }
    if (source.keys != null) {
      config.withReconcile(source.keys, VanishedKeys.of(lake.clean(),
          IntakePipeline.cleanSchema(spec), IntakePipeline.keyFields(spec), SourcePlan.keyNames(spec, source.format),
          spec.partitioner().field(), from(), to(), started, runId));
    }
    return source.deletions == null ? config
        : config.withDeletions(source.deletions, source.deletionsFormat, source.deletedAt);
  }

  /** The key of the run's {@link dev.intake.transforms.model.RunProgress}: its raw-page folder. */
  String progressKey() {
    String dir = rawDirectory();
    return dir.endsWith("/") ? dir : dir + "/";
  }

  /** What the run reads, for its progress report. */
  ProgressReport.Totals progressTotals() {
    return new ProgressReport.Totals(source.isApi, source.windowsPlanned, source.countedRows,
        source.inputBytes);
  }

  String rawDirectory() {
    return lake.raw(runId, java.time.Instant.ofEpochMilli(started.getMillis()).toString()
        .substring(0, 10));
  }

  private Instant from() {
    return new Instant(OptionsValidation.instant("--from", options.getFrom()).toEpochMilli());
  }

  private Instant to() {
    return options.getTo() == null
        ? started
        : new Instant(OptionsValidation.instant("--to", options.getTo()).toEpochMilli());
  }

  /** --from, or the stored watermark minus --lookback. */
  private Instant incrementalFrom(Warehouse w) throws SQLException {
    if (options.getFrom() != null) {
      return from();
    }
    java.sql.Timestamp watermark = w.watermark(spec.name());
    if (watermark == null) {
      throw new InvalidOptionsException("--mode=incremental: " + spec.name() + " has no watermark"
          + " in " + warehouse.url() + " yet; run a backfill first (--inputFile or --from), or give"
          + " --from");
    }
    long lookback = OptionsValidation.duration("--lookback", options.getLookback()).toMillis();
    return new Instant(watermark.getTime() - lookback);
  }

  private static WarehouseConfig warehouseConfig(IntakeOptions options, LakeLayout lake) {
    return WarehouseChoice.of(options, lake.root());
  }

  static String absolute(String path) {
    return LakeFiles.isLocal(path)
        ? Path.of(path.replaceFirst("^file://", "")).toAbsolutePath().normalize().toString()
        : path;
  }
}
