package dev.intake.pipeline;

import dev.intake.transforms.sinks.lake.LakeFiles;
import dev.intake.transforms.sinks.lake.LakeLayout;
import dev.intake.options.IntakeOptions;
import dev.intake.options.InvalidOptionsException;
import dev.intake.options.OptionsValidation;
import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.transforms.sources.http.RawPage;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.sources.ApiSource;
import dev.intake.transforms.model.InputBounds;
import dev.intake.transforms.sources.ApiTuning;
import dev.intake.transforms.sources.SourceAccessException;
import dev.intake.transforms.sources.TimeWindow;
import dev.intake.transforms.sources.WindowCounter;
import dev.intake.transforms.sources.WindowPlanner;
import dev.intake.transforms.sources.file.ReadExport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Where a run's records come from, decided before the pipeline is built: an export file, the API
 * over a range of windows, or the raw pages of an earlier run. Each is checked here, so bad input
 * is reported before anything is written.
 */
final class SourcePlan {
  final PTransform<PBegin, PCollection<SourceRecord>> transform;
  final RecordFormat format;
  final String description;
  final long inputBytes;
  /** Windows the planner gave an API read, and the count requests it sent (0 otherwise). */
  int windowsPlanned;
  int countRequests;
  long countedRows;
  boolean isApi;
  final Map<String, List<String>> ignoredColumns = new LinkedHashMap<>();
  final Map<String, List<String>> missingColumns = new LinkedHashMap<>();
  /** The source's deletion records, their format and time path; null when it has none. */
  PTransform<PBegin, PCollection<SourceRecord>> deletions;
  RecordFormat deletionsFormat;
  String deletedAt;
  /** A reconciliation's reading of the source's keys; null otherwise. */
  PTransform<PBegin, PCollection<SourceRecord>> keys;
  /** Input files that hold no record, one line each (only a file input has them). */
  final List<String> emptyFiles = new ArrayList<>();
  /**
   * The input holds no record, known before the pipeline: every input file is empty, or the API
   * planned no window (an empty range, or counted ranges without rows).
   */
  boolean holdsNoRecords;

  private SourcePlan(
      PTransform<PBegin, PCollection<SourceRecord>> transform,
      RecordFormat format,
      String description,
      long inputBytes) {
    this.transform = transform;
    this.format = format;
    this.description = description;
    this.inputBytes = inputBytes;
  }

  /** A full-load export given by --inputFile. */
  static SourcePlan export(DatasetSpec spec, IntakeOptions options) throws IOException {
    InputPlan input =
        InputPlan.of(spec, options.getInputFile(), options.getInputFormat(), bounds(options));
    SourcePlan plan =
        new SourcePlan(
            ReadExport.from(options.getInputFile())
                .withKind(input.format.kind())
                .withSplitBytes(options.getSplitSizeMb() * (1L << 20))
                .withBounds(bounds(options)),
            input.format,
            options.getInputFile() + " (" + input.files.size() + " file(s))",
            input.totalBytes);
    plan.ignoredColumns.putAll(input.ignoredColumns);
    plan.missingColumns.putAll(input.missingColumns);
    plan.emptyFiles.addAll(input.emptyFiles);
    plan.holdsNoRecords = input.emptyFiles.size() == input.files.size();
    return plan;
  }

