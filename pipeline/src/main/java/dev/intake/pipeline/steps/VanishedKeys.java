package dev.intake.pipeline.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.sinks.lake.ReadLake;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.joda.time.ReadableInstant;

/**
 * A reconciliation: the source's keys whose partition field falls in {@code [from, to)} (key
 * records, as {@code readKeys} reads them) against the stored rows of that range, of which only
 * the key and range columns are read. A stored key the
 * source no longer has becomes a tombstone at {@code deletedAt} ({@link #TOMBSTONES}); the stored
 * rows compared are counted ({@link #TALLIES}: IN_RANGE), for the run's bound on deletions. A key
 * record without a usable key fails the run: a key that cannot be read would look vanished.
 */
public final class VanishedKeys extends PTransform<PCollection<SourceRecord>, PCollectionTuple> {
  public static final TupleTag<Row> TOMBSTONES = new TupleTag<>() {};
  public static final TupleTag<KV<TallyKey, Long>> TALLIES = new TupleTag<>() {};
  private static final TupleTag<Row> STORED = new TupleTag<>() {};
  private static final TupleTag<Boolean> AT_SOURCE = new TupleTag<>() {};

  private final String lakeDirectory;
  private final Schema clean;
  private final List<FieldDef> keyFields;
  private final List<String> sourceNames;
  private final String rangeField;
  private final Instant from;
  private final Instant to;
  private final Instant deletedAt;
  private final String runId;

  private VanishedKeys(String lakeDirectory, Schema clean, List<FieldDef> keyFields,
      List<String> sourceNames, String rangeField, Instant from, Instant to, Instant deletedAt,
      String runId) {
    this.lakeDirectory = lakeDirectory;
    this.clean = clean;
    this.keyFields = keyFields;
    this.sourceNames = sourceNames;
    this.rangeField = rangeField;
    this.from = from;
    this.to = to;
    this.deletedAt = deletedAt;
    this.runId = runId;
  }

  /**
   * Compares with the rows stored under {@code lakeDirectory} (schema {@code clean}) whose {@code
   * rangeField} is in {@code [from, to)}; key records name {@code keyFields} as {@code
   * sourceNames}; tombstones get {@code deletedAt} and {@code runId}.
   */
  public static VanishedKeys of(String lakeDirectory, Schema clean, List<FieldDef> keyFields,
      List<String> sourceNames, String rangeField, Instant from, Instant to, Instant deletedAt,
      String runId) {
    return new VanishedKeys(lakeDirectory, clean, List.copyOf(keyFields),
        List.copyOf(sourceNames), rangeField, from, to, deletedAt, runId);
  }

  @Override
  public PCollectionTuple expand(PCollection<SourceRecord> keyRecords) {
    List<String> key = new ArrayList<>();
    keyFields.forEach(f -> key.add(f.name()));
    String field = rangeField;
    long lo = from.getMillis();
    long hi = to.getMillis();
    // Only the key and range columns are read: a reconciliation compares keys, not rows.
    Schema.Builder columns = Schema.builder();
    key.forEach(k -> columns.addField(clean.getField(k)));
    if (!key.contains(field)) {
      columns.addField(clean.getField(field));
    }
    Schema keyAndRange = columns.build();
    PCollection<Row> inRange =
        keyRecords.getPipeline()
            .apply("ReadKeyColumns", ReadLake.columns(lakeDirectory, keyAndRange))
            .apply("InRange", Filter.by((Row r) -> {
              ReadableInstant v = r.getDateTime(field);
              return v != null && v.getMillis() >= lo && v.getMillis() < hi;
            }));
    PCollection<KV<String, Row>> stored =
        ApplyTombstones.byKey("KeyStored", inRange, keyAndRange, key);
    List<FieldDef> fields = keyFields;
    List<String> names = sourceNames;
    PCollection<KV<String, Boolean>> atSource =
        keyRecords
            .apply("KeyOfRecord", MapElements.into(TypeDescriptors.strings())
                .via((SourceRecord r) -> keyOf(r, fields, names)))
            .apply("AtSource", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.booleans()))
                .via((String k) -> KV.of(k, true)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), BooleanCoder.of()));
    Schema tombstone = ParseDeletions.schema(clean, key);
    PCollection<Row> tombstones =
        KeyedPCollectionTuple.of(STORED, stored).and(AT_SOURCE, atSource)
            .apply("ByKey", CoGroupByKey.create())
            .apply("Vanished", ParDo.of(new VanishedFn(tombstone, key, deletedAt, runId)))
            .setRowSchema(tombstone);
    return PCollectionTuple.of(TOMBSTONES, tombstones)
        .and(TALLIES, inRange.apply("TallyInRange",
            Tallies.count((Row r) -> TallyKey.of(TallyKey.Kind.IN_RANGE))));
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The key of a key record, as {@link ApplyTombstones#keyOf} gives a stored row's. */
  static String keyOf(SourceRecord record, List<FieldDef> fields, List<String> names) {
    JsonNode node;
    try {
      node = JSON.readTree(record.getText());
    } catch (IOException e) {
      throw new IllegalStateException("reconcile: a key record of the source is not JSON ("
          + e.getMessage() + "); nothing is deleted", e);
    }
    List<String> values = new ArrayList<>(fields.size());
    for (int i = 0; i < fields.size(); i++) {
      JsonNode v = node == null ? null : node.get(names.get(i));
      String text = v == null || v.isNull() ? null : v.asText().trim();
      String canonical;
      try {
        canonical = text == null || text.isEmpty() ? null
            : fields.get(i).type() == FieldType.LONG ? String.valueOf(Long.parseLong(text))
            : fields.get(i).type() == FieldType.INT ? String.valueOf(Integer.parseInt(text))
            : text;
      } catch (NumberFormatException e) {
        canonical = null;
      }
      if (canonical == null) {
        throw new IllegalStateException("reconcile: a key record of the source has no usable "
            + names.get(i) + " (" + record.getText() + "); nothing is deleted");
      }
      values.add(canonical);
    }
    return ApplyTombstones.keyText(values);
  }

  /** A tombstone for each stored key the source no longer has. */
  static final class VanishedFn extends DoFn<KV<String, CoGbkResult>, Row> {
    private final Schema tombstone;
    private final List<String> key;
    private final Instant deletedAt;
    private final String runId;

    VanishedFn(Schema tombstone, List<String> key, Instant deletedAt, String runId) {
      this.tombstone = tombstone;
      this.key = key;
      this.deletedAt = deletedAt;
      this.runId = runId;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> e, OutputReceiver<Row> out) {
      if (e.getValue().getAll(AT_SOURCE).iterator().hasNext()) {
        return;
      }
      java.util.Iterator<Row> stored = e.getValue().getAll(STORED).iterator();
      if (!stored.hasNext()) {
        return;
      }
      Row row = stored.next();
      Row.Builder b = Row.withSchema(tombstone);
      key.forEach(k -> b.addValue(row.getValue(k)));
      out.output(b.addValue(deletedAt.toDateTime()).addValue(runId).build());
    }
  }
}
