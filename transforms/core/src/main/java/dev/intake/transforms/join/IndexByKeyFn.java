package dev.intake.transforms.join;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;

/**
 * Collects a reference's rows into one map by the text of their key; a key seen twice fails with
 * {@link DuplicateReferenceKeyException}, whatever the order the rows arrive in.
 */
class IndexByKeyFn extends CombineFn<Row, Map<String, Row>, Map<String, Row>> {
  private final String reference;
  private final String keyColumn;
  private final Schema schema;

  IndexByKeyFn(String reference, String keyColumn, Schema schema) {
    this.reference = reference;
    this.keyColumn = keyColumn;
    this.schema = schema;
  }

  @Override
  public Map<String, Row> createAccumulator() {
    return new HashMap<>();
  }

  @Override
  public Map<String, Row> addInput(Map<String, Row> index, Row row) {
    Object key = row.getValue(keyColumn);
    if (key != null) {
      put(index, ReferenceLookup.keyText(key), row);
    }
    return index;
  }

  @Override
  public Map<String, Row> mergeAccumulators(Iterable<Map<String, Row>> indexes) {
    Map<String, Row> merged = new HashMap<>();
    for (Map<String, Row> index : indexes) {
      index.forEach((k, v) -> put(merged, k, v));
    }
    return merged;
  }

  @Override
  public Map<String, Row> extractOutput(Map<String, Row> index) {
    return index;
  }

  @Override
  public Coder<Map<String, Row>> getAccumulatorCoder(CoderRegistry registry, Coder<Row> input) {
    return coder();
  }

  @Override
  public Coder<Map<String, Row>> getDefaultOutputCoder(CoderRegistry registry, Coder<Row> input) {
    return coder();
  }

  private Coder<Map<String, Row>> coder() {
    return MapCoder.of(StringUtf8Coder.of(), RowCoder.of(schema));
  }

  private void put(Map<String, Row> index, String key, Row row) {
    if (index.putIfAbsent(key, row) != null) {
      throw new DuplicateReferenceKeyException(reference, keyColumn, key);
    }
  }
}
