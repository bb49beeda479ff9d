package dev.intake.transforms.model;

import org.apache.beam.sdk.schemas.Schema;

/** The value types a dataset field can have, and their Beam schema types (all nullable). */
public enum FieldType {
  STRING(Schema.FieldType.STRING),
  LONG(Schema.FieldType.INT64),
  INT(Schema.FieldType.INT32),
  DOUBLE(Schema.FieldType.DOUBLE),
  BOOLEAN(Schema.FieldType.BOOLEAN),
  TIMESTAMP(Schema.FieldType.DATETIME);

  private final Schema.FieldType beamType;

  FieldType(Schema.FieldType beamType) {
    this.beamType = beamType;
  }

  public Schema.FieldType beamType() {
    return beamType.withNullable(true);
  }

  /** The type named {@code name} (case-insensitive), or null when there is none. */
  public static FieldType named(String name) {
    for (FieldType t : values()) {
      if (t.name().equalsIgnoreCase(name)) {
        return t;
      }
    }
    return null;
  }
}
