package dev.intake.transforms.sources;

/**
 * A kind of API source a spec can name in {@code source.type} (e.g. {@code socrata}). Source types
 * are found with {@link java.util.ServiceLoader}: an implementation lists itself in {@code
 * META-INF/services/dev.intake.transforms.sources.SourceType}, so adding a protocol needs no change
 * outside its own package.
 */
public interface SourceType {
  /** The name specs use in {@code source.type}. */
  String name();

  /**
   * Reads the spec's {@code source} section (which holds {@code type}) into a source; a bad value
   * fails with {@link SpecSection#error}.
   */
  ApiSource configure(SpecSection section);
}
