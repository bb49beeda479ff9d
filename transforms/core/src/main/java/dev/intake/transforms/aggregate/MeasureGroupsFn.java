package dev.intake.transforms.aggregate;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * Combines the keyed rows of one hash bucket ({@code (group key, row of the read fields)}) into the
 * measures of each of its groups, with a pivot per pivot column: a combine, so a runner that lifts
 * it (Flink does) accumulates each bucket's groups where the rows are, and shuffles one
 * accumulator per group and worker instead of every row. An accumulator holds, per group, one of
 * its rows (for its group values) and its {@link MeasureValues}, and counts the rows whose pivot
 * value was not declared.
 */
final class MeasureGroupsFn
    extends Combine.CombineFn<KV<String, Row>, MeasureGroupsFn.Groups, MeasureGroupsFn.Groups> {
  private final Schema read;
  private final List<Measure> measures;
  private final Pivot pivot;

  /** Over rows of {@code read}; {@code pivot} may be null. */
  MeasureGroupsFn(Schema read, List<Measure> measures, Pivot pivot) {
    this.read = read;
    this.measures = measures;
    this.pivot = pivot;
  }

  private int slots() {
    return pivot == null ? 1 : pivot.suffixes().size();
  }

  /** The groups of a bucket seen so far, by group key. */
  static final class Groups {
    final Map<String, Group> byKey = new HashMap<>();
    /** Rows whose pivot value was not declared (counted in the pivot's other column). */
    long pivotOther;
  }

  /** One group's row (any one: every row of a group has its group values) and measures. */
  static final class Group {
    final Row first;
    final MeasureValues[] measured;

    Group(Row first, MeasureValues[] measured) {
      this.first = first;
      this.measured = measured;
    }
  }

  private Group newGroup(Row first) {
    MeasureValues[] measured = new MeasureValues[slots()];
    for (int i = 0; i < measured.length; i++) {
      measured[i] = new MeasureValues(measures);
    }
    return new Group(first, measured);
  }

  @Override
  public Groups createAccumulator() {
    return new Groups();
  }

  @Override
  public Groups addInput(Groups groups, KV<String, Row> keyed) {
    Row row = keyed.getValue();
    Group g = groups.byKey.get(keyed.getKey());
    if (g == null) {
      g = newGroup(row);
      groups.byKey.put(keyed.getKey(), g);
    }
    int slot = pivot == null ? 0 : pivot.slotOf(row);
    if (pivot != null && pivot.isOther(slot)) {
      groups.pivotOther++;
    }
    g.measured[slot].add(row);
    return groups;
  }

  @Override
  public Groups mergeAccumulators(Iterable<Groups> accumulators) {
    Groups merged = null;
    for (Groups groups : accumulators) {
      if (merged == null) {
        merged = groups;
        continue;
      }
      merged.pivotOther += groups.pivotOther;
      for (Map.Entry<String, Group> e : groups.byKey.entrySet()) {
        Group into = merged.byKey.putIfAbsent(e.getKey(), e.getValue());
        if (into != null) {
          for (int s = 0; s < into.measured.length; s++) {
            into.measured[s].merge(e.getValue().measured[s]);
          }
        }
      }
    }
    return merged == null ? createAccumulator() : merged;
  }

  @Override
  public Groups extractOutput(Groups groups) {
    return groups;
  }

  @Override
  public org.apache.beam.sdk.coders.Coder<Groups> getAccumulatorCoder(
      org.apache.beam.sdk.coders.CoderRegistry registry,
      org.apache.beam.sdk.coders.Coder<KV<String, Row>> input) {
    return new GroupsCoder(this);
  }

  @Override
  public org.apache.beam.sdk.coders.Coder<Groups> getDefaultOutputCoder(
      org.apache.beam.sdk.coders.CoderRegistry registry,
      org.apache.beam.sdk.coders.Coder<KV<String, Row>> input) {
    return new GroupsCoder(this);
  }

  /** Encodes the groups of a bucket: each key, row and measures, then the pivot's other count. */
  static final class GroupsCoder extends CustomCoder<Groups> {
    private static final long serialVersionUID = 1L;
    private final MeasureGroupsFn fn;
    private final RowCoder rows;

    GroupsCoder(MeasureGroupsFn fn) {
      this.fn = fn;
      this.rows = RowCoder.of(fn.read);
    }

    @Override
    public void encode(Groups groups, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(groups.byKey.size());
      for (Map.Entry<String, Group> e : groups.byKey.entrySet()) {
        StringUtf8Coder.of().encode(e.getKey(), data);
        rows.encode(e.getValue().first, data);
        for (MeasureValues m : e.getValue().measured) {
          m.encode(data);
        }
      }
      data.writeLong(groups.pivotOther);
      data.flush();
    }

    @Override
    public Groups decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      Groups groups = new Groups();
      int size = data.readInt();
      int slots = fn.slots();
      for (int i = 0; i < size; i++) {
        String key = StringUtf8Coder.of().decode(data);
        Row first = rows.decode(data);
        MeasureValues[] measured = new MeasureValues[slots];
        for (int s = 0; s < slots; s++) {
          measured[s] = MeasureValues.decode(fn.measures, data);
        }
        groups.byKey.put(key, new Group(first, measured));
      }
      groups.pivotOther = data.readLong();
      return groups;
    }
  }
}
