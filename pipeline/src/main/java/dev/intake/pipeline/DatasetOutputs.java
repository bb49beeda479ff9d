package dev.intake.pipeline;

import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.steps.DeadLetterRows;
import dev.intake.pipeline.steps.Outputs;
import dev.intake.pipeline.steps.ParseDeletions;
import dev.intake.transforms.history.VersionHistory;
import dev.intake.transforms.sinks.lake.LakeLayout;
import dev.intake.transforms.sinks.lake.Partitioner;
import dev.intake.transforms.sinks.warehouse.Replacement;
import dev.intake.transforms.sinks.warehouse.WarehouseTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;

/**
 * A dataset's outputs, each with its name, its warehouse table, and where it is staged and
 * published in the lake: the clean dataset, one per aggregate, the dead letters, the tombstones,
 * the version history. The one place that maps outputs to tables and folders, for the pipeline's
 * loads and the commit.
 */
final class DatasetOutputs {
  /** How an output's published content is replaced by a run. */
  enum Scope {
    /** The touched partitions (the clean data, and aggregates aligned with its partitions). */
    TOUCHED_PARTITIONS,
    /** The whole folder and table (an aggregate recomputed whole). */
    WHOLE,
    /** A folder of the run's own, appended to the table (dead letters). */
    RUN,
    /** The history partitions the run rewrites (the version history). */
    HISTORY_PARTITIONS
  }

  /** One output. */
  static final class Output {
    final String name;
    final WarehouseTable table;
    final Scope scope;
    /** The date column whose ranges a run replaces in the warehouse, for aligned aggregates. */
    final String dateColumn;
    /** The aggregate's name, or null for the clean data and the dead letters. */
    final String aggregate;

    Output(String name, WarehouseTable table, Scope scope, String dateColumn, String aggregate) {
      this.name = name;
      this.table = table;
      this.scope = scope;
      this.dateColumn = dateColumn;
      this.aggregate = aggregate;
    }
  }

  final DatasetSpec spec;
  final LakeLayout lake;
  final Output clean;
  final List<Output> aggregates = new ArrayList<>();
  final Output deadLetters;
  /**
   * The tombstones (deleted keys) of a dataset with an API source, whose deletions or
   * reconciliations make them, when its version is a timestamp (deletions are compared with it);
   * else null.
   */
  final Output tombstones;
  /**
   * The version history, when the spec asks for one (its table's key: the dataset's key and
   * {@code valid_from}); else null.
   */
  final Output history;

  DatasetOutputs(DatasetSpec spec, LakeLayout lake) {
    this.spec = spec;
    this.lake = lake;
    Schema cleanSchema = IntakePipeline.cleanSchema(spec);
    this.clean = new Output(Outputs.CLEAN,
        new WarehouseTable(spec.name(), cleanSchema, spec.key()).hiddenFromPublic(hidden(spec)),
        Scope.TOUCHED_PARTITIONS, null, null);
    for (DatasetSpec.Aggregate a : spec.aggregates()) {
      Partitioner p = a.lakePartitioner(spec.partitioner());
      aggregates.add(new Output(Outputs.aggregate(a.name()),
          new WarehouseTable(spec.name() + "_" + a.name(),
              a.transform().outputSchema(cleanSchema), List.of()),
          p == null ? Scope.WHOLE : Scope.TOUCHED_PARTITIONS, p == null ? null : a.bucketColumn(),
          a.name()));
    }
    this.deadLetters = new Output(Outputs.DEAD_LETTERS,
        new WarehouseTable(spec.name() + "_deadletter", DeadLetterRows.SCHEMA, List.of())
            .inRawLayer(),
        Scope.RUN, null, null);
    boolean deletable = spec.api() != null && cleanSchema.getField(spec.version()).getType()
        .getTypeName() == Schema.TypeName.DATETIME;
    this.tombstones = !deletable ? null
        : new Output(Outputs.TOMBSTONES,
            new WarehouseTable(spec.name() + "_tombstones",
                ParseDeletions.schema(cleanSchema, spec.key()), List.of()).inRawLayer(),
            Scope.RUN, null, null);
    List<String> historyKey = new ArrayList<>(spec.key());
    historyKey.add(VersionHistory.VALID_FROM);
    this.history = !spec.history() ? null
        : new Output(Outputs.HISTORY,
            new WarehouseTable(spec.name() + "_history", VersionHistory.schema(cleanSchema),
                historyKey).hiddenFromPublic(hidden(spec)),
            Scope.HISTORY_PARTITIONS, null, null);
  }

  /**
   * The clean columns the public layer leaves out: the hashed PII fields (a hash still links a
   * person's records) and the watermark field, the source's bookkeeping.
   */
  static List<String> hidden(DatasetSpec spec) {
    List<String> hidden = new ArrayList<>(spec.hashed());
    if (spec.watermark() != null) {
      hidden.add(spec.watermark());
    }
    return hidden;
  }

  /** Every output, clean first, dead letters then tombstones and history (if any) last. */
  List<Output> all() {
    List<Output> all = new ArrayList<>();
    all.add(clean);
    all.addAll(aggregates);
    all.add(deadLetters);
    if (tombstones != null) {
      all.add(tombstones);
    }
    if (history != null) {
      all.add(history);
    }
    return all;
  }

  List<WarehouseTable> tables() {
    List<WarehouseTable> tables = new ArrayList<>();
    all().forEach(o -> tables.add(o.table));
    return tables;
  }

  List<String> tableNames() {
    List<String> names = new ArrayList<>();
    all().forEach(o -> names.add(o.table.name()));
    return names;
  }

  /** Where run {@code runId} stages {@code o}. */
  String staged(Output o, String runId) {
    LakeLayout.Staging s = lake.staging(runId);
    if (o == clean) {
      return s.clean();
    }
    if (o == tombstones) {
      return s.tombstones();
    }
    if (o == history) {
      return s.history();
    }
    return o == deadLetters ? s.deadLetters() : s.aggregate(o.aggregate);
  }

  /** Where {@code o} is published ({@code runId}'s own folder for dead letters). */
  String published(Output o, String runId) {
    if (o == clean) {
      return lake.clean();
    }
    if (o == tombstones) {
      return lake.tombstones(runId);
    }
    if (o == history) {
      return lake.history();
    }
    return o == deadLetters ? lake.deadLetters(runId) : lake.aggregate(o.aggregate);
  }

  /**
   * The folders a run swaps for {@code o}: the touched partitions, the touched history partitions
   * ({@code historyTouched}), or the whole folder ("").
   */
  List<String> swapped(Output o, List<String> touched, List<String> historyTouched) {
    if (o.scope == Scope.HISTORY_PARTITIONS) {
      return historyTouched;
    }
    return o.scope == Scope.TOUCHED_PARTITIONS ? touched : List.of("");
  }

  /** What an aggregate's new rows replace in the warehouse. */
  Replacement replacement(Output o, List<String> touched) {
    if (o.scope == Scope.WHOLE) {
      return Replacement.all();
    }
    List<LocalDate[]> ranges = new ArrayList<>();
    for (String partition : touched) {
      LocalDate[] range = spec.partitioner().dateRange(partition);
      if (range != null) {
        ranges.add(range);
      }
    }
    return Replacement.ranges(o.dateColumn, ranges);
  }
}
