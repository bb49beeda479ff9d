package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.history.VersionHistory;
import dev.intake.transforms.validate.Rule;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Reads a spec's optional {@code history}: {@code true} or {@code {enabled: true}} asks for the
 * version history (SCD type 2) of the dataset, by its version field. The version field must then be
 * a required timestamp (its value is each version's {@code valid_from}), and the clean columns must
 * not already use the history's column names.
 */
final class HistoryParser {
  private HistoryParser() {}

  /** Whether {@code root.history} asks for a history. */
  static boolean parse(SpecNodes nodes, JsonNode root, Schema clean, String version,
      List<Rule> rules) {
    JsonNode h = root.get("history");
    if (h == null || h.isNull()) {
      return false;
    }
    boolean enabled;
    if (h.isBoolean()) {
      enabled = h.asBoolean();
    } else if (h.isObject()) {
      nodes.known(h, "enabled");
      JsonNode e = h.get("enabled");
      if (e == null || !e.isBoolean()) {
        throw nodes.error(e == null ? h : e, "history.enabled must be true or false");
      }
      enabled = e.asBoolean();
    } else {
      throw nodes.error(h, "history must be true, false or {enabled: true|false}");
    }
    if (!enabled) {
      return false;
    }
    if (clean.getField(version).getType().getTypeName() != Schema.TypeName.DATETIME) {
      throw nodes.error(h, "history needs a timestamp version field: its versions are placed in"
          + " time by it, and version '" + version + "' is not a timestamp");
    }
    boolean required = false;
    for (Rule r : rules) {
      required |= r.code().equals("required:" + version);
    }
    if (!required) {
      throw nodes.error(h, "history needs the version field '" + version + "' to be required"
          + " (a version without a value has no place in time): add required: true to it");
    }
    for (String column : List.of(VersionHistory.VALID_FROM, VersionHistory.VALID_TO,
        VersionHistory.IS_CURRENT)) {
      if (clean.hasField(column)) {
        throw nodes.error(h, "history adds the column '" + column + "', which the dataset already"
            + " has; rename that field");
      }
    }
    return true;
  }
}
