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
  @SuppressWarnings({"unchecked", "rawtypes"})
  public int compare(Row a, Row b) {
    Comparable va = (Comparable) a.getValue(versionField);
    Comparable vb = (Comparable) b.getValue(versionField);
    if (va == null || vb == null) {
      if (va != vb) {
        return va == null ? -1 : 1;
      }
    } else {
      int c = va.compareTo(vb);
      if (c != 0) {
        return c;
      }
    }
    return canonical(a).compareTo(canonical(b));
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
