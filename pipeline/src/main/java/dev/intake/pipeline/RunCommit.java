package dev.intake.pipeline;

import dev.intake.transforms.sinks.lake.LakeFiles;
import dev.intake.transforms.sinks.lake.LakeLayout;
import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.steps.DeadLetterRows;
import dev.intake.transforms.sinks.warehouse.Warehouse;
import dev.intake.transforms.sinks.warehouse.WarehouseTable;
import dev.intake.transforms.model.FailPoints;
import java.io.IOException;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Makes a run visible, in an order that any crash can be repaired from by running again: (1) the
 * journal is written into the run's staging folder; (2) the touched Parquet partitions are swapped
 * in; (3) one database transaction merges the rows into the warehouse, advances the watermark and
 * records the run; (4) the run summary is written and the staging folder removed. Every step is
 * idempotent (the transaction is skipped if the run is already recorded), so {@link #recover}
 * completes a journaled run from wherever it stopped, and removes the leftovers of runs that
 * failed before their journal.
 */
final class RunCommit {
  private RunCommit() {}

  /** The warehouse tables of a dataset: clean, one per aggregate, dead letters. */
  static List<WarehouseTable> tables(DatasetSpec spec) {
    List<WarehouseTable> tables = new ArrayList<>();
    tables.add(clean(spec));
    for (DatasetSpec.Aggregate a : spec.aggregates()) {
      tables.add(aggregate(spec, a));
    }
    tables.add(deadLetters(spec));
    return tables;
  }

  private static WarehouseTable clean(DatasetSpec spec) {
    return new WarehouseTable(spec.name(), IntakePipeline.cleanSchema(spec), spec.key());
  }

  private static WarehouseTable aggregate(DatasetSpec spec, DatasetSpec.Aggregate a) {
    return new WarehouseTable(
        spec.name() + "_" + a.name(),
        a.transform().outputSchema(IntakePipeline.cleanSchema(spec)),
        List.of());
  }

  private static WarehouseTable deadLetters(DatasetSpec spec) {
    return new WarehouseTable(spec.name() + "_deadletter", DeadLetterRows.SCHEMA, List.of());
  }

  /** Commits a run whose pipeline succeeded and whose counts were checked. */
  static void commit(
      LakeLayout lake, Warehouse warehouse, DatasetSpec spec, LakeCommit.Journal journal,
      RunSummary summary) throws IOException, SQLException {
    LakeCommit.writeJournal(lake, journal, summary.toJson());
    complete(lake, warehouse, spec, journal);
  }

  private static void complete(
      LakeLayout lake, Warehouse warehouse, DatasetSpec spec, LakeCommit.Journal journal)
      throws IOException, SQLException {
    LakeCommit.swap(journal);
    FailPoints.check("commit.afterLakeSwap");
    RunSummary summary = RunSummary.fromJson(journal.summary);
    if (!"refused".equals(summary.status)) {
      warehouse.commit(warehouseCommit(spec, journal, summary));
    } else {
      warehouse.recordRun(record(summary));
      warehouse.dropStaging(names(spec), journal.runId);
    }
    LakeCommit.finish(lake, journal);
  }

  /** Lets {@code role} read the clean and aggregate tables, not dead letters or run history. */
  static void grantReader(Warehouse warehouse, DatasetSpec spec, String role) throws SQLException {
    List<String> readable = new ArrayList<>();
    readable.add(clean(spec).name());
    spec.aggregates().forEach(a -> readable.add(aggregate(spec, a).name()));
    warehouse.grantReader(role, readable,
        List.of(deadLetters(spec).name(), Warehouse.RUNS, Warehouse.STATE));
  }

  /** Records a run that failed before its commit, and drops its staging tables. */
  static void recordFailure(Warehouse warehouse, DatasetSpec spec, RunSummary summary)
      throws SQLException {
    warehouse.recordRun(record(summary));
    warehouse.dropStaging(names(spec), summary.runId);
  }

  /**
   * Completes every interrupted commit of the dataset, removes the staged files and staging tables
   * of runs that failed before theirs, and says what it did through {@code log}.
   */
  static void recover(LakeLayout lake, Warehouse warehouse, DatasetSpec spec, Consumer<String> log)
      throws IOException, SQLException {
    for (String runId : LakeFiles.children(lake.stagingRoot())) {
      LakeCommit.Journal journal = LakeCommit.readJournal(lake, runId);
      if (journal != null) {
        log.accept("completing the interrupted commit of run " + runId);
        complete(lake, warehouse, spec, journal);
      } else {
        log.accept("removing the staged output of run " + runId + ", which did not commit");
        LakeFiles.deleteTree(lake.staging(runId).dir());
      }
    }
    LakeFiles.removeIfEmpty(lake.stagingRoot());
    for (String table : names(spec)) {
      for (String staging : warehouse.stagingTables(table)) {
        log.accept("dropping staging table " + staging + " of a run that did not commit");
        warehouse.dropTable(staging);
      }
    }
  }

  private static List<String> names(DatasetSpec spec) {
    List<String> names = new ArrayList<>();
    tables(spec).forEach(t -> names.add(t.name()));
    return names;
  }

  private static Warehouse.Commit warehouseCommit(
      DatasetSpec spec, LakeCommit.Journal journal, RunSummary summary) {
    Warehouse.Commit c = new Warehouse.Commit();
    c.runId = journal.runId;
    c.dataset = spec.name();
    c.clean = clean(spec);
    c.version = spec.version();
    for (DatasetSpec.Aggregate a : spec.aggregates()) {
      // One column for all: IntakePipeline accepts only aggregates that share it.
      c.aggregateDayColumn = a.bucketColumn();
      c.aggregates.add(aggregate(spec, a));
    }
    for (String partition : summary.partitions) {
      LocalDate[] range = spec.partitioner().dateRange(partition);
      if (range != null) {
        c.dayRanges.add(range);
      }
    }
    c.deadLetters = deadLetters(spec);
    List<WarehouseTable> tables = tables(spec);
    for (int i = 0; i < journal.moves.size() && i < tables.size(); i++) {
      c.parquetFiles.put(tables.get(i).name(), LakeCommit.publishedFiles(journal.moves.get(i)));
    }
    c.run = record(summary);
    return c;
  }

  private static Warehouse.RunRecord record(RunSummary s) {
    Warehouse.RunRecord r = new Warehouse.RunRecord();
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
