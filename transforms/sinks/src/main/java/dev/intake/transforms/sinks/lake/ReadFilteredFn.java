package dev.intake.transforms.sinks.lake;

import java.io.IOException;
import java.util.Map;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;

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
    ParquetRows.read(new LakeInputFile(file.getMetadata()), toRow, (Row row) -> {
      if (filter.keep(c, row)) {
        c.output(row);
      }
    });
  }
}
