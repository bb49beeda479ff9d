package dev.intake.transforms.sources.file;

import dev.intake.transforms.csv.RecordScanner;
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

/** Reads the records of one {@link FileSplit}, each with its file, line and byte offset. */
class ReadSplitFn extends DoFn<FileSplit, SourceRecord> {
  private static final Counter RECORDS = Metrics.counter(ReadExport.class, "recordsRead");
  private final boolean csv;

  ReadSplitFn(boolean csv) {
    this.csv = csv;
  }

  @ProcessElement
  public void process(@Element FileSplit split, OutputReceiver<SourceRecord> out)
      throws IOException {
    ReadableByteChannel channel =
        Compression.detect(split.getFile())
            .readDecompressed(FileSystems.open(FileSystems.matchNewResource(split.getFile(), false)));
    try (InputStream in = Channels.newInputStream(skipTo(channel, split))) {
      RecordScanner scanner = new RecordScanner(in, csv, split.getStart(), split.getStartLine());
      long end = split.getEnd() < 0 ? Long.MAX_VALUE : split.getEnd();
      while (scanner.next() && scanner.offset() < end) {
        out.output(
            SourceRecord.of(
                split.getFile(),
                scanner.line(),
                scanner.offset(),
                scanner.text(),
                split.getHeader()));
        RECORDS.inc();
      }
    }
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
