package dev.intake.transforms.aggregate;

import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * Keys each row by its group, (bucket, group values…); a row whose bucket field has no value has
 * no bucket, so it is not aggregated.
 */
class KeyByGroupFn extends DoFn<Row, KV<String, Row>> {
  private final TimeBucket bucket;
  private final List<String> groupFields;

  KeyByGroupFn(TimeBucket bucket, List<String> groupFields) {
    this.bucket = bucket;
    this.groupFields = groupFields;
  }

  @ProcessElement
  public void process(@Element Row row, OutputReceiver<KV<String, Row>> out) {
    LocalDate day = bucket == null ? null : bucket.of(row);
    if (bucket == null || day != null) {
      out.output(KV.of(keyOf(day, row, groupFields), row));
    }
  }

  /**
   * The grouping key: each part as {@code =<length>:<text>}, or {@code ~} for null, so that
   * different groups never share a key whatever their values hold, and the key is a string (whose
   * coder is deterministic, unlike that of a row with a double field).
   */
  static String keyOf(LocalDate bucket, Row row, List<String> groupFields) {
    StringBuilder key = new StringBuilder();
    if (bucket != null) {
      append(key, bucket.toString());
    }
    for (String f : groupFields) {
      append(key, text(row.getValue(f)));
    }
    return key.toString();
  }

  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    // An array's toString is its identity, different in every JVM.
    return value instanceof byte[]
        ? Base64.getEncoder().encodeToString((byte[]) value)
        : value.toString();
  }

  private static void append(StringBuilder key, String part) {
    if (part == null) {
      key.append('~');
    } else {
      key.append('=').append(part.length()).append(':').append(part);
    }
  }
}
