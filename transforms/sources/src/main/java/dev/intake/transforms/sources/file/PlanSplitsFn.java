package dev.intake.transforms.sources.file;

import dev.intake.transforms.csv.RecordScanner;
import dev.intake.transforms.model.InputBounds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Walks a file once to cut it into splits of about {@code splitBytes} that start on a record
 * boundary, so that a quoted field spanning lines is never cut. Compressed files are one split.
 */
class PlanSplitsFn extends DoFn<FileIO.ReadableFile, FileSplit> {
  private static final Counter FILES = Metrics.counter(ReadExport.class, "filesMatched");
  private final boolean csv;
  private final long splitBytes;
  private final InputBounds bounds;

  PlanSplitsFn(boolean csv, long splitBytes, InputBounds bounds) {
    this.csv = csv;
    this.splitBytes = splitBytes;
    this.bounds = bounds;
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, OutputReceiver<FileSplit> out)
      throws IOException {
    FILES.inc();
    String name = file.getMetadata().resourceId().toString();
    try (InputStream in = Channels.newInputStream(
        ReadSplitFn.open(name, bounds.maxDecompressionRatio()))) {
      RecordScanner scanner = new RecordScanner(in, csv, 0, 1, bounds.maxRecordBytes());
      String header = null;
      if (csv) {
        if (!scanner.next()) {
          return;
        }
        if (scanner.oversized()) {
          throw new IOException(name + ": the header row is " + scanner.length() + " bytes, over"
              + " the bound maxRecordBytes=" + bounds.maxRecordBytes());
        }
        header = scanner.text();
      }
      long start = csv ? scanner.end() : 0;
      long startLine = csv ? scanner.nextLine() : 1;
      if (file.getCompression() != Compression.UNCOMPRESSED) {
        out.output(FileSplit.of(name, start, -1, startLine, header));
        return;
      }
      while (scanner.next()) {
        if (scanner.end() - start >= splitBytes) {
          out.output(FileSplit.of(name, start, scanner.end(), startLine, header));
          start = scanner.end();
          startLine = scanner.nextLine();
        }
      }
      out.output(FileSplit.of(name, start, -1, startLine, header));
    }
  }
}
