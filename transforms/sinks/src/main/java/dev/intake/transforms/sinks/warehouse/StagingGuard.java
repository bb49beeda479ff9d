package dev.intake.transforms.sinks.warehouse;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Checks, before a commit's transaction, that the run's staging holds every row the run wrote
 * ({@link WarehouseCommit#rows}), so that a merge never commits a partial warehouse. PostgreSQL
 * empties UNLOGGED tables when it recovers from a crash of its own: a staging table found short is
 * created again and loaded from the run's published Parquet files, which hold exactly the rows the
 * run wrote; the reloads are said in one line. Where the rows cannot be restored (files missing,
 * or a dialect that reads the files themselves at commit), it throws an {@link
 * IllegalStateException} whose one-line message names the run, the table and the counts; the
 * warehouse is then unchanged and the commit stays incomplete for the next run.
 */
final class StagingGuard {
  private final Connection connection;
  private final Dialect dialect;
  private final String raw;

  StagingGuard(Connection connection, Dialect dialect, String raw) {
    this.connection = connection;
    this.dialect = dialect;
    this.raw = raw;
  }

  /**
   * Checks (and where short, reloads) the staging of every table {@code c} counts rows for, except
   * {@code fromFiles} (empty tables the commit loads from the run's files, not from staging); says
   * the reloads, if any, in one line on {@code log}.
   */
  void check(WarehouseCommit c, Consumer<String> log, java.util.Set<WarehouseTable> fromFiles)
      throws SQLException {
    connection.setAutoCommit(true);
    List<String> reloaded = new ArrayList<>();
    for (WarehouseTable t : c.tables()) {
      long wrote = c.rows.getOrDefault(t.name(), 0L);
      if (wrote > 0 && !fromFiles.contains(t)) {
        String note = check(c.runId, t, wrote, c.filesOf(t));
        if (note != null) {
          reloaded.add(note);
        }
      }
    }
    if (!reloaded.isEmpty()) {
      log.accept("run " + c.runId + ": staging held fewer rows than the run wrote (PostgreSQL"
          + " empties unlogged tables when it recovers from a crash); reloaded from the run's"
          + " published Parquet files: " + String.join(", ", reloaded));
    }
  }

  /** Checks one table's staging; returns what a reload did, or null when none was needed. */
  private String check(String runId, WarehouseTable t, long wrote, List<String> files)
      throws SQLException {
    if (!dialect.loadsInPipeline()) {
      List<String> present = present(runId, t, files);
      long rows = dialect.stagedRows(connection, raw, t, runId, present);
      if (rows < wrote) {
        throw new IllegalStateException(String.format(Locale.ROOT,
            "run %s: the published Parquet files of %s hold %d of the %d rows the run wrote%s;"
                + " the warehouse was not changed", runId, t.name(), rows, wrote,
            missing(files, present)));
      }
      return null;
    }
    long staged = dialect.stagedRows(connection, raw, t, runId, files);
    if (staged >= wrote) {
      return null;
    }
    String staging = raw + "." + Dialect.stagingName(t.name(), runId);
    String was = staged < 0 ? "staging table " + staging + " is gone"
        : "staging table " + staging + " holds " + staged + " of the " + wrote
            + " rows the run wrote";
    List<String> present = present(runId, t, files);
    long reloaded;
    try {
      reloaded = dialect.reloadStaging(connection, raw, t, runId, present);
    } catch (IOException e) {
      IllegalStateException failed = new IllegalStateException("run " + runId + ": " + was
          + ", and reading its published Parquet files failed (" + e.getMessage()
          + "); the warehouse was not changed");
      failed.addSuppressed(e);
      throw failed;
    }
    if (reloaded < wrote) {
      throw new IllegalStateException(String.format(Locale.ROOT,
          "run %s: %s, and its published Parquet files hold only %d%s; the warehouse was not"
              + " changed", runId, was, reloaded, missing(files, present)));
    }
    return String.format(Locale.ROOT, "%s %d rows (held %s) from %d file(s)", t.name(), reloaded,
        staged < 0 ? "no table" : Long.toString(staged), present.size());
  }

  /** The {@code files} that exist. */
  private static List<String> present(String runId, WarehouseTable t, List<String> files) {
    List<String> present = new ArrayList<>();
    try {
      List<MatchResult> matches = FileSystems.match(files, EmptyMatchTreatment.ALLOW);
      for (int i = 0; i < files.size(); i++) {
        MatchResult m = matches.get(i);
        if (m.status() == MatchResult.Status.OK && !m.metadata().isEmpty()) {
          present.add(files.get(i));
        }
      }
    } catch (IOException e) {
      IllegalStateException failed = new IllegalStateException("run " + runId
          + ": the published Parquet files of " + t.name() + " could not be listed ("
          + e.getMessage() + "); the warehouse was not changed");
      failed.addSuppressed(e);
      throw failed;
    }
    return present;
  }

  private static String missing(List<String> files, List<String> present) {
    int missing = files.size() - present.size();
    return missing == 0 ? ""
        : String.format(Locale.ROOT, " (files missing: %d of %d, e.g. %s)", missing,
            files.size(), files.stream().filter(f -> !present.contains(f)).findFirst().orElse(""));
  }
}
