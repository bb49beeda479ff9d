package dev.intake.transforms.dedup;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/**
 * The total order of versions of one key: the version field first (a missing version is oldest),
 * then, on a tie, the row's values in schema order compared as text, so the winner never depends
 * on arrival order.
 */
public final class VersionOrder implements Comparator<Row>, Serializable {
  private final String versionField;

  public VersionOrder(String versionField) {
    this.versionField = versionField;
  }

  @Override
  public int compare(Row a, Row b) {
    int c = compareVersions(a.getValue(versionField), b.getValue(versionField));
    return c != 0 ? c : canonical(a).compareTo(canonical(b));
  }

  /**
   * The order of two values of a version field alone (a missing version is oldest): a row whose
   * version is older than another's loses to it whatever else they hold.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static int compareVersions(Object a, Object b) {
    if (a == null || b == null) {
      return a == b ? 0 : a == null ? -1 : 1;
    }
    return ((Comparable) a).compareTo(b);
  }

  private static String canonical(Row row) {
    StringBuilder sb = new StringBuilder();
    List<Object> values = row.getValues();
    for (Object v : values) {
      sb.append(v == null ? "\u0000" : v.toString()).append('\u0001');
    }
    return sb.toString();
  }
}
