package dev.intake.transforms.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;

/**
 * The value types a dataset field can have, their names in a spec and their Beam schema types (all
 * nullable).
 *
 * <p>{@code date} is a calendar date without a zone (Beam's {@link SqlTypes#DATE}, a {@link
 * java.time.LocalDate}). The list types ({@code list<string>}, {@code list<long>}, {@code
 * list<double>}) are Beam arrays whose elements are never null: a null element of the source is
 * skipped. A null list and an empty list are different values.
 */
public enum FieldType {
  STRING("string", Schema.FieldType.STRING),
  LONG("long", Schema.FieldType.INT64),
  INT("int", Schema.FieldType.INT32),
  DOUBLE("double", Schema.FieldType.DOUBLE),
  BOOLEAN("boolean", Schema.FieldType.BOOLEAN),
  TIMESTAMP("timestamp", Schema.FieldType.DATETIME),
  DATE("date", Schema.FieldType.logicalType(SqlTypes.DATE)),
  STRING_LIST("list<string>", Schema.FieldType.array(Schema.FieldType.STRING)),
  LONG_LIST("list<long>", Schema.FieldType.array(Schema.FieldType.INT64)),
  DOUBLE_LIST("list<double>", Schema.FieldType.array(Schema.FieldType.DOUBLE));

  private final String specName;
  private final Schema.FieldType beamType;

  FieldType(String specName, Schema.FieldType beamType) {
    this.specName = specName;
    this.beamType = beamType;
  }

  public Schema.FieldType beamType() {
    return beamType.withNullable(true);
  }

  /** The type's name in a spec: {@code string}, {@code date}, {@code list<long>}, … */
  public String specName() {
    return specName;
  }

  /** Whether values of this type are lists. */
  public boolean isList() {
    return elementType() != null;
  }

  /** The type of a list's elements, or null when this is not a list type. */
  public FieldType elementType() {
    switch (this) {
      case STRING_LIST:
        return STRING;
      case LONG_LIST:
        return LONG;
      case DOUBLE_LIST:
        return DOUBLE;
      default:
        return null;
    }
  }

  /** Whether the type is a number (long, int or double). */
  public boolean isNumeric() {
    return this == LONG || this == INT || this == DOUBLE;
  }

  /**
   * The type named {@code name} in a spec (case-insensitive, spaces ignored: {@code list<string>}
   * or {@code LIST< String >}), or null when there is none.
   */
  public static FieldType named(String name) {
    if (name == null) {
      return null;
    }
    String wanted = name.replace(" ", "").toLowerCase(Locale.ROOT);
    for (FieldType t : values()) {
      if (t.specName.equals(wanted)) {
        return t;
      }
    }
    return null;
  }

  /**
   * The type whose Beam type is {@code beamType} (nullable or not), or null when none is; e.g. an
   * aggregate's output column.
   */
  public static FieldType of(Schema.FieldType beamType) {
    for (FieldType t : values()) {
      if (t.beamType().equivalent(
          beamType.withNullable(true), Schema.EquivalenceNullablePolicy.SAME)) {
        return t;
      }
    }
    return null;
  }

  /** Whether a column of this type may become {@code wider} in place: int → long → double. */
  public boolean widensTo(FieldType wider) {
    return (this == INT && (wider == LONG || wider == DOUBLE)) || (this == LONG && wider == DOUBLE);
  }

  /** Every type's spec name, for messages: "string, long, …, list<double>". */
  public static String specNames() {
    List<String> names = new ArrayList<>();
    for (FieldType t : values()) {
      names.add(t.specName);
    }
    return String.join(", ", names);
  }
}
