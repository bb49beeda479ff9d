package dev.intake.transforms.sources;

import java.util.List;

/**
 * One section of a dataset spec, as a source type reads it: values by key, and errors that name the
 * spec file and the line of the value. Implemented by whoever reads spec files (the pipeline), so
 * that a source type parses its own section without knowing the file format.
 */
public interface SpecSection {
  /** Fails naming the first key of this section that is not one of {@code keys}. */
  void allowOnly(String... keys);

  /** Whether the section has a value for {@code key}. */
  boolean has(String key);

  /** A non-blank scalar, or null when absent and not {@code required} (absent and required fails). */
  String text(String key, boolean required);

  /**
   * A whole number in {@code [min, max]}, or {@code fallback} when absent; anything else fails with
   * {@code "<key> must be a whole number between <min> and <max>"}.
   */
  int integer(String key, int fallback, int min, int max);

  /** A list of scalars, or an empty list when absent. */
  List<String> texts(String key);

  /** A nested section; fails when absent and {@code required}, else null when absent. */
  SpecSection section(String key, boolean required);

  /**
   * The value of {@code key} whatever its shape (a scalar, a list or a mapping, nested to any
   * depth) as JSON text, keys in the file's order; null when absent. For templates a source
   * renders itself, e.g. a request body.
   */
  String json(String key);

  /** An error about the value of {@code key} (or the section itself when absent), with its line. */
  RuntimeException error(String key, String message);
}
