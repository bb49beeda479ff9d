package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.aggregate.Measure;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Reads one measure of an aggregate: {@code {name, fn, field, q}}, where {@code fn} is one of
 * {@link #FUNCTIONS} (a new function is one line there).
 */
final class MeasuresParser {
  /** Builds a measure from its name, its field (null if none) and its node (for more settings). */
  @FunctionalInterface
  interface Builder {
    Measure build(String name, String field, JsonNode measure, SpecNodes nodes);
  }

  /** A measure function: whether it needs a numeric field, and how it is built. */
  static final class Function {
    final boolean numericField;
    final Builder builder;

    private Function(boolean numericField, Builder builder) {
      this.numericField = numericField;
      this.builder = builder;
    }

    /** Needs a numeric field. */
    static Function ofNumbers(Builder builder) {
      return new Function(true, builder);
    }

    /** Takes any field, or none. */
    static Function ofAnything(Builder builder) {
      return new Function(false, builder);
    }
  }

  static final Registry<Function> FUNCTIONS =
      Registry.<Function>empty()
          .with("count", Function.ofAnything(MeasuresParser::count))
          .with("median", Function.ofNumbers((n, field, m, s) -> Measure.quantile(n, field, 0.5)))
          .with("quantile", Function.ofNumbers(MeasuresParser::quantile))
          .with("sum", Function.ofNumbers((n, field, m, s) -> Measure.sum(n, field)));

  private MeasuresParser() {}

  static Measure parse(SpecNodes nodes, JsonNode m, String aggregate, Schema cleanSchema) {
    nodes.known(m, "name", "fn", "field", "q");
    String name = nodes.text(m, "name", true);
    String fn = nodes.text(m, "fn", true);
    String field = nodes.text(m, "field", false);
    if (field != null && !cleanSchema.hasField(field)) {
      throw nodes.error(
          m.get("field"), "aggregate " + aggregate + ": '" + field + "' is not a column");
    }
    Function function = FUNCTIONS.get(fn);
    // An unknown function is checked like a numeric one first, so its messages stay as they were.
    boolean numeric = function == null || function.numericField;
    if (numeric && field == null) {
      throw nodes.error(m, "measure " + name + ": " + fn + " needs a field");
    }
    if (numeric && !cleanSchema.getField(field).getType().getTypeName().isNumericType()) {
      throw nodes.error(m.get("field"), "measure " + name + ": " + fn + " needs a numeric field");
    }
    if (function == null) {
      throw nodes.error(m.get("fn"),
          "unknown measure function '" + fn + "' (known: " + FUNCTIONS.known() + ")");
    }
    return function.builder.build(name, field, m, nodes);
  }

  private static Measure count(String name, String field, JsonNode m, SpecNodes nodes) {
    return field == null ? Measure.count(name) : Measure.countOf(name, field);
  }

  private static Measure quantile(String name, String field, JsonNode m, SpecNodes nodes) {
    JsonNode q = m.get("q");
    if (q == null || !q.isNumber() || q.asDouble() < 0 || q.asDouble() > 1) {
      throw nodes.error(
          q == null ? m : q, "measure " + name + ": quantile needs q between 0 and 1");
    }
    return Measure.quantile(name, field, q.asDouble());
  }
}
