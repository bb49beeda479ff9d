package dev.intake.transforms.sources.file;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

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
 */
public final class ReadExport extends PTransform<PBegin, PCollection<SourceRecord>> {
  private static final long DEFAULT_SPLIT_BYTES = 64L << 20;

  private final String filepattern;
  private final RecordFormat.Kind kind;
  private final long splitBytes;

  private ReadExport(String filepattern, RecordFormat.Kind kind, long splitBytes) {
    this.filepattern = filepattern;
    this.kind = kind;
    this.splitBytes = splitBytes;
  }

  /** Reads the files matching {@code filepattern}, as CSV unless told otherwise. */
  public static ReadExport from(String filepattern) {
    checkArgumentNotNull(filepattern, "filepattern must not be null");
    return new ReadExport(filepattern, RecordFormat.Kind.CSV, DEFAULT_SPLIT_BYTES);
  }

  public ReadExport withKind(RecordFormat.Kind kind) {
    checkArgumentNotNull(kind, "kind must not be null");
    return new ReadExport(filepattern, kind, splitBytes);
  }

  /** The target size of a split; default 64 MiB. */
  public ReadExport withSplitBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("splitBytes must be > 0, but was " + bytes);
    }
    return new ReadExport(filepattern, kind, bytes);
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
        .apply("PlanSplits", ParDo.of(new PlanSplitsFn(csv, splitBytes)))
        .apply("SpreadSplits", Reshuffle.viaRandomKey())
        .apply("ReadSplits", ParDo.of(new ReadSplitFn(csv)));
  }
}
