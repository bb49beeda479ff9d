package dev.intake.transforms.aggregate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * An {@link AggregateRows}' aggregation of rows a step holds in memory ({@link
 * AggregateRows#inMemory}): the rows the transform outputs for the same input, computed with the
 * same keying, measures and results, without the shuffle. For a step that holds every row of each
 * group it aggregates (a partition's rows, for an aggregate whose groups never span partitions),
 * where keying, encoding and shuffling every row would cost far more than the aggregation itself.
 */
public final class RowsAggregator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Schema outputSchema;
  private final KeyByGroupFn keys;
  private final MeasureGroupsFn measures;
  private final ComputeMeasuresFn results;

  RowsAggregator(Schema outputSchema, KeyByGroupFn keys, MeasureGroupsFn measures,
      ComputeMeasuresFn results) {
    this.outputSchema = outputSchema;
    this.keys = keys;
    this.measures = measures;
    this.results = results;
  }

  /** The schema of the rows {@link #aggregate} returns ({@link AggregateRows#outputSchema}). */
  public Schema outputSchema() {
    return outputSchema;
  }

  /** One row per group of {@code rows}, in no particular order. */
  public List<Row> aggregate(Iterable<Row> rows) {
    MeasureGroupsFn.Groups groups = measures.createAccumulator();
    for (Row row : rows) {
      keys.keyed(row, (key, read) -> measures.addInput(groups, KV.of(key, read)));
    }
    List<Row> out = new ArrayList<>(groups.byKey.size());
    results.emit(groups, out::add);
    return out;
  }
}
