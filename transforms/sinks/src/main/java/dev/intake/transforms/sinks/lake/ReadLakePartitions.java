package dev.intake.transforms.sinks.lake;

import java.util.Map;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Reads the published rows of some partitions of a dataset's clean lake folder: input, the
 * partition folders ({@code name=value}, as {@link Partitioner#folderOf} gives them, each once);
 * output, every row stored in them, as rows of the clean schema, read as {@link ReadLake} reads
 * them (older schema versions mapped onto the current one). A folder that does not exist yields
 * no rows.
 */
public final class ReadLakePartitions extends PTransform<PCollection<String>, PCollection<Row>> {
  private final String directory;
  private final Schema schema;
  private final Map<String, String> renamedFrom;
  private final StoredRowFilter filter;

  private ReadLakePartitions(String directory, Schema schema, Map<String, String> renamedFrom,
      StoredRowFilter filter) {
    this.directory = directory;
    this.schema = schema;
    this.renamedFrom = renamedFrom;
    this.filter = filter;
  }

  /** The partitions under {@code directory} (ending in a slash), as rows of {@code schema}. */
  public static ReadLakePartitions of(String directory, Schema schema) {
    return new ReadLakePartitions(directory, schema, Map.of(), null);
  }

  /** See {@link ReadLake#withRenames}. */
  public ReadLakePartitions withRenames(Map<String, String> renamedFrom) {
    ReadLake.of(directory, schema).withRenames(renamedFrom);
    return new ReadLakePartitions(directory, schema, Map.copyOf(renamedFrom), filter);
  }

  /**
   * Outputs only the stored rows {@code filter} keeps, deciding as each file is read (each file is
   * read whole by one worker, rather than split by row groups).
   */
  public ReadLakePartitions keeping(StoredRowFilter filter) {
    return new ReadLakePartitions(directory, schema, renamedFrom,
        java.util.Objects.requireNonNull(filter, "filter"));
  }

  @Override
  public PCollection<Row> expand(PCollection<String> folders) {
    String dir = directory;
    PCollection<FileIO.ReadableFile> files = folders
        .apply("PartitionFiles",
            MapElements.into(TypeDescriptors.strings()).via((String f) -> dir + f + "/*.parquet"))
        .apply("MatchPartitions",
            FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("OpenPartitions", FileIO.readMatches());
    PCollection<Row> rows = filter == null
        ? files.apply("ReadPartitions", ReadLake.parse(schema, renamedFrom, false))
        : files.apply("ReadAndFilter",
            ParDo.of(new ReadFilteredFn(schema, renamedFrom, filter))
                .withSideInputs(filter.sideInputs()));
    return rows.setRowSchema(schema);
  }
}
