package dev.intake.transforms.join;

/** A reference table holds two rows for one key, so a lookup could not choose between them. */
public final class DuplicateReferenceKeyException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  DuplicateReferenceKeyException(String reference, String keyColumn, String key) {
    super("reference " + reference + " has more than one row with " + keyColumn + " '" + key
        + "'; a reference needs one row per key");
  }
}
