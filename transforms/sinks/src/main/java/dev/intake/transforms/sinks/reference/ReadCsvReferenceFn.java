package dev.intake.transforms.sinks.reference;

import dev.intake.transforms.csv.CsvLine;
import dev.intake.transforms.csv.RecordScanner;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;

/** Reads a whole CSV reference (a file, or a resource on the classpath) into rows. */
class ReadCsvReferenceFn extends DoFn<String, Row> {
  private final ReferenceValues values;

  ReadCsvReferenceFn(ReferenceValues values) {
    this.values = values;
  }

  @ProcessElement
  public void process(@Element String location, OutputReceiver<Row> out) throws IOException {
    try (InputStream in = open(location)) {
      RecordScanner records = new RecordScanner(in, true, 0, 1);
      if (!records.next()) {
        return;
      }
      int[] positions = values.positions(split(records, location), location);
      while (records.next()) {
        out.output(values.fromCsv(split(records, location), positions,
            location + ":" + records.line()));
      }
    }
  }

  private List<String> split(RecordScanner records, String location) {
    try {
      return CsvLine.split(records.text());
    } catch (CsvLine.MalformedCsvException e) {
      throw new IllegalArgumentException("reference " + values.reference() + ": " + location
          + ":" + records.line() + ": malformed CSV: " + e.getMessage());
    }
  }

  static InputStream open(String location) throws IOException {
    if (location.startsWith(ReferenceValues.CLASSPATH)) {
      String resource = location.substring(ReferenceValues.CLASSPATH.length());
      InputStream in = ReadCsvReferenceFn.class.getClassLoader().getResourceAsStream(resource);
      if (in == null) {
        throw new FileNotFoundException(location);
      }
      return in;
    }
    return Channels.newInputStream(
        FileSystems.open(FileSystems.matchSingleFileSpec(location).resourceId()));
  }
}
