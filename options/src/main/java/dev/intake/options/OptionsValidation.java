package dev.intake.options;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks option values and their combinations before a pipeline is built, with messages that name
 * the options.
 */
public final class OptionsValidation {
  /** The run modes. */
  public enum Mode {
    BACKFILL,
    INCREMENTAL,
    REPLAY,
    RECONCILE;

    public static Mode parse(String text) {
      for (Mode m : values()) {
        if (m.name().equalsIgnoreCase(text)) {
          return m;
        }
      }
      throw new InvalidOptionsException(
          "--mode=" + text + " is not a mode; use one of: backfill, incremental, replay, reconcile");
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  private OptionsValidation() {}

  /**
   * An ISO-8601 instant ({@code 2024-01-01T06:00:00Z}), a date and time without a zone ({@code
   * 2024-01-01T06:00:00}, read as UTC) or a date ({@code 2024-01-01}, UTC midnight).
   */
  public static java.time.Instant instant(String option, String text) {
    try {
      if (text.length() == 10) {
        return java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      }
      java.time.temporal.TemporalAccessor t = java.time.format.DateTimeFormatter.ISO_DATE_TIME
          .parseBest(text, java.time.OffsetDateTime::from, java.time.LocalDateTime::from);
      return t instanceof java.time.OffsetDateTime o ? o.toInstant()
          : ((java.time.LocalDateTime) t).toInstant(java.time.ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      throw new InvalidOptionsException(option + "=" + text
          + " is not an ISO-8601 date or instant (e.g. 2024-01-01 or 2024-01-01T06:00:00Z)");
    }
  }

  /** A non-negative ISO-8601 duration such as {@code P1D} or {@code PT6H}. */
  public static java.time.Duration duration(String option, String text) {
    try {
      java.time.Duration d = java.time.Duration.parse(text);
      if (d.isNegative()) {
        throw new InvalidOptionsException(option + "=" + text + " must not be negative");
      }
      return d;
    } catch (java.time.format.DateTimeParseException e) {
      throw new InvalidOptionsException(option + "=" + text
          + " is not an ISO-8601 duration (e.g. P1D, PT6H, PT30M)");
    }
  }

  /**
   * A progress interval: {@code 0} (off), seconds, minutes or hours written {@code 30s}, {@code 2m},
   * {@code 1h}, or an ISO-8601 duration ({@code PT30S}).
   */
  public static java.time.Duration interval(String option, String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})([smh]?)")
        .matcher(text == null ? "" : text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      if (m.group(2).isEmpty() && n != 0) {
        throw new InvalidOptionsException(option + "=" + text
            + " needs a unit (e.g. 30s, 2m, 1h; 0 turns it off)");
      }
      return switch (m.group(2)) {
        case "m" -> java.time.Duration.ofMinutes(n);
        case "h" -> java.time.Duration.ofHours(n);
        default -> java.time.Duration.ofSeconds(n);
      };
    }
    if (text != null && text.trim().toUpperCase(java.util.Locale.ROOT).startsWith("P")) {
      return duration(option, text.trim());
    }
    throw new InvalidOptionsException(option + "=" + text
        + " is not an interval (e.g. 30s, 2m, 1h, PT30S; 0 turns it off)");
  }

  private static final Pattern MEMORY_SIZE =
      Pattern.compile("([0-9]{1,12})\\s*([kmg]?)b?", Pattern.CASE_INSENSITIVE);

  /** Bytes of a memory size such as {@code 512m}, {@code 1g}, {@code 65536k} or {@code 1024}. */
  public static long memorySize(String option, String text) {
    return memorySize(option, text, 16L << 20, "the least Flink runs with, 16m");
  }

  /** The embedded DuckDB warehouse's memory limit unless told otherwise: 1 GiB. */
  public static final String DEFAULT_DUCKDB_MEMORY_LIMIT = "1g";

  /**
   * Bytes of {@code --duckdbMemoryLimit}, or of its default; at least 64m, below which DuckDB
   * cannot even read a Parquet row group of the lake.
   */
  public static long duckdbMemoryLimit(String text) {
    return memorySize("--duckdbMemoryLimit", text == null ? DEFAULT_DUCKDB_MEMORY_LIMIT : text,
        64L << 20, "the least the DuckDB warehouse is given, 64m");
  }

