package dev.intake.pipeline;

import dev.intake.transforms.sinks.lake.LakeLayout;
import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.steps.DeadLetterRows;
import dev.intake.pipeline.steps.MarkOrigin;
import dev.intake.transforms.sinks.lake.ReadLake;
import dev.intake.pipeline.steps.Tallies;
import dev.intake.pipeline.steps.TouchedPartitions;
import dev.intake.transforms.dedup.DedupByKey;
import dev.intake.transforms.derive.DeriveColumns;
import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.Schemas;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.model.WithDeadLetters;
import dev.intake.transforms.parse.ParseRecords;
import dev.intake.transforms.validate.ValidateRecords;
import dev.intake.transforms.sinks.lake.Partitioner;
import dev.intake.transforms.sinks.lake.WriteParquet;
import dev.intake.transforms.sinks.warehouse.WriteWarehouse;
import dev.intake.transforms.sinks.lake.WrittenFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;

/**
 * Builds the Intake pipeline for one run: read (an export, API pages or the raw layer: the source
 * is a parameter) → parse → validate → derive → dedup against the
 * lake → write the touched partitions, their aggregates and the dead letters to the run's staging
 * folder, plus the run's tallies. Nothing here publishes anything; {@link LakeCommit} does, after
 * the pipeline has succeeded.
 */
public final class IntakePipeline {
  /** Everything a run's pipeline needs, as plain values. */
  public static final class Config {
    final DatasetSpec spec;
    final Lineage lineage;
    final LakeLayout lake;
    final PTransform<PBegin, PCollection<SourceRecord>> source;
    final RecordFormat inputFormat;
    final int maxRowsPerFile;
    final StagingLoad stagingLoad;

    public Config(
        DatasetSpec spec,
        Lineage lineage,
        LakeLayout lake,
        PTransform<PBegin, PCollection<SourceRecord>> source,
        RecordFormat inputFormat,
        int maxRowsPerFile,
        StagingLoad stagingLoad) {
      this.spec = spec;
      this.lineage = lineage;
      this.lake = lake;
      this.source = source;
      this.inputFormat = inputFormat;
      this.maxRowsPerFile = maxRowsPerFile;
      this.stagingLoad = stagingLoad;
    }
  }

  /**
   * Where the pipeline loads the warehouse's staging tables (PostgreSQL); null when the warehouse
   * loads from the staged Parquet at commit (DuckDB).
   */
  public static final class StagingLoad {
    final WriteWarehouse template;
    final String cleanTable;
    final Map<String, String> aggregateTables;
    final String deadLetterTable;

    public StagingLoad(
        WriteWarehouse template,
        String cleanTable,
        Map<String, String> aggregateTables,
        String deadLetterTable) {
      this.template = template;
      this.cleanTable = cleanTable;
      this.aggregateTables = aggregateTables;
      this.deadLetterTable = deadLetterTable;
    }
  }

  private IntakePipeline() {}

  /** The schema of the clean dataset: the spec's fields after PII handling, then derived columns. */
  public static Schema cleanSchema(DatasetSpec spec) {
    return derive(spec).outputSchema(Schemas.of(spec.fields()));
  }

  static DeriveColumns derive(DatasetSpec spec) {
    return DeriveColumns.of(spec.derived())
        .withHashed(spec.hashed(), spec.hashKeyEnv())
        .withDropped(spec.dropped());
  }

