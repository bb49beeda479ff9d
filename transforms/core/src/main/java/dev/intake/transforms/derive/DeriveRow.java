package dev.intake.transforms.derive;

import dev.intake.transforms.model.DeadLetter;
import dev.intake.transforms.model.RecordStep;
import dev.intake.transforms.model.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Builds the output row: kept fields (hashed or masked where asked, null when retired), then the
 * derived columns, each computed from the input row and the derived columns before it. Rejects
 * nothing.
 */
final class DeriveRow implements RecordStep<Row, Row> {
  private final Schema outputSchema;
  private final List<String> keptFields;
  private final List<String> hashedFields;
  private final String hashKeyEnv;
  private final Map<String, List<TextMask>> masked;
  private final List<Derivation> derivations;
  private final Map<String, Integer> derivedIndex;
  private final List<String> nulledFields;
  private transient Mac mac;

  DeriveRow(
      Schema outputSchema,
      List<String> keptFields,
      List<String> hashedFields,
      String hashKeyEnv,
      Map<String, List<TextMask>> masked,
      List<Derivation> derivations,
      List<String> nulledFields) {
    this.outputSchema = outputSchema;
    this.keptFields = keptFields;
    this.hashedFields = hashedFields;
    this.hashKeyEnv = hashKeyEnv;
    this.masked = masked;
    this.derivations = derivations;
    this.derivedIndex = RowValues.indexOf(derivations);
    this.nulledFields = nulledFields;
  }

  @Override
  public void setup() throws GeneralSecurityException {
    if (hashedFields.isEmpty()) {
      return;
    }
    String key = System.getenv(hashKeyEnv);
    if (key == null || key.isEmpty()) {
      throw new IllegalStateException(
          "environment variable " + hashKeyEnv + " (the key for hashing PII fields) is not set");
    }
    mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
  }

  @Override
  public Row apply(Row row, SourceRecord source, Consumer<DeadLetter> rejects) {
    List<Object> values = new ArrayList<>(outputSchema.getFieldCount());
    for (String f : keptFields) {
      Object v = nulledFields.contains(f) ? null : row.getValue(f);
      if (v != null && hashedFields.contains(f)) {
        v = HexFormat.of().formatHex(mac.doFinal(v.toString().getBytes(StandardCharsets.UTF_8)));
      } else if (v != null && masked.containsKey(f)) {
        v = TextMask.applyAll(masked.get(f), (String) v);
      }
      values.add(v);
    }
    values.addAll(Arrays.asList(RowValues.computeInOrder(derivations, derivedIndex, row)));
    // Attached, not built: the values already have the schema's Java types, and Row.Builder's
    // per-field type resolution was a hot spot of the full load.
    return Row.withSchema(outputSchema).attachValues(values);
  }
}
