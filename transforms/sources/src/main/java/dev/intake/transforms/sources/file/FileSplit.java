package dev.intake.transforms.sources.file;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A byte range of one file that starts and ends on record boundaries. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class FileSplit {
  public abstract String getFile();

  public abstract long getStart();

  /** Exclusive; -1 means the end of the file. */
  public abstract long getEnd();

  public abstract long getStartLine();

  public abstract @Nullable String getHeader();

  public static FileSplit of(
      String file, long start, long end, long startLine, @Nullable String header) {
    return new AutoValue_FileSplit(file, start, end, startLine, header);
  }
}
