package dev.intake.pipeline.steps;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * Profiles the rows a run writes (the merge's rows that came in with the run, not the stored rows
 * carried over; {@link MergeWithLake#WINNERS} holds them all, with no carried row to skip): per
 * column of the clean schema its nulls and distinct values
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
    return touched
        .apply("Incoming", Filter.by(MarkOrigin::isIncoming))
        .apply("Profile", Combine.globally(fold(touched.getPipeline())).withoutDefaults())
        .apply("AsTallies", Flatten.iterables());
  }

  /**
   * How rows are folded into a {@link Profile}: for a step that holds the rows anyway and profiles
   * them there (its incoming rows, as {@link #expand} filters them), handing the profiles of its
   * parts to {@link #ofProfiles}.
   */
  ProfileFn fold(Pipeline pipeline) {
    int day = dayField == null ? -1 : clean.indexOf(dayField);
    return new ProfileFn(clean.getFieldNames(), day, Tallies.coder(pipeline));
  }

  /**
   * The same tallies as {@link #expand} from the profiles of parts of the rows (folded with {@link
   * #fold}, any split): merged, then output as tallies; none when there is no profile.
   */
  PTransform<PCollection<Profile>, PCollection<KV<TallyKey, Long>>> ofProfiles() {
    return new PTransform<>() {
      @Override
      public PCollection<KV<TallyKey, Long>> expand(PCollection<Profile> parts) {
        return parts
            .apply("MergeProfiles",
                Combine.globally(new MergeProfilesFn(fold(parts.getPipeline()))).withoutDefaults())
            .apply("AsTallies", Flatten.iterables());
      }
    };
  }

  /** The figures of the rows seen so far. */
  static final class Profile {
    private static final long DAY_MILLIS = 86_400_000L;

    long rows;
    final long[] nulls;
    final DistinctSketch[] distinct;
    /** The column whose UTC day rows are counted by, or -1. */
    final int dayColumn;
    /** Rows per UTC day (days since 1970-01-01). */
    final Map<Long, Long> days = new HashMap<>();

    Profile(int columns, int dayColumn) {
      this.dayColumn = dayColumn;
      nulls = new long[columns];
      distinct = new DistinctSketch[columns];
      for (int i = 0; i < columns; i++) {
        distinct[i] = new DistinctSketch();
      }
    }

    void add(Row r) {
      rows++;
      if (dayColumn >= 0) {
        ReadableInstant t = r.getDateTime(dayColumn);
        if (t != null) {
          days.merge(Math.floorDiv(t.getMillis(), DAY_MILLIS), 1L, Long::sum);
        }
      }
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
      other.days.forEach((d, n) -> days.merge(d, n, Long::sum));
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
      days.forEach((d, n) -> out.add(KV.of(TallyKey.day(LocalDate.ofEpochDay(d).toString()), n)));
      return out;
    }
  }

  /** Folds rows into a {@link Profile}; independent of the order and split of the rows. */
  static final class ProfileFn extends Combine.CombineFn<Row, Profile, List<KV<TallyKey, Long>>> {
    private final List<String> names;
    private final int dayColumn;
    private final org.apache.beam.sdk.coders.Coder<KV<TallyKey, Long>> tally;

    /** {@code dayColumn}: the timestamp column whose UTC days are counted, or -1. */
    ProfileFn(List<String> names, int dayColumn,
        org.apache.beam.sdk.coders.Coder<KV<TallyKey, Long>> tally) {
      this.names = List.copyOf(names);
      this.dayColumn = dayColumn;
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
      return new Profile(names.size(), dayColumn);
    }

    @Override
    public Profile addInput(Profile p, Row r) {
      p.add(r);
      return p;
    }

    @Override
    public Profile mergeAccumulators(Iterable<Profile> profiles) {
      Profile out = new Profile(names.size(), dayColumn);
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
      return coder();
    }

    /** The coder of this fold's profiles. */
    ProfileCoder coder() {
      return new ProfileCoder(names.size(), dayColumn);
    }
  }

  /** Merges the profiles of parts of the rows, folded with {@code fold}, into the tallies of all. */
  static final class MergeProfilesFn
      extends Combine.CombineFn<Profile, Profile, List<KV<TallyKey, Long>>> {
    private final ProfileFn fold;

    MergeProfilesFn(ProfileFn fold) {
      this.fold = fold;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<List<KV<TallyKey, Long>>> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<Profile> input) {
      return ListCoder.of(fold.tally);
    }

    @Override
    public Profile createAccumulator() {
      return fold.createAccumulator();
    }

    @Override
    public Profile addInput(Profile merged, Profile part) {
      merged.merge(part);
      return merged;
    }

    @Override
    public Profile mergeAccumulators(Iterable<Profile> profiles) {
      return fold.mergeAccumulators(profiles);
    }

    @Override
    public List<KV<TallyKey, Long>> extractOutput(Profile p) {
      return fold.extractOutput(p);
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Profile> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<Profile> input) {
      return fold.coder();
    }
  }

  /**
   * Encodes a {@link Profile}: rows, then per column nulls, the sketch's state and hashes, then the
   * rows per day.
   */
  static final class ProfileCoder extends CustomCoder<Profile> {
    private final int columns;
    private final int dayColumn;

    ProfileCoder(int columns, int dayColumn) {
      this.columns = columns;
      this.dayColumn = dayColumn;
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
      d.writeInt(p.days.size());
      for (Map.Entry<Long, Long> e : p.days.entrySet()) {
        d.writeLong(e.getKey());
        d.writeLong(e.getValue());
      }
      d.flush();
    }

    @Override
    public Profile decode(InputStream in) throws IOException {
      DataInputStream d = new DataInputStream(in);
      Profile p = new Profile(columns, dayColumn);
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
      for (int n = d.readInt(); n > 0; n--) {
        p.days.put(d.readLong(), d.readLong());
      }
      return p;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