  private static long memorySize(String option, String text, long least, String leastText) {
    java.util.regex.Matcher m = MEMORY_SIZE.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new InvalidOptionsException(
          option + "=" + text + " is not a memory size (e.g. 512m, 1g)");
    }
    int shift = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      default -> 0;
    };
    long bytes = Long.parseLong(m.group(1)) << shift;
    if (bytes < least) {
      throw new InvalidOptionsException(option + "=" + text + " is below " + leastText);
    }
    return bytes;
  }

  private static void positive(String option, Integer value) {
    if (value == null || value <= 0) {
      throw new InvalidOptionsException(option + " must be > 0, but was " + value);
    }
  }

  /** Throws {@link InvalidOptionsException} for the first problem found. */
  public static Mode validate(IntakeOptions options) {
    if (options.getDataset() == null || options.getDataset().isBlank()) {
      throw new InvalidOptionsException("--dataset is required (e.g. --dataset=sf311)");
    }
    Mode mode = Mode.parse(options.getMode());
    boolean file = options.getInputFile() != null && !options.getInputFile().isBlank();
    if (mode == Mode.BACKFILL && !file && options.getFrom() == null) {
      throw new InvalidOptionsException(
          "--mode=backfill needs --inputFile (a path or glob of the full-load export) or --from "
              + "(the start of the API range to read)");
    }
    if (file && options.getFrom() != null) {
      throw new InvalidOptionsException(
          "--inputFile and --from exclude each other: a backfill reads a file or the API");
    }
    if (mode != Mode.BACKFILL && file) {
      throw new InvalidOptionsException("--inputFile is only for --mode=backfill");
    }
    if (mode == Mode.RECONCILE && (options.getFrom() == null || options.getTo() == null)) {
      throw new InvalidOptionsException("--mode=reconcile needs --from and --to: the range of the"
          + " partition field whose keys are compared with the source");
    }
    double deleteRatio = options.getMaxDeleteRatio();
    if (!(deleteRatio >= 0 && deleteRatio <= 1)) {
      throw new InvalidOptionsException(
          "--maxDeleteRatio must be between 0 and 1, but was " + deleteRatio);
    }
    if (mode == Mode.REPLAY && options.getRunId() == null) {
      throw new InvalidOptionsException("--mode=replay needs --runId, the run whose raw pages to load again");
    }
    if (mode == Mode.REPLAY && (options.getFrom() != null || options.getTo() != null)) {
      throw new InvalidOptionsException("--from and --to do not apply to --mode=replay");
    }
    java.time.Instant from = options.getFrom() == null ? null : instant("--from", options.getFrom());
    java.time.Instant to = options.getTo() == null ? null : instant("--to", options.getTo());
    if (from != null && to != null && !from.isBefore(to)) {
      throw new InvalidOptionsException("--from=" + options.getFrom() + " must be before --to=" + options.getTo());
    }
    if (duration("--window", options.getWindow()).isZero()) {
      throw new InvalidOptionsException("--window must be longer than zero");
    }
    duration("--lookback", options.getLookback());
    interval("--progressInterval", options.getProgressInterval());
    positive("--maxConcurrentRequests", options.getMaxConcurrentRequests());
    positive("--maxPagesPerWindow", options.getMaxPagesPerWindow());
    positive("--requestTimeoutSeconds", options.getRequestTimeoutSeconds());
    if (options.getPageSize() != null) {
      positive("--pageSize", options.getPageSize());
    }
    if (options.getRequestsPerMinute() != null) {
      positive("--requestsPerMinute", options.getRequestsPerMinute());
    }
    positive("--rowsPerWindow", options.getRowsPerWindow());
    positive("--dedupBuckets", options.getDedupBuckets());
    positive("--aggregateBuckets", options.getAggregateBuckets());
    memorySize("--flinkManagedMemory", options.getFlinkManagedMemory());
    memorySize("--flinkNetworkMemory", options.getFlinkNetworkMemory());
    positive("--maxRecordBytes", options.getMaxRecordBytes());
    positive("--maxFieldBytes", options.getMaxFieldBytes());
    positive("--maxColumns", options.getMaxColumns());
    positive("--maxJsonDepth", options.getMaxJsonDepth());
    positive("--maxPageBytes", options.getMaxPageBytes());
    positive("--maxDecompressionRatio", options.getMaxDecompressionRatio());
    Double share = options.getRetryShare();
    if (share == null || share.isNaN() || share < 0 || share > 100) {
      throw new InvalidOptionsException("--retryShare must be within [0, 100], but was " + share);
    }
    if (options.getRetryBudget() < 0) {
      throw new InvalidOptionsException("--retryBudget must be >= 0, but was " + options.getRetryBudget());
    }
    if (options.getRunId() != null && !RUN_ID.matcher(options.getRunId()).matches()) {
      throw new InvalidOptionsException(
          "--runId=" + options.getRunId() + " may hold only letters, digits, '-' and '_'");
    }
    if (options.getStaleLockSeconds() <= 0) {
      throw new InvalidOptionsException(
          "--staleLockSeconds must be > 0, but was " + options.getStaleLockSeconds());
    }
    double ratio = options.getMaxRejectedRatio();
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new InvalidOptionsException(
          "--maxRejectedRatio must be between 0 and 1, but was " + ratio);
    }
    if (options.getSplitSizeMb() <= 0) {
      throw new InvalidOptionsException(
          "--splitSizeMb must be > 0, but was " + options.getSplitSizeMb());
    }
    if (options.getMaxRowsPerFile() <= 0) {
      throw new InvalidOptionsException(
          "--maxRowsPerFile must be > 0, but was " + options.getMaxRowsPerFile());
    }
    if (!java.util.List.of("copy", "copy_csv", "batch").contains(options.getLoadMethod())) {
      throw new InvalidOptionsException("--loadMethod=" + options.getLoadMethod()
          + " is not a load method; use copy, copy_csv or batch");
    }
    duckdbMemoryLimit(options.getDuckdbMemoryLimit());
    if (options.getDuckdbThreads() != null) {
      positive("--duckdbThreads", options.getDuckdbThreads());
    }
    if (options.getReaderRole() != null && !options.getReaderRole().matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new InvalidOptionsException("--readerRole=" + options.getReaderRole() + " is not a role name");
    }
    if (options.getJdbcPasswordEnv() != null && System.getenv(options.getJdbcPasswordEnv()) == null) {
      throw new InvalidOptionsException(
          "--jdbcPasswordEnv=" + options.getJdbcPasswordEnv() + " names an environment variable "
              + "that is not set");
    }
    if (options.getJdbcPasswordFile() != null) {
      if (options.getJdbcPasswordEnv() != null) {
        throw new InvalidOptionsException(
            "give the database password by --jdbcPasswordEnv or by --jdbcPasswordFile, not both");
      }
      if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(options.getJdbcPasswordFile()))) {
        throw new InvalidOptionsException("--jdbcPasswordFile=" + options.getJdbcPasswordFile()
            + " is not a readable file");
      }
    }
    if (options.getLakePath() == null || options.getLakePath().isBlank()) {
      throw new InvalidOptionsException("--lakePath must not be empty");
    }
    monitoring(options);
    return mode;
  }

  /** The webhook (never echoed: it is a secret) and the Pushgateway's URL. */
  private static void monitoring(MonitoringOptions options) {
    if (options.getAlertWebhook() != null && options.getAlertWebhookEnv() != null) {
      throw new InvalidOptionsException(
          "give the alert webhook by --alertWebhook or by --alertWebhookEnv, not both");
    }
    String hook = options.getAlertWebhook();
    if (options.getAlertWebhookEnv() != null) {
      hook = System.getenv(options.getAlertWebhookEnv());
      if (hook == null || hook.isBlank()) {
        throw new InvalidOptionsException("--alertWebhookEnv=" + options.getAlertWebhookEnv()
            + " names an environment variable that is not set");
      }
    }
    if (hook != null && !hook.matches("(?i)https?://[^\\s/?#]+.*")) {
      throw new InvalidOptionsException("the alert webhook is not an http:// or https:// URL"
          + " (its value is not shown: it is a secret)");
    }
    String push = options.getMetricsPushUrl();
    if (push != null && !push.matches("(?i)https?://[^\\s/?#]+/?")) {
      throw new InvalidOptionsException("--metricsPushUrl=" + push + " is not a Pushgateway"
          + " address such as http://pushgateway:9091");
    }
  }
}
