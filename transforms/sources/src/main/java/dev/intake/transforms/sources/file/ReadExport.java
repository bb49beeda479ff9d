package dev.intake.transforms.sources.file;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import dev.intake.transforms.model.InputBounds;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.SourceRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads a full-load export (CSV with a header row, or JSON lines) into {@link SourceRecord}s, one
 * per record, each with its file, line and byte offset.
 *
 * <p>Every file matching the pattern is cut into splits of about {@link #withSplitBytes} bytes at
 * record boundaries (a quoted CSV field holding line breaks is never cut) and the splits are read in
 * parallel. Compressed files ({@code .gz}, …) are read as one split. Every record is emitted exactly
 * once; nothing is parsed or dropped here, except empty lines, which are not records. A pattern that
 * matches nothing fails the pipeline.
 *
 * <p>{@link #withBounds}: a record longer than {@link InputBounds#maxRecordBytes()} is never held
 * whole; it is emitted as refused ({@link SourceRecord#getReadProblem()}) with a truncated copy of
 * its text, so parsing makes it a dead letter. A compressed file that inflates to more than {@link
 * InputBounds#maxDecompressionRatio()} times its size fails the pipeline, as does a CSV header
 * row over the record bound. A UTF-8 byte order mark at the start of a file is skipped.
 */
public final class ReadExport extends PTransform<PBegin, PCollection<SourceRecord>> {
  private static final long DEFAULT_SPLIT_BYTES = 64L << 20;

  private final String filepattern;
  private final RecordFormat.Kind kind;
  private final long splitBytes;
  private final InputBounds bounds;

  private ReadExport(String filepattern, RecordFormat.Kind kind, long splitBytes,
      InputBounds bounds) {
    this.filepattern = filepattern;
    this.kind = kind;
    this.splitBytes = splitBytes;
    this.bounds = bounds;
  }

  /** Reads the files matching {@code filepattern}, as CSV unless told otherwise. */
  public static ReadExport from(String filepattern) {
    checkArgumentNotNull(filepattern, "filepattern must not be null");
    return new ReadExport(filepattern, RecordFormat.Kind.CSV, DEFAULT_SPLIT_BYTES,
        InputBounds.defaults());
  }

  public ReadExport withKind(RecordFormat.Kind kind) {
    checkArgumentNotNull(kind, "kind must not be null");
    return new ReadExport(filepattern, kind, splitBytes, bounds);
  }

  /** The target size of a split; default 64 MiB. */
  public ReadExport withSplitBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("splitBytes must be > 0, but was " + bytes);
    }
    return new ReadExport(filepattern, kind, bytes, bounds);
  }

  /** The bounds on record size and decompression ratio; default {@link InputBounds#defaults()}. */
  public ReadExport withBounds(InputBounds bounds) {
    checkArgumentNotNull(bounds, "bounds must not be null");
    return new ReadExport(filepattern, kind, splitBytes, bounds);
  }

  @Override
  public PCollection<SourceRecord> expand(PBegin input) {
    boolean csv = kind == RecordFormat.Kind.CSV;
    return input
        .apply(
            "MatchFiles",
            FileIO.match()
                .filepattern(filepattern)
                .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("OpenFiles", FileIO.readMatches())
        .apply("PlanSplits", ParDo.of(new PlanSplitsFn(csv, splitBytes, bounds)))
        .apply("SpreadSplits", Reshuffle.viaRandomKey())
        .apply("ReadSplits", ParDo.of(new ReadSplitFn(csv, bounds)));
  }
}
