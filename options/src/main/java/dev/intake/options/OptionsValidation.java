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
    BACKFILL;

    public static Mode parse(String text) {
      for (Mode m : values()) {
        if (m.name().equalsIgnoreCase(text)) {
          return m;
        }
      }
      throw new InvalidOptionsException(
          "--mode=" + text + " is not a mode; use one of: backfill");
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  private OptionsValidation() {}

  /** Throws {@link InvalidOptionsException} for the first problem found. */
  public static Mode validate(IntakeOptions options) {
    if (options.getDataset() == null || options.getDataset().isBlank()) {
      throw new InvalidOptionsException("--dataset is required (e.g. --dataset=sf311)");
    }
    Mode mode = Mode.parse(options.getMode());
    if (mode == Mode.BACKFILL && (options.getInputFile() == null || options.getInputFile().isBlank())) {
      throw new InvalidOptionsException(
          "--inputFile is required with --mode=backfill (a path or glob of the full-load export)");
    }
    if (options.getRunId() != null && !RUN_ID.matcher(options.getRunId()).matches()) {
      throw new InvalidOptionsException(
          "--runId=" + options.getRunId() + " may hold only letters, digits, '-' and '_'");
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
    if (!java.util.List.of("copy", "batch").contains(options.getLoadMethod())) {
      throw new InvalidOptionsException(
          "--loadMethod=" + options.getLoadMethod() + " is not a load method; use copy or batch");
    }
    String url = options.getJdbcUrl();
    if (url != null
        && !url.startsWith("jdbc:postgresql:")
        && !url.startsWith("jdbc:duckdb:")) {
      throw new InvalidOptionsException(
          "--jdbcUrl=" + url + " is not supported; use jdbc:postgresql://… or jdbc:duckdb:<file>");
    }
    if (options.getJdbcPasswordEnv() != null && System.getenv(options.getJdbcPasswordEnv()) == null) {
      throw new InvalidOptionsException(
          "--jdbcPasswordEnv=" + options.getJdbcPasswordEnv() + " names an environment variable "
              + "that is not set");
    }
    if (options.getLakePath() == null || options.getLakePath().isBlank()) {
      throw new InvalidOptionsException("--lakePath must not be empty");
    }
    return mode;
  }
}
