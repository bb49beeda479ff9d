package dev.intake.transforms.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One input record as read, before parsing: its original text and where it came from.
 *
 * <p>{@code source} names the file (or the API window and page), {@code line} is the 1-based
 * physical line where the record starts (0 when the source has no lines), {@code offset} the byte
 * offset of the record in its file (or its index in the page). For CSV, {@code header} is the
 * header record of the file the record belongs to, so that a record can be parsed on its own.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class SourceRecord {
  public abstract String getSource();

  public abstract long getLine();

  public abstract long getOffset();

  public abstract String getText();

  public abstract @Nullable String getHeader();

  /**
   * Why the reader could not take the record whole (e.g. it is longer than the record-size bound,
   * and {@code text} is a truncated copy); null for a record read whole. Parsing turns such a
   * record into a dead letter with this reason.
   */
  public abstract @Nullable String getReadProblem();

  public static SourceRecord of(
      String source, long line, long offset, String text, @Nullable String header) {
    return new AutoValue_SourceRecord(source, line, offset, text, header, null);
  }

  /** A record the reader refused for {@code problem}, with what it kept of its text. */
  public static SourceRecord refused(String source, long line, long offset, String text,
      @Nullable String header, String problem) {
    return new AutoValue_SourceRecord(source, line, offset, text, header, problem);
  }

  /**
   * This record without its header: what later stages keep once the record is parsed (the header
   * is only needed to parse it, and is most of a CSV record's bytes when the record crosses a
   * runner's stage boundary).
   */
  public SourceRecord withoutHeader() {
    return getHeader() == null ? this
        : new AutoValue_SourceRecord(getSource(), getLine(), getOffset(), getText(), null,
            getReadProblem());
  }

  /** "file:line" or "window/page#index", for messages. */
  public String position() {
    return getLine() > 0 ? getSource() + ":" + getLine() : getSource() + "#" + getOffset();
  }
}
