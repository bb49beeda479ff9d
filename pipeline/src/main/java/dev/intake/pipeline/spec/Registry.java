package dev.intake.pipeline.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named parts a spec may choose from at one extension point (rule keys, functions, source
 * types), in the order they were added, which is the order error messages list them in.
 * Immutable: {@link #with} returns a larger registry.
 */
final class Registry<T> {
  private final Map<String, T> entries;

  private Registry(Map<String, T> entries) {
    this.entries = entries;
  }

  static <T> Registry<T> empty() {
    return new Registry<>(Map.of());
  }

  /** This registry and {@code name}; a name can be registered once. */
  Registry<T> with(String name, T entry) {
    if (entries.containsKey(name)) {
      throw new IllegalArgumentException(name + " is registered twice");
    }
    Map<String, T> more = new LinkedHashMap<>(entries);
    more.put(name, entry);
    return new Registry<>(more);
  }

  /** The entry called {@code name}, or null. */
  T get(String name) {
    return entries.get(name);
  }

  List<String> names() {
    return new ArrayList<>(entries.keySet());
  }

  /** The names for a message: "a, b". */
  String known() {
    return String.join(", ", entries.keySet());
  }
}
