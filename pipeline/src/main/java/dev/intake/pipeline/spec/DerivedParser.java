package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.derive.Derivation;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a spec's {@code derived} columns: {@code {name, function, args}}, where the function is
 * one of {@link #FUNCTIONS} (a new function is one line there, plus its parser).
 */
final class DerivedParser {
  /** Checks the arguments of one derived column and builds it. */
  @FunctionalInterface
  interface FunctionParser {
    Derivation parse(String name, JsonNode args, List<FieldDef> fields, SpecNodes nodes);
  }

  static final Registry<FunctionParser> FUNCTIONS =
      Registry.<FunctionParser>empty().with("hours_between", DerivedParser::hoursBetween);

  private DerivedParser() {}

  /** The derived columns of {@code derivedList} (null: none). */
  static List<Derivation> parse(SpecNodes nodes, JsonNode derivedList, List<FieldDef> fields) {
    List<Derivation> derived = new ArrayList<>();
    if (derivedList != null) {
      for (JsonNode d : derivedList) {
        derived.add(derivation(nodes, d, fields));
      }
    }
    return derived;
  }

  private static Derivation derivation(SpecNodes nodes, JsonNode d, List<FieldDef> fields) {
    nodes.known(d, "name", "function", "args");
    String name = nodes.text(d, "name", true);
    String function = nodes.text(d, "function", true);
    JsonNode args = nodes.list(d, "args", true);
    if (SpecNodes.byName(fields, name) != null) {
      throw nodes.error(d.get("name"), "derived column '" + name + "' has the name of a field");
    }
    FunctionParser parser = FUNCTIONS.get(function);
    if (parser == null) {
      throw nodes.error(d.get("function"),
          "unknown function '" + function + "' (known: " + FUNCTIONS.known() + ")");
    }
    return parser.parse(name, args, fields, nodes);
  }

  private static Derivation hoursBetween(
      String name, JsonNode args, List<FieldDef> fields, SpecNodes nodes) {
    if (args.size() != 2) {
      throw nodes.error(args, "hours_between takes two timestamp fields: [start, end]");
    }
    for (JsonNode a : args) {
      FieldDef def = SpecNodes.byName(fields, a.asText());
      if (def == null || def.type() != FieldType.TIMESTAMP) {
        throw nodes.error(a, "hours_between: '" + a.asText() + "' is not a timestamp field");
      }
    }
    return Derivation.hoursBetween(name, args.get(0).asText(), args.get(1).asText());
  }
}