  /**
   * The API from {@code from} to {@code to}, in windows planned from the data ({@link
   * WindowPlanner}: counted ranges halved while they hold more than --rowsPerWindow rows, down to
   * --window; fixed --window windows for a source that cannot count); checks access with one
   * request first. No windows (an empty range, or one without rows) reads nothing.
   */
  static SourcePlan api(
      DatasetSpec spec, IntakeOptions options, Instant from, Instant to, String rawDirectory,
      java.util.function.Consumer<String> log) {
    ApiSource.Prepared prepared = prepare(spec, options, log);
    WindowPlanner planner = WindowPlanner.of(options.getRowsPerWindow())
        .withFinestRange(OptionsValidation.duration("--window", options.getWindow()));
    WindowPlanner.Plan windows;
    WindowCounter counter = from.isBefore(to) ? prepared.counter() : null;
    try {
      windows = planner.plan(java.time.Instant.ofEpochMilli(from.getMillis()),
          java.time.Instant.ofEpochMilli(to.getMillis()), counter);
    } catch (IOException e) {
      throw new RunFailedException("planning the windows of " + spec.name()
          + " failed: " + e.getMessage() + "; nothing was changed");
    } finally {
      if (counter != null) {
        counter.close();
      }
    }
    SourcePlan plan = new SourcePlan(
        prepared.read(windows.windows(), rawDirectory),
        apiFormat(spec),
        prepared.describe() + " in [" + from + ", " + to + "), " + windows.windows().size()
            + " window(s)" + (counter == null ? "" : " planned with " + windows.countRequests()
            + " count(s), " + windows.countedRows() + " rows"),
        0);
    ApiSource.Deletions deletions = api(spec).deletions();
    if (deletions != null) {
      plan.deletions = prepared.readDeletions(rawDirectory + "deletions/");
      plan.deletionsFormat = spec.formats().get(deletions.format());
      plan.deletedAt = deletions.deletedAt();
    }
    plan.windowsPlanned = windows.windows().size();
    plan.countRequests = windows.countRequests();
    plan.countedRows = windows.countedRows();
    plan.isApi = true;
    plan.holdsNoRecords = windows.windows().isEmpty();
    return plan;
  }

  /**
   * How much the run reads, for the banner: the bytes of a file or of stored pages, or for an API
   * read its windows and the rows counted (requests grow with them).
   */
  String size() {
    if (isApi) {
      return "an API read of " + windowsPlanned + " window(s)" + (countRequests == 0 ? ""
          : ", " + countedRows + " rows counted with " + countRequests + " request(s)");
    }
    return String.format(java.util.Locale.ROOT, "input of %.1f MB", inputBytes / 1e6);
  }

  /**
   * A reconciliation of {@code [from, to)} of the partition field: no records, the source's keys
   * of that range ({@link #keys}), compared with the stored rows of the range in the pipeline.
   */
  static SourcePlan reconcile(DatasetSpec spec, IntakeOptions options, Instant from, Instant to,
      String rawDirectory, java.util.function.Consumer<String> log) {
    ApiSource.Prepared prepared = prepare(spec, options, log);
    if (IntakePipeline.cleanSchema(spec).getField(spec.version()).getType().getTypeName()
        != org.apache.beam.sdk.schemas.Schema.TypeName.DATETIME) {
      throw new InvalidOptionsException("--mode=reconcile needs a timestamp version field, but "
          + spec.name() + "'s version " + spec.version() + " is not one");
    }
    RecordFormat format = apiFormat(spec);
    List<String> names = keyNames(spec, format);
    String range = spec.partitioner().field();
    List<TimeWindow> windows = from.isBefore(to) ? TimeWindow.split(from, to,
        OptionsValidation.duration("--window", options.getWindow()).toMillis()) : List.of();
    PTransform<PBegin, PCollection<SourceRecord>> keys = prepared.readKeys(names,
        format.sourceNameOf(range), java.time.ZoneId.of(spec.zone()), windows,
        rawDirectory + "keys/");
    if (keys == null) {
      throw new InvalidOptionsException("--mode=reconcile: the " + api(spec).type()
          + " source of " + spec.name() + " cannot read its keys alone");
    }
    SourcePlan plan = new SourcePlan(
        org.apache.beam.sdk.transforms.Create.empty(
            org.apache.beam.sdk.values.TypeDescriptor.of(SourceRecord.class)),
        format,
        "the keys of " + prepared.describe() + " with " + range + " in [" + from + ", " + to
            + "), " + windows.size() + " window(s)",
        0);
    plan.keys = keys;
    plan.isApi = true;
    plan.windowsPlanned = windows.size();
    return plan;
  }

