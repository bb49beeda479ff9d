package dev.intake.transforms.sinks.lake;

import java.io.IOException;
import java.util.Map;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Reads a lake Parquet file in the driver, record by record, as rows of a schema (mapped as {@link
 * ReadLake} maps them: a column the file lacks is null, narrower numbers are widened). For the
 * commit's repairs, which need a run's few files outside a pipeline, and for steps that read a
 * partition's files whole where they work on it; a pipeline reads many files with {@link
 * ReadLake}.
 */
public final class ParquetRows {
  /** Takes each row read; may fail with {@code E}. */
  public interface Consumer<E extends Exception> {
    void accept(Row row) throws E;
  }

  private ParquetRows() {}

  /**
   * Hands every record of the Parquet file at {@code path} to {@code rows} as a row of {@code
   * schema}, in file order; returns how many.
   *
   * @throws java.io.FileNotFoundException when there is no such file
   */
  public static <E extends Exception> long read(String path, Schema schema, Consumer<E> rows)
      throws IOException, E {
    return read(path, schema, Map.of(), rows);
  }

  /**
   * As {@link #read(String, Schema, Consumer)}, reading each field named as a key of {@code
   * renamedFrom} from the column named by its value where the file lacks it ({@link
   * ReadLake#withRenames}).
   */
  public static <E extends Exception> long read(String path, Schema schema,
      Map<String, String> renamedFrom, Consumer<E> rows) throws IOException, E {
    return read(LakeInputFile.of(path), new LakeRows(schema, renamedFrom), rows);
  }

  /**
   * As {@link #read(String, Schema, Map, Consumer)}, for a file already matched (no second lookup
   * of its path).
   */
  public static <E extends Exception> long read(MatchResult.Metadata file, Schema schema,
      Map<String, String> renamedFrom, Consumer<E> rows) throws IOException, E {
    return read(new LakeInputFile(file), new LakeRows(schema, renamedFrom), rows);
  }

  static <E extends Exception> long read(LakeInputFile file, LakeRows toRow, Consumer<E> rows)
      throws IOException, E {
    try (LakeFile f = LakeFile.open(file)) {
      return f.readAll(toRow, rows);
    }
  }

}
