package dev.intake.pipeline;

import dev.intake.options.InvalidOptionsException;
import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.transforms.csv.CsvLine;
import dev.intake.transforms.csv.RecordScanner;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.InputBounds;
import dev.intake.transforms.model.RecordFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The input files of a full load, checked before the pipeline starts: the pattern matches files,
 * the format is known, and every CSV header holds the key column, no column name twice and no more
 * columns than the bound, and is not longer than the record bound. Also
 * finds the columns the spec does not name (ignored, reported in the summary), those it names that
 * a file lacks, and the files that hold no record (0 bytes, or a header and nothing else).
 */
final class InputPlan {
  final List<String> files = new ArrayList<>();
  long totalBytes;
  RecordFormat format;
  final Map<String, List<String>> ignoredColumns = new LinkedHashMap<>();
  final Map<String, List<String>> missingColumns = new LinkedHashMap<>();
  /** One line per input file that holds no record, e.g. "a.csv is empty (0 bytes)". */
  final List<String> emptyFiles = new ArrayList<>();

  static InputPlan of(DatasetSpec spec, String pattern, String formatName) throws IOException {
    return of(spec, pattern, formatName, InputBounds.defaults());
  }

  static InputPlan of(DatasetSpec spec, String pattern, String formatName, InputBounds bounds)
      throws IOException {
    InputPlan plan = new InputPlan();
    MatchResult match;
    try {
      match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidOptionsException("--inputFile=" + pattern + ": " + e.getMessage());
    }
    if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
      throw new InvalidOptionsException("--inputFile=" + pattern + " matches no file");
    }
    List<String> zeroBytes = new ArrayList<>();
    for (MatchResult.Metadata m : match.metadata()) {
      plan.files.add(m.resourceId().toString());
      plan.totalBytes += m.sizeBytes();
      if (m.sizeBytes() == 0) {
        zeroBytes.add(m.resourceId().toString());
      }
    }
    plan.format = chooseFormat(spec, plan.files.get(0), formatName);
    boolean csv = plan.format.kind() == RecordFormat.Kind.CSV;
    for (String f : plan.files) {
      if (zeroBytes.contains(f)) {
        plan.emptyFiles.add(f + " is empty (0 bytes)");
        continue;
      }
      List<String> firstTwo = firstRecords(f, csv, bounds.maxRecordBytes());
      if (csv && !firstTwo.isEmpty()) {
        if (firstTwo.get(0) == null) {
          throw new InvalidOptionsException(f + ": the header row is longer than the bound"
              + " --maxRecordBytes=" + bounds.maxRecordBytes());
        }
        plan.checkHeader(spec, f, firstTwo.get(0), bounds.maxColumns());
      }
      if (firstTwo.size() < (csv ? 2 : 1)) {
        plan.emptyFiles.add(f + (firstTwo.isEmpty() ? " holds no records" : " has a header row"
            + " and no records"));
      }
    }
    return plan;
  }

  /**
   * The first two non-empty records of {@code file} (fewer if it has fewer); null for one over
   * {@code maxBytes}.
   */
  private static List<String> firstRecords(String file, boolean csv, int maxBytes)
      throws IOException {
    List<String> records = new ArrayList<>();
    try (InputStream in =
        Channels.newInputStream(
            Compression.detect(file)
                .readDecompressed(FileSystems.open(FileSystems.matchNewResource(file, false))))) {
      RecordScanner scanner = new RecordScanner(in, csv, 0, 1, maxBytes);
      while (records.size() < 2 && scanner.next()) {
        records.add(scanner.oversized() ? null : scanner.text());
      }
    }
    return records;
  }

  private static RecordFormat chooseFormat(DatasetSpec spec, String file, String formatName) {
    if (formatName != null) {
      RecordFormat f = spec.formats().get(formatName);
      if (f == null) {
        throw new InvalidOptionsException("--inputFormat=" + formatName + " is not a format of "
            + spec.name() + " (formats: " + new TreeSet<>(spec.formats().keySet()) + ")");
      }
      return f;
    }
    String name = file.toLowerCase(Locale.ROOT).replaceFirst("\\.(gz|bz2|zst|deflate|zip)$", "");
    RecordFormat f = null;
    if (name.endsWith(".csv")) {
      f = spec.exportFormat();
    } else if (name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      f = spec.jsonLinesFormat();
    }
    if (f == null) {
      throw new InvalidOptionsException("cannot tell the format of " + file
          + " from its name; give --inputFormat (one of " + new TreeSet<>(spec.formats().keySet()) + ")");
    }
    return f;
  }

  private void checkHeader(DatasetSpec spec, String file, String header, int maxColumns) {
    List<String> columns;
    try {
      columns = CsvLine.split(header);
    } catch (CsvLine.MalformedCsvException e) {
      throw new InvalidOptionsException(file + ": the header row is not valid CSV: " + e.getMessage());
    }
    if (columns.size() > maxColumns) {
      throw new InvalidOptionsException(file + ": the header row has " + columns.size()
          + " columns, more than the bound --maxColumns=" + maxColumns);
    }
    Set<String> present = new TreeSet<>();
    for (String c : columns) {
      if (!present.add(c.trim())) {
        throw new InvalidOptionsException(file + ": the header row names the column '" + c.trim()
            + "' twice; rename one of them (which one holds the data cannot be guessed)");
      }
    }
    Set<String> named = new TreeSet<>();
    List<String> missing = new ArrayList<>();
    for (FieldDef f : spec.fields()) {
      String source = format.sourceNameOf(f.name());
      named.add(source);
      // A format that maps its columns explicitly expects only those; other fields are not in it.
      boolean expected = format.columns().isEmpty() || format.columns().containsValue(f.name());
      if (!present.contains(source) && (expected || spec.key().contains(f.name()))) {
        if (spec.key().contains(f.name())) {
          throw new InvalidOptionsException(file + " has no column '" + source + "' for key field "
              + f.name() + " (format " + format.name() + " of " + spec.file() + ")");
        }
        missing.add(source);
      }
    }
    List<String> ignored = new ArrayList<>();
    for (String c : columns) {
      if (!named.contains(c.trim())) {
        ignored.add(c);
      }
    }
    if (!ignored.isEmpty()) {
      ignoredColumns.put(file, ignored);
    }
    if (!missing.isEmpty()) {
      missingColumns.put(file, missing);
    }
  }
}
