package dev.intake.transforms.derive;

import dev.intake.transforms.model.FieldType;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;

/**
 * A calculated column: its name, its type (known before any row is read) and how it is computed
 * from a row's fields and the derived columns before it. A derivation never fails on a value: when
 * it has nothing to compute from (a null input) its value is null. Build one with the static
 * factories; {@link DeriveColumns} applies them in order.
 */
public abstract class Derivation implements Serializable {
  private static final long serialVersionUID = 1L;

  final String name;

  Derivation(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  public String name() {
    return name;
  }

  /** The type of the column, as a spec names it. */
  public abstract FieldType fieldType();

  /** The fields (or earlier derived columns) the derivation reads. */
  public abstract List<String> inputs();

  Schema.FieldType type() {
    return fieldType().beamType();
  }

  abstract Object compute(RowValues row);

  /**
   * What an input must be, e.g. "a timestamp field", or null when a field of {@code type} will do.
   */
  abstract String expects(String input, Schema.FieldType type);

  /** Checks that the fields the derivation reads exist with the right types. */
  void checkInput(Schema schema) {
    for (String f : inputs()) {
      String expected = schema.hasField(f) ? expects(f, schema.getField(f).getType()) : "a field";
      if (expected != null) {
        throw new IllegalArgumentException(
            "derived column " + name + ": " + f + " is not " + expected);
      }
    }
  }

  static boolean isTimestamp(Schema.FieldType t) {
    return t.getTypeName() == Schema.TypeName.DATETIME;
  }

  static boolean isDate(Schema.FieldType t) {
    return t.getTypeName().isLogicalType()
        && t.getLogicalType().getIdentifier().equals(SqlTypes.DATE.getIdentifier());
  }

  /**
   * Hours from the timestamp in {@code startField} to the one in {@code endField}, as a fraction
   * (negative when the end is earlier); null when either is missing.
   */
  public static Derivation hoursBetween(String name, String startField, String endField) {
    return new TimeFunctions.HoursBetween(name, startField, endField);
  }

  /**
   * Whole calendar days from the local date of {@code startField} to that of {@code endField} in
   * {@code zone} (timestamps or dates; 0 on the same day, negative when the end is earlier), as
   * SQL's {@code date_diff('day', …)} counts them; null when either is missing.
   */
  public static Derivation daysBetween(
      String name, String startField, String endField, String zone) {
    return new TimeFunctions.DaysBetween(name, startField, endField, zone);
  }

  /** A part of the local date-time of a timestamp (or date) {@code field} in {@code zone}. */
  public static Derivation datePart(
      String name, String field, TimeFunctions.Part part, String zone) {
    return new TimeFunctions.DatePart(name, field, part, zone);
  }

  /** The local date of a timestamp (or date) {@code field} in {@code zone}, truncated to a unit. */
  public static Derivation dateTrunc(
      String name, String field, TimeFunctions.Unit unit, String zone) {
    return new TimeFunctions.DateTrunc(name, field, unit, zone);
  }

  /** The first of {@code fields} (all of {@code type}) that has a value; null if none has. */
  public static Derivation coalesce(String name, List<String> fields, FieldType type) {
    return new ValueFunctions.Coalesce(name, fields, type);
  }

  /** The text of string {@code field} after {@code steps}, in order. */
  public static Derivation normalize(
      String name, String field, List<ValueFunctions.TextStep> steps) {
    return new ValueFunctions.Normalize(name, field, steps);
  }

  /**
   * The value {@code map} gives to the text of {@code field}'s value (a whole number or boolean as
   * Java writes it), or {@code fallback} when the value is not in the map or is null; values of
   * the map and the fallback are of {@code type}'s Java type.
   */
  public static Derivation lookup(
      String name, String field, Map<String, Object> map, Object fallback, FieldType type) {
    return new ValueFunctions.Lookup(name, field, map, fallback, type);
  }

  /** The value of a boolean {@link Condition}: true, false, or null when unknown. */
  public static Derivation condition(String name, Condition condition) {
    return new ValueFunctions.ConditionValue(name, condition);
  }
}
