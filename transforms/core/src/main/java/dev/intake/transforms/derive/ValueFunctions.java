package dev.intake.transforms.derive;

import dev.intake.transforms.model.FieldType;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.beam.sdk.schemas.Schema;

/** The derivations of values: coalesce, text normalisation, lookup maps, conditions. */
public final class ValueFunctions {
  /** Whitespace: ASCII spaces, tabs and line breaks and Unicode space separators (e.g. U+00A0). */
  private static final Pattern EDGES = Pattern.compile("^[\\s\\p{Z}]+|[\\s\\p{Z}]+$");

  private static final Pattern RUNS = Pattern.compile("[\\s\\p{Z}]+");

  private ValueFunctions() {}

  /** One step of {@link Derivation#normalize}. */
  public enum TextStep {
    /** Removes whitespace at both ends. */
    TRIM,
    /** Lower case, by Unicode's rules without a locale. */
    LOWER,
    /** Upper case, by Unicode's rules without a locale. */
    UPPER,
    /** Turns every run of whitespace into one space. */
    COLLAPSE_WHITESPACE;

    /** The step called {@code name} (any case), or null if none. */
    public static TextStep named(String name) {
      for (TextStep s : values()) {
        if (s.name().equalsIgnoreCase(name)) {
          return s;
        }
      }
      return null;
    }

    String apply(String s) {
      switch (this) {
        case TRIM:
          return EDGES.matcher(s).replaceAll("");
        case LOWER:
          return s.toLowerCase(Locale.ROOT);
        case UPPER:
          return s.toUpperCase(Locale.ROOT);
        default:
          return RUNS.matcher(s).replaceAll(" ");
      }
    }
  }

  static final class Coalesce extends Derivation {
    private final List<String> fields;
    private final FieldType type;

    Coalesce(String name, List<String> fields, FieldType type) {
      super(name);
      if (fields.size() < 2) {
        throw new IllegalArgumentException("coalesce needs two fields or more, but had " + fields);
      }
      this.fields = List.copyOf(fields);
      this.type = type;
    }

    @Override
    public FieldType fieldType() {
      return type;
    }

    @Override
    public List<String> inputs() {
      return fields;
    }

    @Override
    String expects(String input, Schema.FieldType t) {
      return t.withNullable(true).equals(type.beamType())
          ? null
          : "a " + type.specName() + " field";
    }

    @Override
    Object compute(RowValues row) {
      for (String f : fields) {
        Object v = row.get(f);
        if (v != null) {
          return v;
        }
      }
      return null;
    }
  }

  static final class Normalize extends Derivation {
    private final String field;
    private final List<TextStep> steps;

    Normalize(String name, String field, List<TextStep> steps) {
      super(name);
      if (steps.isEmpty()) {
        throw new IllegalArgumentException("normalize needs at least one step");
      }
      this.field = field;
      this.steps = List.copyOf(steps);
    }

    @Override
    public FieldType fieldType() {
      return FieldType.STRING;
    }

    @Override
    public List<String> inputs() {
      return List.of(field);
    }

    @Override
    String expects(String input, Schema.FieldType type) {
      return type.getTypeName() == Schema.TypeName.STRING ? null : "a string field";
    }

    @Override
    Object compute(RowValues row) {
      String s = (String) row.get(field);
      if (s == null) {
        return null;
      }
      for (TextStep step : steps) {
        s = step.apply(s);
      }
      return s;
    }
  }

  static final class Lookup extends Derivation {
    private final String field;
    private final HashMap<String, Object> map;
    private final Object fallback;
    private final FieldType type;

    Lookup(String name, String field, Map<String, Object> map, Object fallback, FieldType type) {
      super(name);
      this.field = field;
      this.map = new HashMap<>(map);
      this.fallback = fallback;
      this.type = type;
    }

    @Override
    public FieldType fieldType() {
      return type;
    }

    @Override
    public List<String> inputs() {
      return List.of(field);
    }

    @Override
    String expects(String input, Schema.FieldType t) {
      switch (t.getTypeName()) {
        case STRING:
        case INT32:
        case INT64:
        case BOOLEAN:
          return null;
        default:
          return "a string, whole-number or boolean field";
      }
    }

    @Override
    Object compute(RowValues row) {
      Object v = row.get(field);
      Object mapped = v == null ? null : map.get(v.toString());
      return mapped != null ? mapped : fallback;
    }
  }

  static final class ConditionValue extends Derivation {
    private final Condition condition;

    ConditionValue(String name, Condition condition) {
      super(name);
      this.condition = condition;
    }

    @Override
    public FieldType fieldType() {
      return FieldType.BOOLEAN;
    }

    @Override
    public List<String> inputs() {
      return condition.fields();
    }

    @Override
    String expects(String input, Schema.FieldType type) {
      return null;
    }

    @Override
    Object compute(RowValues row) {
      return condition.evaluate(row);
    }
  }
}
