package dev.intake.transforms.history;

import dev.intake.transforms.dedup.VersionOrder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.joda.time.ReadableInstant;

/**
 * The version history (SCD type 2) of one key, by the source's own time: every distinct version of
 * the key with the interval in which it was the key's content, taken from the version field (a
 * timestamp), never from load time.
 *
 * <p>The convention: intervals are half-open, {@code [valid_from, valid_to)}. A version's {@code
 * valid_from} is its version value; its {@code valid_to} is the next version's value, or the first
 * deletion at or after its {@code valid_from} if that comes earlier, or null when neither exists
 * (it is the current version: {@code is_current} is true exactly when {@code valid_to} is null).
 * So the versions of a key tile time from its first version on without gaps or overlaps, except
 * the gaps a deletion leaves until the key comes back with a newer version. A deletion at the very
 * instant of a version removes that version (as the tombstones do), which leaves it the empty
 * interval {@code [t, t)}; a deletion with no version before it closes nothing.
 *
 * <p>A "distinct version" is a distinct version value: the same version value read again (a record
 * fetched twice through overlapping windows, a replay) is not a new version; two different
 * contents with the same version value are one version, whose content is chosen by the dedup's
 * tie-break ({@link VersionOrder}), so the result never depends on arrival order. The input can
 * therefore be every row a run read of the key together with its stored history, in any order.
 */
public final class VersionHistory implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String VALID_FROM = "valid_from";
  public static final String VALID_TO = "valid_to";
  public static final String IS_CURRENT = "is_current";

  /** One version and the interval in which it was the key's content. */
  public static final class Interval {
    private final Row version;
    private final Instant validFrom;
    private final Instant validTo;

    Interval(Row version, Instant validFrom, Instant validTo) {
      this.version = version;
      this.validFrom = validFrom;
      this.validTo = validTo;
    }

    /** The version's row, of the clean schema. */
    public Row version() {
      return version;
    }

    public Instant validFrom() {
      return validFrom;
    }

    /** The end (exclusive), or null for the current version. */
    public Instant validTo() {
      return validTo;
    }

    public boolean isCurrent() {
      return validTo == null;
    }

    @Override
    public String toString() {
      return "[" + validFrom + ", " + validTo + ") " + version;
    }
  }

  /** What a recomputation added to a key's stored history. */
  public static final class Added {
    /** Versions the stored history did not hold. */
    public final long versions;
    /** Of those, the ones older than the newest stored version (slotted into their place). */
    public final long late;

    Added(long versions, long late) {
      this.versions = versions;
      this.late = late;
    }
  }

  private final String versionField;
  private final VersionOrder order;

  private VersionHistory(String versionField) {
    this.versionField = versionField;
    this.order = new VersionOrder(versionField);
  }

  /** The history of rows whose version is the timestamp field {@code versionField}. */
  public static VersionHistory of(String versionField) {
    if (versionField == null) {
      throw new IllegalArgumentException("versionField must not be null");
    }
    return new VersionHistory(versionField);
  }

  /** The history's schema: {@code clean}'s fields, then valid_from, valid_to and is_current. */
  public static Schema schema(Schema clean) {
    return Schema.builder()
        .addFields(clean.getFields())
        .addNullableField(VALID_FROM, Schema.FieldType.DATETIME)
        .addNullableField(VALID_TO, Schema.FieldType.DATETIME)
        .addNullableField(IS_CURRENT, Schema.FieldType.BOOLEAN)
        .build();
  }

  /**
   * The intervals of one key's {@code versions} (rows of one schema, any order, repeats allowed),
   * closed by the key's {@code deletions} (deletion times), oldest first.
   *
   * @throws IllegalArgumentException for a row without a version value (the spec makes the
   *     version field required when it asks for a history)
   */
  public List<Interval> intervals(Iterable<Row> versions, Iterable<? extends ReadableInstant>
      deletions) {
    TreeMap<Long, Row> byVersion = new TreeMap<>();
    for (Row r : versions) {
      ReadableInstant v = r.getDateTime(versionField);
      if (v == null) {
        throw new IllegalArgumentException("a version without " + versionField + ": " + r);
      }
      byVersion.merge(v.getMillis(), r, (a, b) -> order.compare(a, b) >= 0 ? a : b);
    }
    NavigableSet<Long> deleted = new TreeSet<>();
    deletions.forEach(d -> deleted.add(d.getMillis()));
    List<Interval> out = new ArrayList<>(byVersion.size());
    for (Map.Entry<Long, Row> e : byVersion.entrySet()) {
      Long next = byVersion.higherKey(e.getKey());
      Long deletion = deleted.ceiling(e.getKey());
      Long end = deletion != null && (next == null || deletion < next) ? deletion : next;
      out.add(new Interval(e.getValue(), new Instant(e.getKey()),
          end == null ? null : new Instant(end)));
    }
    return out;
  }

  /** {@code interval} as a row of {@code historySchema} ({@link #schema}). */
  public static Row toRow(Schema historySchema, Interval interval) {
    return Row.withSchema(historySchema)
        .addValues(interval.version.getValues())
        .addValues(interval.validFrom, interval.validTo, interval.isCurrent())
        .build();
  }

  /** The clean row of a history row, whose schema is {@code clean}'s plus the interval fields. */
  public static Row version(Schema clean, Row history) {
    return Row.withSchema(clean)
        .addValues(history.getValues().subList(0, clean.getFieldCount()))
        .build();
  }

  /** What {@code intervals} add to a stored history whose versions were {@code stored}. */
  public static Added added(List<Interval> intervals,
      Collection<? extends ReadableInstant> stored) {
    long newest = Long.MIN_VALUE;
    TreeSet<Long> known = new TreeSet<>();
    for (ReadableInstant s : stored) {
      known.add(s.getMillis());
      newest = Math.max(newest, s.getMillis());
    }
    long versions = 0;
    long late = 0;
    for (Interval i : intervals) {
      long from = i.validFrom.getMillis();
      if (!known.contains(from)) {
        versions++;
        if (from < newest) {
          late++;
        }
      }
    }
    return new Added(versions, late);
  }
}
