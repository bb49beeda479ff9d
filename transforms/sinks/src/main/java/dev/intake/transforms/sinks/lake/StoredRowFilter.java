package dev.intake.transforms.sinks.lake;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;

/**
 * Which stored rows a partition read keeps ({@link ReadLakePartitions#keeping}), decided as each
 * row is read, from side inputs the filter names: rows it drops are never output, so they cost
 * their Parquet decoding and nothing downstream.
 */
public interface StoredRowFilter extends Serializable {
  /** The side inputs {@link #keep} reads. */
  List<PCollectionView<?>> sideInputs();

  /** Whether to output {@code row}; {@code c} gives the side inputs. */
  boolean keep(DoFn<?, ?>.ProcessContext c, Row row);
}
