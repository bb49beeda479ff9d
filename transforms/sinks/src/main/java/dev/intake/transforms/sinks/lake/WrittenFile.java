package dev.intake.transforms.sinks.lake;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** A Parquet file a write produced: its partition folder ("" if none), path and row count. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class WrittenFile {
  public abstract String getPartition();

  public abstract String getPath();

  public abstract long getRows();

  public static WrittenFile of(String partition, String path, long rows) {
    return new AutoValue_WrittenFile(partition, path, rows);
  }
}
