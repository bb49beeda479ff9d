package dev.intake.transforms.sinks.lake;

import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Reads the rows already published in a dataset's clean lake folder (every partition), as rows of
 * the clean schema. An empty or missing folder yields no rows.
 */
public final class ReadLake extends PTransform<PBegin, PCollection<Row>> {
  private final String directory;
  private final Schema schema;

  private ReadLake(String directory, Schema schema) {
    this.directory = directory;
    this.schema = schema;
  }

  public static ReadLake of(String directory, Schema schema) {
    return new ReadLake(directory, schema);
  }

  @Override
  public PCollection<Row> expand(PBegin input) {
    org.apache.avro.Schema avro = AvroUtils.toAvroSchema(schema);
    return input
        .apply(
            "MatchPublished",
            FileIO.match()
                .filepattern(directory + "*/*.parquet")
                .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("OpenPublished", FileIO.readMatches())
        .apply("ReadPublished", ParquetIO.readFiles(avro))
        .apply(
            "ToRows",
            MapElements.into(TypeDescriptors.rows())
                .via(new LakeRows(schema)))
        .setRowSchema(schema);
  }
}
