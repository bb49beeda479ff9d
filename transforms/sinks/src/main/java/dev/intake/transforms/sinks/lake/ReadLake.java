package dev.intake.transforms.sinks.lake;

import java.util.Map;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
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
 *
 * <p>{@link #columns} reads only some columns: Parquet skips the others' pages, so reading a key
 * and a partition field of every stored row costs a small part of reading the rows.
 */
public final class ReadLake extends PTransform<PBegin, PCollection<Row>> {
  private final String directory;
  private final Schema schema;
  private final Map<String, String> renamedFrom;
  private final boolean projected;

  private ReadLake(
      String directory, Schema schema, Map<String, String> renamedFrom, boolean projected) {
    this.directory = directory;
    this.schema = schema;
    this.renamedFrom = renamedFrom;
    this.projected = projected;
  }

  public static ReadLake of(String directory, Schema schema) {
    return new ReadLake(directory, schema, Map.of(), false);
  }

  /**
   * Reads only the columns of {@code schema}, whose fields must be stored under the same names
   * and types in every file (a key and a partition field): a file that lacks one, or stores it
   * with another type, fails the read rather than giving wrong values.
   */
  public static ReadLake columns(String directory, Schema schema) {
    return new ReadLake(directory, schema, Map.of(), true);
  }

  /** Reads each field named as a key from the column named by its value when a file lacks it. */
  public ReadLake withRenames(Map<String, String> renamedFrom) {
    for (String field : renamedFrom.keySet()) {
      if (!schema.hasField(field)) {
        throw new IllegalArgumentException("renamed field " + field + " is not in the schema");
      }
    }
    if (projected && !renamedFrom.isEmpty()) {
      throw new IllegalArgumentException("a projected read does not read renamed columns");
    }
    return new ReadLake(directory, schema, Map.copyOf(renamedFrom), projected);
  }

  @Override
  public PCollection<Row> expand(PBegin input) {
    return input
        .apply(
            "MatchPublished",
            FileIO.match()
                .filepattern(directory + "*/*.parquet")
                .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("OpenPublished", FileIO.readMatches())
        .apply("ReadPublished", parse(schema, renamedFrom, projected))
        .setRowSchema(schema);
  }

  /**
   * Reads files as rows of {@code schema}. Each file is read with its own (writer's) schema, since
   * partitions of older schema versions differ from the current one; LakeRows maps every record
   * onto the current schema. {@code projected}: only {@code schema}'s columns are read.
   */
  static ParquetIO.ParseFiles<Row> parse(
      Schema schema, Map<String, String> renamedFrom, boolean projected) {
    ParquetIO.ParseFiles<Row> parse =
        ParquetIO.parseFilesGenericRecords(new LakeRows(schema, renamedFrom))
            .withCoder(RowCoder.of(schema));
    if (projected) {
      parse = parse.withConfiguration(projection(schema));
    }
    return parse;
  }

  /** The parquet-avro settings that read only {@code schema}'s columns (see {@link #columns}). */
  static Map<String, String> projection(Schema schema) {
    String avro = AvroUtils.toAvroSchema(schema).toString();
    // Parquet-avro's requested projection (which columns are read) and read schema (the records'
    // shape): both the few columns asked for.
    return Map.of("parquet.avro.projection", avro, "parquet.avro.read.schema", avro);
  }
}