  /** The names {@code format} gives the spec's key fields, in key order. */
  static List<String> keyNames(DatasetSpec spec, RecordFormat format) {
    List<String> names = new ArrayList<>();
    spec.key().forEach(k -> names.add(format.sourceNameOf(k)));
    return names;
  }

  /**
   * The spec's API source checked for this run: an unreachable API is an outage (exit 1, with the
   * time spent), a refusal (a bad credential, an unknown dataset) bad usage.
   */
  private static ApiSource.Prepared prepare(DatasetSpec spec, IntakeOptions options,
      java.util.function.Consumer<String> log) {
    long start = System.nanoTime();
    try {
      return api(spec).prepare(tuning(options), log);
    } catch (SourceAccessException e) {
      if (e.outage()) {
        throw new RunFailedException("the API could not be reached: " + e.getMessage()
            + String.format(java.util.Locale.ROOT, " (gave up after %.1f s); nothing was changed",
                (System.nanoTime() - start) / 1e9));
      }
      throw new InvalidOptionsException(e.getMessage());
    }
  }

  /** The raw pages of the earlier run --runId, as its manifest lists them. */
  static SourcePlan replay(DatasetSpec spec, LakeLayout lake, String runId) throws IOException {
    List<ResourceId> manifests = LakeFiles.list(lake.rawManifest(runId));
    if (manifests.isEmpty()) {
      throw new InvalidOptionsException("--runId=" + runId + ": no raw pages of that run in "
          + lake.root() + "/raw/" + spec.name() + " (only API runs store pages)");
    }
    List<RawPage> pages = new ArrayList<>();
    long bytes = 0;
    for (ResourceId m : manifests) {
      for (String line : LakeFiles.read(m.toString()).split("\n")) {
        if (!line.isBlank()) {
          RawPage page = RawPage.fromJson(line);
          pages.add(page);
          bytes += page.getBytes();
        }
      }
    }
    return new SourcePlan(
        api(spec).replay(pages), apiFormat(spec),
        "raw pages of run " + runId + " (" + pages.size() + " page(s))", bytes);
  }

  private static RecordFormat apiFormat(DatasetSpec spec) {
    return spec.formats().get(api(spec).format());
  }

  private static ApiSource api(DatasetSpec spec) {
    ApiSource api = spec.api();
    if (api == null) {
      throw new InvalidOptionsException(spec.name() + " has no API source in " + spec.file()
          + "; it can only be loaded from a file (--inputFile)");
    }
    return api;
  }

  /** The bounds on hostile input, from the options. */
  static InputBounds bounds(IntakeOptions options) {
    return InputBounds.defaults()
        .withMaxRecordBytes(options.getMaxRecordBytes())
        .withMaxFieldBytes(options.getMaxFieldBytes())
        .withMaxColumns(options.getMaxColumns())
        .withMaxJsonDepth(options.getMaxJsonDepth())
        .withMaxPageBytes(options.getMaxPageBytes())
        .withMaxDecompressionRatio(options.getMaxDecompressionRatio());
  }

  /** How hard this run may drive the API, from the options. */
  static ApiTuning tuning(IntakeOptions options) {
    return ApiTuning.defaults()
        .withBaseUrl(options.getApiBaseUrl())
        .withPageSize(options.getPageSize())
        .withRequestTimeout(Duration.ofSeconds(options.getRequestTimeoutSeconds()))
        .withRetryBudget(options.getRetryBudget())
        .withRetryShare(options.getRetryShare())
        .withMaxPagesPerWindow(options.getMaxPagesPerWindow())
        .withMaxConcurrentRequests(options.getMaxConcurrentRequests())
        .withRequestsPerMinute(options.getRequestsPerMinute())
        .withMaxPageBytes(options.getMaxPageBytes());
  }
}
