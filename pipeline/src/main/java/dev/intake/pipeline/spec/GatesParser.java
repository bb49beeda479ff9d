package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Reads a spec's optional {@code gates}: a list of data-quality gates, each {@code kind:}
 * {@code nullShare} ({@code column}, {@code max}), {@code rowCountDrop} ({@code maxDrop}, {@code
 * count: written|read}, default written, {@code runs}, default 7, {@code minRuns}, default 3),
 * {@code freshness} ({@code maxAge}, an ISO-8601 duration such as P2D) or {@code deletionShare}
 * ({@code max}), with {@code action: fail|warn} (required) and an optional {@code name} (default:
 * the kind, with the column). Shares are fractions, 0.05 for 5%.
 */
final class GatesParser {
  private GatesParser() {}

  static List<Gate> parse(SpecNodes nodes, JsonNode root, Schema clean) {
    JsonNode list = nodes.list(root, "gates", false);
    List<Gate> gates = new ArrayList<>();
    if (list == null) {
      return gates;
    }
    Set<String> names = new HashSet<>();
    for (JsonNode g : list) {
      if (!g.isObject()) {
        throw nodes.error(g, "a gate is a mapping with kind, its bound and action");
      }
      String kindName = nodes.text(g, "kind", true);
      Gate.Kind kind = Gate.Kind.of(kindName);
      if (kind == null) {
        throw nodes.error(g.get("kind"), "unknown gate kind '" + kindName
            + "' (known: nullShare, rowCountDrop, freshness, deletionShare)");
      }
      Gate gate = switch (kind) {
        case NULL_SHARE -> nullShare(nodes, g, clean);
        case ROW_COUNT_DROP -> rowCountDrop(nodes, g);
        case FRESHNESS -> freshness(nodes, g);
        case DELETION_SHARE -> {
          nodes.known(g, "name", "kind", "max", "action");
          yield new Gate(name(nodes, g, kindName), kind, null, share(nodes, g, "max"),
              action(nodes, g), null, 0, 0);
        }
      };
      if (!names.add(gate.name())) {
        throw nodes.error(g, "two gates are named '" + gate.name() + "'; give one a name");
      }
      gates.add(gate);
    }
    return gates;
  }

  private static Gate nullShare(SpecNodes nodes, JsonNode g, Schema clean) {
    nodes.known(g, "name", "kind", "column", "max", "action");
    String column = nodes.text(g, "column", true);
    if (!clean.hasField(column)) {
      throw nodes.error(g.get("column"), "gate column '" + column + "' is not a column of the"
          + " clean dataset (its fields after pii, derived and reference columns)");
    }
    return new Gate(name(nodes, g, "nullShare:" + column), Gate.Kind.NULL_SHARE, column,
        share(nodes, g, "max"), action(nodes, g), null, 0, 0);
  }

  private static Gate rowCountDrop(SpecNodes nodes, JsonNode g) {
    nodes.known(g, "name", "kind", "maxDrop", "count", "runs", "minRuns", "action");
    String count = nodes.text(g, "count", false);
    if (count == null) {
      count = "written";
    } else if (!count.equals("written") && !count.equals("read")) {
      throw nodes.error(g.get("count"), "count must be written or read, not '" + count + "'");
    }
    int runs = positive(nodes, g, "runs", 7);
    int minRuns = positive(nodes, g, "minRuns", 3);
    if (minRuns > runs) {
      throw nodes.error(g.get("minRuns"), "minRuns (" + minRuns + ") cannot exceed runs ("
          + runs + ")");
    }
    return new Gate(name(nodes, g, "rowCountDrop"), Gate.Kind.ROW_COUNT_DROP, null,
        share(nodes, g, "maxDrop"), action(nodes, g), count, runs, minRuns);
  }

  private static Gate freshness(SpecNodes nodes, JsonNode g) {
    nodes.known(g, "name", "kind", "maxAge", "action");
    String text = nodes.text(g, "maxAge", true);
    Duration age;
    try {
      age = Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw nodes.error(g.get("maxAge"), "maxAge must be an ISO-8601 duration such as PT6H or"
          + " P2D, not '" + text + "'");
    }
    if (age.isNegative() || age.isZero()) {
      throw nodes.error(g.get("maxAge"), "maxAge must be longer than zero");
    }
    return new Gate(name(nodes, g, "freshness"), Gate.Kind.FRESHNESS, null, age.getSeconds(),
        action(nodes, g), null, 0, 0);
  }

  private static String name(SpecNodes nodes, JsonNode g, String otherwise) {
    String name = nodes.text(g, "name", false);
    return name == null ? otherwise : name;
  }

  private static double share(SpecNodes nodes, JsonNode g, String key) {
    JsonNode v = g.get(key);
    if (v == null) {
      throw nodes.error(g, "missing '" + key + "' (a share between 0 and 1, e.g. 0.05 for 5%)");
    }
    if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1) {
      throw nodes.error(v, key + " must be a share between 0 and 1 (e.g. 0.05 for 5%), not '"
          + v.asText() + "'");
    }
    return v.asDouble();
  }

  private static int positive(SpecNodes nodes, JsonNode g, String key, int otherwise) {
    JsonNode v = g.get(key);
    if (v == null) {
      return otherwise;
    }
    if (!v.isIntegralNumber() || v.asInt() < 1) {
      throw nodes.error(v, key + " must be a whole number of runs of at least 1, not '"
          + v.asText() + "'");
    }
    return v.asInt();
  }

  private static Gate.Action action(SpecNodes nodes, JsonNode g) {
    String action = nodes.text(g, "action", true);
    try {
      return Gate.Action.valueOf(action.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw nodes.error(g.get("action"), "action must be fail or warn, not '" + action + "'");
    }
  }
}
