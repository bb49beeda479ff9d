package dev.intake.pipeline.steps;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.transforms.Flatten;

/**
 * Profiles the rows a run writes (the merge's touched rows that came in with the run, not the
 * stored rows carried over): per column of the clean schema its nulls and distinct values
 * ({@link DistinctSketch}: exact up to {@value DistinctSketch#CAPACITY} distinct values, estimated
 * past that), and the rows per UTC day of a timestamp field. Outputs the figures as tallies:
 * {@link TallyKey.Kind#PROFILED_ROWS}, {@code COLUMN_NULLS}, {@code COLUMN_DISTINCT} and {@code
 * COLUMN_APPROX} (1 when estimated) with the column as output, {@code DAY_ROWS} with the day as
 * partition. A run that writes no rows outputs none of these (read as 0).
 */
public final class ProfileColumns
    extends PTransform<PCollection<Row>, PCollection<KV<TallyKey, Long>>> {
  private final Schema clean;
  private final String dayField;

  private ProfileColumns(Schema clean, String dayField) {
    this.clean = clean;
    this.dayField = dayField;
  }

  /**
   * Profiles rows marked by {@link MarkOrigin} whose first fields are {@code clean}'s; counts rows
   * per day of {@code dayField} when it is a timestamp column of {@code clean} (else no days).
   */
  public static ProfileColumns of(Schema clean, String dayField) {
    boolean timestamp = dayField != null && clean.hasField(dayField)
        && clean.getField(dayField).getType().getTypeName() == Schema.TypeName.DATETIME;
    return new ProfileColumns(clean, timestamp ? dayField : null);
  }

  @Override
  public PCollection<KV<TallyKey, Long>> expand(PCollection<Row> touched) {
    PCollection<Row> written = touched.apply("Incoming", Filter.by(MarkOrigin::isIncoming));
    List<String> names = clean.getFieldNames();
    PCollection<KV<TallyKey, Long>> profile =
        written
            .apply("Profile",
                Combine.globally(new ProfileFn(names, Tallies.coder(touched.getPipeline())))
                    .withoutDefaults())
            .apply("AsTallies", Flatten.iterables());
    if (dayField == null) {
      return profile;
    }
    String field = dayField;
    PCollection<KV<TallyKey, Long>> days =
        written
            .apply("WithDay", Filter.by((Row r) -> r.getDateTime(field) != null))
            .apply("RowsPerDay", Tallies.count((Row r) -> TallyKey.day(
                new org.joda.time.Instant(r.getDateTime(field)).toString().substring(0, 10))));
    return PCollectionList.of(profile).and(days).apply("ProfileAndDays", Flatten.pCollections());
  }

  /** The figures of the rows seen so far. */
  static final class Profile {
    long rows;
    final long[] nulls;
    final DistinctSketch[] distinct;

    Profile(int columns) {
      nulls = new long[columns];
      distinct = new DistinctSketch[columns];
      for (int i = 0; i < columns; i++) {
        distinct[i] = new DistinctSketch();
      }
    }

    void add(Row r) {
      rows++;
      for (int i = 0; i < nulls.length; i++) {
        Object v = r.getValue(i);
        if (v == null) {
          nulls[i]++;
        } else {
          distinct[i].addValue(v);
        }
      }
    }

    void merge(Profile other) {
      rows += other.rows;
      for (int i = 0; i < nulls.length; i++) {
        nulls[i] += other.nulls[i];
        distinct[i].merge(other.distinct[i]);
      }
    }

    List<KV<TallyKey, Long>> tallies(List<String> names) {
      List<KV<TallyKey, Long>> out = new ArrayList<>();
      out.add(KV.of(TallyKey.of(TallyKey.Kind.PROFILED_ROWS), rows));
      for (int i = 0; i < nulls.length; i++) {
        String name = names.get(i);
        out.add(KV.of(TallyKey.of(TallyKey.Kind.COLUMN_NULLS, name), nulls[i]));
        out.add(KV.of(TallyKey.of(TallyKey.Kind.COLUMN_DISTINCT, name), distinct[i].estimate()));
        out.add(KV.of(TallyKey.of(TallyKey.Kind.COLUMN_APPROX, name),
            distinct[i].approximate() ? 1L : 0L));
      }
      return out;
    }
  }

  /** Folds rows into a {@link Profile}; independent of the order and split of the rows. */
  static final class ProfileFn extends Combine.CombineFn<Row, Profile, List<KV<TallyKey, Long>>> {
    private final List<String> names;
    private final org.apache.beam.sdk.coders.Coder<KV<TallyKey, Long>> tally;

    ProfileFn(List<String> names, org.apache.beam.sdk.coders.Coder<KV<TallyKey, Long>> tally) {
      this.names = List.copyOf(names);
      this.tally = tally;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<List<KV<TallyKey, Long>>> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<Row> input) {
      return ListCoder.of(tally);
    }

    @Override
    public Profile createAccumulator() {
      return new Profile(names.size());
    }

    @Override
    public Profile addInput(Profile p, Row r) {
      p.add(r);
      return p;
    }

    @Override
    public Profile mergeAccumulators(Iterable<Profile> profiles) {
      Profile out = new Profile(names.size());
      for (Profile p : profiles) {
        out.merge(p);
      }
      return out;
    }

    @Override
    public List<KV<TallyKey, Long>> extractOutput(Profile p) {
      return p.tallies(names);
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Profile> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<Row> input) {
      return new ProfileCoder(names.size());
    }
  }

  /** Encodes a {@link Profile}: rows, then per column nulls, the sketch's state and hashes. */
  static final class ProfileCoder extends CustomCoder<Profile> {
    private final int columns;

    ProfileCoder(int columns) {
      this.columns = columns;
    }

    @Override
    public void encode(Profile p, OutputStream out) throws IOException {
      DataOutputStream d = new DataOutputStream(out);
      d.writeLong(p.rows);
      for (int i = 0; i < columns; i++) {
        d.writeLong(p.nulls[i]);
        d.writeBoolean(p.distinct[i].full());
        long[] hashes = p.distinct[i].hashes();
        d.writeInt(hashes.length);
        for (long h : hashes) {
          d.writeLong(h);
        }
      }
      d.flush();
    }

    @Override
    public Profile decode(InputStream in) throws IOException {
      DataInputStream d = new DataInputStream(in);
      Profile p = new Profile(columns);
      p.rows = d.readLong();
      for (int i = 0; i < columns; i++) {
        p.nulls[i] = d.readLong();
        boolean full = d.readBoolean();
        long[] hashes = new long[d.readInt()];
        for (int j = 0; j < hashes.length; j++) {
          hashes[j] = d.readLong();
        }
        p.distinct[i] = DistinctSketch.of(hashes, full);
      }
      return p;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
