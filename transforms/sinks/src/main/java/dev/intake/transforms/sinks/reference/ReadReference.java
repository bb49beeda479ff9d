package dev.intake.transforms.sinks.reference;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import dev.intake.transforms.csv.CsvLine;
import dev.intake.transforms.csv.RecordScanner;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.Schemas;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Reads a reference table into typed rows with one field per declared column, in the declared
 * order: a CSV file with a header row, or Parquet files. The location is a path or pattern Beam's
 * file systems read (local, {@code s3://}), or {@code classpath:<resource>} for a CSV bundled with
 * Intake.
 *
 * <p>CSV columns are found by header name (other columns are ignored); an empty value is null;
 * values are converted to the declared type ({@code string}, {@code long}, {@code int}, {@code
 * double}, {@code boolean}, {@code date} as {@code yyyy-MM-dd}). Parquet columns are found by name
 * and must hold values of the declared type. A reference is configuration, not data: a missing
 * column, a value that does not convert or a file that cannot be read fails the pipeline with a
 * message naming the reference, the file and (for CSV) the line.
 */
public final class ReadReference extends PTransform<PBegin, PCollection<Row>> {
  /** The file format of a reference. */
  public enum Format {
    CSV,
    PARQUET
  }

  private final String name;
  private final String location;
  private final Format format;
  private final List<FieldDef> columns;

  private ReadReference(String name, String location, Format format, List<FieldDef> columns) {
    this.name = name;
    this.location = location;
    this.format = format;
    this.columns = columns;
  }

  /** Reads reference {@code name} at {@code location}, in {@code format}, as {@code columns}. */
  public static ReadReference of(String name, String location, Format format,
      List<FieldDef> columns) {
    checkArgumentNotNull(name, "name must not be null");
    checkArgumentNotNull(location, "location must not be null");
    checkArgumentNotNull(format, "format must not be null");
    if (columns == null || columns.isEmpty()) {
      throw new IllegalArgumentException("columns must not be empty");
    }
    for (FieldDef c : columns) {
      if (!ReferenceValues.SUPPORTED.contains(c.type())) {
        throw new IllegalArgumentException("reference " + name + ": column " + c.name()
            + " has type " + c.type().specName() + "; a reference column is one of "
            + ReferenceValues.supportedNames());
      }
    }
    if (format == Format.PARQUET && location.startsWith(ReferenceValues.CLASSPATH)) {
      throw new IllegalArgumentException("reference " + name + ": only CSV can be bundled");
    }
    return new ReadReference(name, location, format, List.copyOf(columns));
  }

  /** The schema of the rows read. */
  public Schema schema() {
    return Schemas.of(columns);
  }

  /**
   * Checks on the driver, before a run writes anything, that the reference can be read: its file
   * exists (or, for Parquet, its pattern matches files) and a CSV header names every column. Throws
   * an {@link IllegalArgumentException} with one line saying what is wrong.
   */
  public void check() {
    String problem;
    try {
      if (format == Format.CSV) {
        try (InputStream in = ReadCsvReferenceFn.open(location)) {
          RecordScanner records = new RecordScanner(in, true, 0, 1);
          if (records.next()) {
            new ReferenceValues(name, columns, schema())
                .positions(CsvLine.split(records.text()), location);
          }
        }
        return;
      }
      MatchResult match = FileSystems.match(location, EmptyMatchTreatment.DISALLOW);
      if (match.status() == MatchResult.Status.OK) {
        return;
      }
      problem = "no file matches " + location;
    } catch (FileNotFoundException e) {
      problem = "no such file " + location;
    } catch (IOException | CsvLine.MalformedCsvException e) {
      problem = "cannot read " + location + ": " + e.getMessage();
    }
    throw new IllegalArgumentException("reference " + name + ": " + problem);
  }

  @Override
  public PCollection<Row> expand(PBegin input) {
    Schema schema = schema();
    ReferenceValues values = new ReferenceValues(name, columns, schema);
    if (format == Format.CSV) {
      return input
          .apply("Location", Create.of(location).withCoder(StringUtf8Coder.of()))
          .apply("ReadCsv", ParDo.of(new ReadCsvReferenceFn(values)))
          .setRowSchema(schema);
    }
    return input
        .apply("Match", FileIO.match().filepattern(location)
            .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("Open", FileIO.readMatches())
        .apply("ReadParquet", ParquetIO.parseFilesGenericRecords(values::fromParquet)
            .withCoder(RowCoder.of(schema)))
        .setRowSchema(schema);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("reference", name))
        .add(DisplayData.item("location", location))
        .add(DisplayData.item("format", format.toString()));
  }
}
