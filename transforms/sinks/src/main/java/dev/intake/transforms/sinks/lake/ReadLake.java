package dev.intake.transforms.sinks.lake;

import java.util.Map;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Reads the rows already published in a dataset's clean lake folder (every partition), as rows of
 * the clean schema. An empty or missing folder yields no rows.
 *
 * <p>Partitions written under an earlier version of the schema are read as the current one: a
 * column a file lacks is null, a narrower number (int, long) is widened to the schema's type, and,
 * with {@link #withRenames}, a column stored under its former name is read under its new one.
 */
public final class ReadLake extends PTransform<PBegin, PCollection<Row>> {
  private final String directory;
  private final Schema schema;
  private final Map<String, String> renamedFrom;

  private ReadLake(String directory, Schema schema, Map<String, String> renamedFrom) {
    this.directory = directory;
    this.schema = schema;
    this.renamedFrom = renamedFrom;
  }

  public static ReadLake of(String directory, Schema schema) {
    return new ReadLake(directory, schema, Map.of());
  }

  /** Reads each field named as a key from the column named by its value when a file lacks it. */
  public ReadLake withRenames(Map<String, String> renamedFrom) {
    for (String field : renamedFrom.keySet()) {
      if (!schema.hasField(field)) {
        throw new IllegalArgumentException("renamed field " + field + " is not in the schema");
      }
    }
    return new ReadLake(directory, schema, Map.copyOf(renamedFrom));
  }

  @Override
  public PCollection<Row> expand(PBegin input) {
    // Each file is read with its own (writer's) schema, since partitions of older schema versions
    // differ from the current one; LakeRows maps every record onto the current schema.
    return input
        .apply(
            "MatchPublished",
            FileIO.match()
                .filepattern(directory + "*/*.parquet")
                .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("OpenPublished", FileIO.readMatches())
        .apply(
            "ReadPublished",
            ParquetIO.parseFilesGenericRecords(new LakeRows(schema, renamedFrom))
                .withCoder(RowCoder.of(schema)))
        .setRowSchema(schema);
  }
}
