package dev.intake.transforms.sinks.lake;

import java.io.IOException;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * Reads each stored file whole, as rows of the clean schema (mapped as {@link ReadLake} maps them),
 * and outputs those its {@link StoredRowFilter} keeps. One file per element, read in one pass: the
 * filter runs where the rows are decoded, so the rows it drops never cross to another step.
 */
final class ReadFilteredFn extends DoFn<FileIO.ReadableFile, Row> {
  private final LakeRows toRow;
  private final StoredRowFilter filter;

  ReadFilteredFn(Schema schema, Map<String, String> renamedFrom, StoredRowFilter filter) {
    this.toRow = new LakeRows(schema, renamedFrom);
    this.filter = filter;
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, ProcessContext c) throws IOException {
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(new LakeInputFile(file.getMetadata()))
            .withDataModel(GenericData.get())
            .build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        Row row = toRow.apply(r);
        if (filter.keep(c, row)) {
          c.output(row);
        }
      }
    }
  }
}
