package dev.intake.pipeline;

import dev.intake.transforms.model.FailPoints;
import dev.intake.transforms.sinks.lake.LakeFiles;
import dev.intake.transforms.sinks.lake.LakeLayout;
import dev.intake.transforms.sinks.warehouse.RunLock;
import dev.intake.transforms.sinks.warehouse.RunRecord;
import dev.intake.transforms.sinks.warehouse.Warehouse;
import dev.intake.transforms.sinks.warehouse.WarehouseCommit;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Makes a run visible, in an order that any crash can be repaired from by running again: (1) the
 * {@link CommitJournal} is written into the run's staging folder; (2) the touched Parquet
 * partitions are swapped in; (3) one database transaction merges the rows into the warehouse,
 * advances the watermark and records the run; (4) the run summary is written and the staging
 * folder removed. Every step is idempotent (the transaction is skipped if the run is already
 * recorded), so {@link #recover} completes a journaled run from wherever it stopped, and removes
 * the leftovers of runs that failed before their journal.
 *
 * <p>Before step (1) the cheap checks run, so that a lack of space or a lost database shows while
 * nothing has changed yet: the lake's file system (when local) has room for the staged bytes, the
 * database answers and this run still holds the dataset's {@link RunLock}. A failure there is a
 * {@link NotStarted}; a failure from step (1) on is the commit left incomplete, for the next run.
 *
 * <p>Step (3) first checks that the run's staging tables hold the rows the summary says the run
 * wrote: PostgreSQL empties its UNLOGGED staging tables when it recovers from a crash, possibly
 * after the journal; a short table is loaded again from the run's published files (see {@link
 * Warehouse#commit}).
 */
final class RunCommit {
  private final DatasetOutputs outputs;
  private final LakeLayout lake;
  private final Warehouse warehouse;
  private final RunLock lock;
  private final Consumer<String> log;
  private SchemaEvolution evolution;

  /** A commit that stopped before its journal: nothing was published. */
  static final class NotStarted extends Exception {
    private static final long serialVersionUID = 1L;

    NotStarted(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** An earlier run's interrupted commit failed again while being completed. */
  static final class Interrupted extends Exception {
    private static final long serialVersionUID = 1L;
    final String runId;

    Interrupted(String runId, Throwable cause) {
      super(cause);
      this.runId = runId;
    }
  }

  RunCommit(DatasetOutputs outputs, Warehouse warehouse, RunLock lock, Consumer<String> log) {
    this.outputs = outputs;
    this.lake = outputs.lake;
    this.warehouse = warehouse;
    this.lock = lock;
    this.log = log;
  }

  /** The run moves the dataset to {@code e}'s schema version. */
  void evolving(SchemaEvolution e) {
    this.evolution = e;
  }

  /**
   * Commits a run whose pipeline succeeded and whose counts were checked. Throws {@link NotStarted}
   * when a check before the journal fails (nothing changed), and anything else when the commit
   * stopped after its journal was written (the next run completes it).
   */
  void commit(RunSummary summary) throws IOException, SQLException, NotStarted {
    CommitJournal journal;
    try {
      checkSpace(summary.runId);
      lock.verify();
      journal = CommitJournal.plan(outputs, summary.runId, summary.partitions,
          summary.historyPartitions == null ? List.of() : summary.historyPartitions);
      if (evolution != null) {
        summary.backfillPending = evolution.pendingAfter(summary.partitions);
        journal.changes.addAll(evolution.tableChanges);
        journal.schema = evolution.record(summary.runId, summary.partitions);
        journal.schemaPath = lake.schemaVersion(evolution.version);
        journal.schemaFile = evolution.lakeRecord(summary.runId, summary.partitions);
      }
      journal.write(lake, summary.toJson());
    } catch (IOException | SQLException | RuntimeException e) {
      throw new NotStarted(IntakeRun.rootMessage(e), e);
    }
    complete(journal);
  }

  /** The lake's file system, when local, has room for the run's staged bytes. */
  private void checkSpace(String runId) throws IOException {
    if (!LakeFiles.isLocal(lake.root())) {
      return;
    }
    Path staged = Path.of(lake.staging(runId).dir().replaceFirst("^file://", ""));
    if (!Files.isDirectory(staged)) {
      return;
    }
    long bytes;
    try (Stream<Path> files = Files.walk(staged)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    FileStore store = Files.getFileStore(staged);
    long free = store.getUsableSpace();
    if (free < bytes) {
      throw new IOException(String.format(java.util.Locale.ROOT,
          "not enough free space on %s (%s): the commit needs about %.1f MB, %.1f MB are free",
          store.name(), lake.root(), bytes / 1e6, free / 1e6));
    }
  }

  /** Publishes only the dead letters and the summary of a run refused before its commit. */
  void refuse(RunSummary summary) throws IOException, SQLException {
    CommitJournal journal = CommitJournal.deadLettersOnly(outputs, summary.runId);
    journal.write(lake, summary.toJson());
    complete(journal);
  }

  private void complete(CommitJournal journal) throws IOException, SQLException {
    journal.swap();
    PausePoints.pause("commit.afterLakeSwap");
    FailPoints.check("commit.afterLakeSwap");
    RunSummary summary = RunSummary.fromJson(journal.summary);
    if ("refused".equals(summary.status)) {
      recordFailure(summary);
    } else {
      warehouse.commit(warehouseCommit(journal, summary), log);
    }
    journal.finish(lake);
  }

  /** Records a run that did not commit (failed or refused), and drops its staging tables. */
  void recordFailure(RunSummary summary) throws SQLException {
    warehouse.recordRun(record(summary));
    warehouse.dropStaging(outputs.tableNames(), summary.runId);
  }

  /**
   * Lets {@code role} read the clean, aggregate and history tables and their public views, not
   * dead letters, tombstones or run history.
   */
  void grantReader(String role) throws SQLException {
    warehouse.grantReader(role, outputs.tables());
  }

  /**
   * Completes every interrupted commit of the dataset, and removes the staged files and staging
   * tables of runs that failed before theirs, saying what it does through the log.
   */
  void recover() throws IOException, SQLException, Interrupted {
    for (String runId : LakeFiles.children(lake.stagingRoot())) {
      CommitJournal journal = CommitJournal.read(lake, runId);
      if (journal != null) {
        log.accept("completing the interrupted commit of run " + runId);
        try {
          complete(journal);
        } catch (IOException | SQLException | RuntimeException e) {
          throw new Interrupted(runId, e);
        }
      } else {
        log.accept("removing the staged output of run " + runId + ", which did not commit");
        LakeFiles.deleteTree(lake.staging(runId).dir());
      }
    }
    LakeFiles.removeIfEmpty(lake.stagingRoot());
    for (String table : outputs.tableNames()) {
      for (String staging : warehouse.stagingTables(table)) {
        log.accept("dropping staging table " + staging + " of a run that did not commit");
        warehouse.dropTable(staging);
      }
    }
  }

  private WarehouseCommit warehouseCommit(CommitJournal journal, RunSummary summary) {
    WarehouseCommit.Builder c =
        WarehouseCommit.of(record(summary), outputs.clean.table, outputs.spec.version());
    for (DatasetOutputs.Output a : outputs.aggregates) {
      c.aggregate(a.table, outputs.replacement(a, summary.partitions));
    }
    c.deadLetters(outputs.deadLetters.table);
    c.changes(journal.changes).schema(journal.schema);
    if (outputs.tombstones != null) {
      c.tombstones(outputs.tombstones.table);
    }
    if (outputs.history != null) {
      c.history(outputs.history.table);
    }
    for (DatasetOutputs.Output o : outputs.all()) {
      c.files(o.table.name(), journal.publishedFiles(o.name));
      // The rows written per output, as the journal's summary holds them, so that staging emptied
      // by a database crash after the journal is noticed and reloaded from those files.
      Long rows = summary.outputs.get(o.name);
      if (rows != null) {
        c.rows(o.table.name(), rows);
      }
    }
    return c.build();
  }

  private static RunRecord record(RunSummary s) {
    RunRecord r = new RunRecord();
    r.runId = s.runId;
    r.dataset = s.dataset;
    r.mode = s.mode;
    r.input = s.input;
    r.runner = s.runner;
    r.startedAt = s.startedAt;
    r.finishedAt = s.finishedAt;
    r.status = s.status;
    r.read = s.read;
    r.written = s.written;
    r.superseded = s.superseded;
    r.rejected = s.rejected;
    r.watermark = s.watermark;
    r.error = s.error;
    r.summary = s.toJson();
    return r;
  }
}
