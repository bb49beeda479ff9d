package dev.intake.transforms.sources.file;

import dev.intake.transforms.csv.RecordScanner;
import dev.intake.transforms.model.InputBounds;
import dev.intake.transforms.model.SourceRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Reads the records of one {@link FileSplit}, each with its file, line and byte offset. A record
 * over the record-size bound or not valid UTF-8 is emitted as refused ({@link
 * RecordScanner#record}); a compressed file that inflates beyond the decompression-ratio bound
 * fails.
 */
class ReadSplitFn extends DoFn<FileSplit, SourceRecord> {
  private static final Counter RECORDS = Metrics.counter(ReadExport.class, "recordsRead");
  private static final Counter REFUSED = Metrics.counter(ReadExport.class, "recordsRefused");
  private final boolean csv;
  private final InputBounds bounds;

  ReadSplitFn(boolean csv, InputBounds bounds) {
    this.csv = csv;
    this.bounds = bounds;
  }

  @ProcessElement
  public void process(@Element FileSplit split, OutputReceiver<SourceRecord> out)
      throws IOException {
    ReadableByteChannel channel = open(split.getFile(), bounds.maxDecompressionRatio());
    try (InputStream in = Channels.newInputStream(skipTo(channel, split))) {
      RecordScanner scanner = new RecordScanner(in, csv, split.getStart(), split.getStartLine(),
          bounds.maxRecordBytes());
      long end = split.getEnd() < 0 ? Long.MAX_VALUE : split.getEnd();
      while (scanner.next() && scanner.offset() < end) {
        SourceRecord record = scanner.record(split.getFile(), split.getHeader());
        out.output(record);
        RECORDS.inc();
        if (record.getReadProblem() != null) {
          REFUSED.inc();
        }
      }
    }
  }

  /** The file's bytes, decompressed and guarded against a decompression bomb if compressed. */
  static ReadableByteChannel open(String file, int maxRatio) throws IOException {
    Compression compression = Compression.detect(file);
    ReadableByteChannel raw = FileSystems.open(FileSystems.matchNewResource(file, false));
    if (compression == Compression.UNCOMPRESSED) {
      return raw;
    }
    long size = FileSystems.matchSingleFileSpec(file).sizeBytes();
    return Channels.newChannel(new InflationGuard(
        Channels.newInputStream(compression.readDecompressed(raw)), file, size, maxRatio));
  }

  private static ReadableByteChannel skipTo(ReadableByteChannel channel, FileSplit split)
      throws IOException {
    if (channel instanceof SeekableByteChannel) {
      ((SeekableByteChannel) channel).position(split.getStart());
      return channel;
    }
    InputStream in = Channels.newInputStream(channel);
    long toSkip = split.getStart();
    while (toSkip > 0) {
      long skipped = in.skip(toSkip);
      if (skipped <= 0) {
        if (in.read() < 0) {
          break;
        }
        skipped = 1;
      }
      toSkip -= skipped;
    }
    return Channels.newChannel(in);
  }
}
