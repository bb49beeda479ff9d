package dev.intake.transforms.parse;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.InputBounds;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.RecordStep;
import dev.intake.transforms.model.Schemas;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.model.WithDeadLetters;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Parses {@link SourceRecord}s into {@link Row}s of the dataset's schema, keeping each row's
 * source record beside it for the stages that may still reject it (without its CSV header, which
 * only parsing needs: {@link SourceRecord#withoutHeader()}).
 *
 * <p>CSV fields are found by header name (column order does not matter; unnamed columns are
 * ignored), JSON values by key. Empty and missing values, and a field's null values, become null.
 * A record that is not valid CSV or JSON, or has a value that does not convert to its field's type,
 * becomes one {@link DeadLetter} at stage {@code parse} listing every problem. Every input record is
 * either in the output or in the dead letters. So is a record over one of the {@link
 * InputBounds} ({@link #withBounds}; default {@link InputBounds#defaults()}), or one the reader
 * refused ({@link SourceRecord#getReadProblem()}), with a reason naming the bound.
 */
public final class ParseRecords
    extends PTransform<PCollection<SourceRecord>, WithDeadLetters<KV<SourceRecord, Row>>> {
  static final TupleTag<KV<SourceRecord, Row>> PARSED = new TupleTag<>() {};
  private static final TupleTag<DeadLetter> FAILED = new TupleTag<>() {};

  private final List<FieldDef> fields;
  private final RecordFormat format;
  private final Lineage lineage;
  private final InputBounds bounds;

  private ParseRecords(List<FieldDef> fields, RecordFormat format, Lineage lineage,
      InputBounds bounds) {
    this.fields = fields;
    this.format = format;
    this.lineage = lineage;
    this.bounds = bounds;
  }

  /** Parses records of {@code format} into rows with one field per definition. */
  public static ParseRecords of(List<FieldDef> fields, RecordFormat format, Lineage lineage) {
    checkArgumentNotNull(format, "format must not be null");
    checkArgumentNotNull(lineage, "lineage must not be null");
    if (fields == null || fields.isEmpty()) {
      throw new IllegalArgumentException("fields must not be empty");
    }
    return new ParseRecords(List.copyOf(fields), format, lineage, InputBounds.defaults());
  }

  /** The bounds on columns, field size and JSON depth; default {@link InputBounds#defaults()}. */
  public ParseRecords withBounds(InputBounds bounds) {
    checkArgumentNotNull(bounds, "bounds must not be null");
    return new ParseRecords(fields, format, lineage, bounds);
  }

  /** The schema of the parsed rows. */
  public Schema schema() {
    return Schemas.of(fields);
  }

  /**
   * Parsing as a {@link RecordStep}: a record's row, or null after a dead letter at stage {@code
   * parse} listing every problem.
   */
  public RecordStep<SourceRecord, Row> step() {
    RecordParser parser = new RecordParser(fields, format, bounds);
    Lineage l = lineage;
    return (record, source, rejects) -> {
      RecordParser.Outcome outcome = parser.parse(record);
      if (outcome.ok()) {
        return outcome.row;
      }
      rejects.accept(DeadLetter.of(l, "parse", String.join(";", outcome.codes),
          String.join("; ", outcome.reasons), record));
      return null;
    };
  }

  @Override
  public WithDeadLetters<KV<SourceRecord, Row>> expand(PCollection<SourceRecord> input) {
    PCollectionTuple out =
        input.apply(
            "ParseEach",
            ParDo.of(new ParseRecordsFn(step(), FAILED))
                .withOutputTags(PARSED, TupleTagList.of(FAILED)));
    PCollection<KV<SourceRecord, Row>> parsed =
        out.get(PARSED).setCoder(KvCoder.of(input.getCoder(), RowCoder.of(schema())));
    return WithDeadLetters.of(
        PARSED, parsed, FAILED, out.get(FAILED).setCoder(DeadLetter.coder(input.getPipeline())));
  }
}
