package dev.intake.transforms.model;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A field of a dataset: its name, its type, and the source values that mean "missing".
 *
 * <p>{@code nullValues} are compared as text and, for numeric fields, also as numbers, so {@code
 * "0"} also matches {@code "0.000000000000"} (the way SF 311 writes a missing location).
 */
public final class FieldDef implements Serializable {
  private final String name;
  private final FieldType type;
  private final List<String> nullValues;

  private FieldDef(String name, FieldType type, List<String> nullValues) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.nullValues = List.copyOf(nullValues);
  }

  public static FieldDef of(String name, FieldType type) {
    return new FieldDef(name, type, List.of());
  }

  public FieldDef withNullValues(List<String> values) {
    return new FieldDef(name, type, values);
  }

  public String name() {
    return name;
  }

  public FieldType type() {
    return type;
  }

  public List<String> nullValues() {
    return nullValues;
  }

  @Override
  public String toString() {
    return name + ":" + type;
  }
}