  /** Adds the run's transforms to {@code p}. */
  public static void build(Pipeline p, Config c) {
    DatasetSpec spec = c.spec;
    LakeLayout.Staging staging = c.lake.staging(c.lineage.getRunId());
    Schema clean = cleanSchema(spec);
    List<PCollection<KV<String, Long>>> tallies = new ArrayList<>();

    PCollection<SourceRecord> records = p.apply("ReadRecords", c.source);
    WithDeadLetters<KV<SourceRecord, Row>> parsed =
        records.apply("ParseRecords", ParseRecords.of(spec.fields(), c.inputFormat, c.lineage));
    WithDeadLetters<Row> valid =
        parsed.output().apply("ValidateRecords", ValidateRecords.of(spec.rules(), c.lineage));
    PCollection<Row> incoming =
        valid
            .output()
            .apply("DeriveColumns", derive(spec))
            .apply("MarkIncoming", MarkOrigin.incoming());
    PCollection<Row> stored =
        p.apply("ReadLake", ReadLake.of(c.lake.clean(), clean))
            .apply("MarkStored", MarkOrigin.stored());
    DedupByKey.Result dedup =
        PCollectionList.of(incoming)
            .and(stored)
            .apply("IncomingAndStored", Flatten.pCollections())
            .setRowSchema(incoming.getSchema())
            .apply("DedupByKey", DedupByKey.of(spec.key(), spec.version()));
    PCollection<String> touched =
        dedup.apply("TouchedPartitions", TouchedPartitions.of(spec.partitioner()));
    PCollection<Row> current =
        dedup
            .newest()
            .apply("KeepTouched", TouchedPartitions.keep(touched, spec.partitioner()));
    PCollection<Row> cleanRows = current.apply("StripOrigin", MarkOrigin.strip(clean));

    tallies.add(records.apply("TallyRead", Tallies.each((SourceRecord r) -> KV.of("read", 1L))));
    tallies.add(parsed.output().apply("TallyParsed", Tallies.each(kv -> KV.of("parsed", 1L))));
    tallies.add(
        dedup
            .superseded()
            .apply(
                "TallySuperseded",
                Tallies.each(
                    (Row r) -> KV.of(MarkOrigin.isIncoming(r) ? "superseded" : "replaced", 1L))));
    tallies.add(
        current.apply(
            "TallyWritten",
            Tallies.each((Row r) -> KV.of(MarkOrigin.isIncoming(r) ? "written" : "carried", 1L))));
    tallies.add(
        touched.apply("TallyPartitions", Tallies.each((String t) -> KV.of("partition\t" + t, 1L))));

    PCollection<WrittenFile> cleanFiles =
        cleanRows.apply(
            "WriteClean",
            WriteParquet.to(staging.clean())
                .partitionedBy(spec.partitioner())
                .sortedBy(spec.key())
                .withMaxRowsPerFile(c.maxRowsPerFile));
    tallies.add(cleanFiles.apply("TallyCleanFiles", tallyFiles("clean")));
    String version = spec.version();
    if (clean.getField(version).getType().getTypeName() == Schema.TypeName.DATETIME) {
      tallies.add(
          current.apply(
              "TallyNewestVersion",
              Tallies.max((Row r) -> KV.of("version", r.getDateTime(version).getMillis()))));
    }
    String watermark = spec.watermark();
    if (watermark != null) {
      tallies.add(
          current
              .apply("WithWatermarkField", Filter.by((Row r) -> r.getDateTime(watermark) != null))
              .apply(
                  "TallyNewestWatermark",
                  Tallies.max((Row r) -> KV.of("watermark", r.getDateTime(watermark).getMillis()))));
    }
    StagingLoad load = c.stagingLoad;
    if (load != null) {
      cleanRows.apply("LoadWarehouseClean", load.template.withTable(load.cleanTable));
    }

    for (DatasetSpec.Aggregate agg : spec.aggregates()) {
      Partitioner aggPartitioner = agg.lakePartitioner(spec.partitioner());
      if (aggPartitioner == null) {
        throw new UnsupportedOperationException("aggregate " + agg.name() + " of " + spec.file()
            + " is not aligned with the lake's partitions (its bucket is not a day or month of the"
            + " partition field within them), and recomputing an aggregate whole is not supported");
      }
      if (!agg.bucketColumn().equals(spec.aggregates().get(0).bucketColumn())) {
        // The warehouse commit replaces the touched ranges of every aggregate through one column.
        throw new UnsupportedOperationException("aggregate " + agg.name() + " of " + spec.file()
            + ": every aggregate must name its bucket column like the first one, "
            + spec.aggregates().get(0).bucketColumn());
      }
      List<String> order = new ArrayList<>();
      order.add(agg.bucketColumn());
      PCollection<Row> aggregated = cleanRows.apply("Aggregate_" + agg.name(), agg.transform());
      if (load != null) {
        aggregated.apply(
            "LoadWarehouseAggregate_" + agg.name(),
            load.template.withTable(load.aggregateTables.get(agg.name())));
      }
      PCollection<WrittenFile> files =
          aggregated
              .apply(
                  "WriteAggregate_" + agg.name(),
                  WriteParquet.to(staging.aggregate(agg.name()))
                      .partitionedBy(aggPartitioner)
                      .sortedBy(order));
      tallies.add(files.apply("TallyAggregateFiles_" + agg.name(), tallyFiles("aggregate:" + agg.name())));
    }

    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(parsed.deadLetters())
            .and(valid.deadLetters())
            .apply("AllDeadLetters", Flatten.pCollections());
    tallies.add(
        deadLetters.apply(
            "TallyRejected",
            Tallies.each(
                (DeadLetter d) -> KV.of("rejected\t" + d.getStage() + "\t" + d.getReasonCode(), 1L))));
    PCollection<Row> deadLetterRows = deadLetters.apply("DeadLettersAsRows", new DeadLetterRows());
    if (load != null) {
      deadLetterRows.apply(
          "LoadWarehouseDeadLetters", load.template.withTable(load.deadLetterTable));
    }
    PCollection<WrittenFile> deadLetterFiles =
        deadLetterRows
            .apply(
                "WriteDeadLetters",
                WriteParquet.to(staging.deadLetters()).sortedBy(List.of("source", "offset")));
    tallies.add(deadLetterFiles.apply("TallyDeadLetterFiles", tallyFiles("deadletter")));

    PCollectionList.of(tallies).apply("WriteTallies", Tallies.writeTo(staging.tallies()));
  }

  private static Tallies.Each<WrittenFile> tallyFiles(String output) {
    return Tallies.each((WrittenFile f) -> KV.of("rows\t" + output, f.getRows()));
  }
}
