package dev.intake.transforms.derive;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/** A calculated column: its name, its type and how it is computed from a row. */
public abstract class Derivation implements Serializable {
  final String name;

  private Derivation(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  public String name() {
    return name;
  }

  abstract Schema.FieldType type();

  abstract Object compute(Row row);

  /** Checks that the fields the derivation reads exist with the right types. */
  abstract void checkInput(Schema schema);

  /**
   * Hours from the timestamp in {@code startField} to the one in {@code endField}, as a fraction;
   * null when either is missing.
   */
  public static Derivation hoursBetween(String name, String startField, String endField) {
    return new Derivation(name) {
      @Override
      Schema.FieldType type() {
        return Schema.FieldType.DOUBLE.withNullable(true);
      }

      @Override
      Object compute(Row row) {
        ReadableInstant start = row.getDateTime(startField);
        ReadableInstant end = row.getDateTime(endField);
        if (start == null || end == null) {
          return null;
        }
        return (end.getMillis() - start.getMillis()) / 3_600_000.0;
      }

      @Override
      void checkInput(Schema schema) {
        for (String f : new String[] {startField, endField}) {
          if (!schema.hasField(f)
              || schema.getField(f).getType().getTypeName() != Schema.TypeName.DATETIME) {
            throw new IllegalArgumentException(
                "derived column " + name + ": " + f + " is not a timestamp field");
          }
        }
      }
    };
  }
}
