package dev.intake.transforms.sinks.warehouse;

/**
 * A version of a dataset's schema as the warehouse records it in {@code intake_schemas}: its
 * number (1, 2, … per dataset), the fingerprint of its content, the content itself (JSON: fields
 * with types, key, partition, derived and aggregate columns), the back-fill still pending under it
 * (JSON: column to the partitions that lack it), and the run that recorded it last. Plain public
 * fields, so a commit journal can hold it as JSON.
 */
public final class SchemaRecord {
  public String dataset;
  public int version;
  public String fingerprint;
  public String content;
  public String pending;
  public String runId;

  /** For JSON. */
  public SchemaRecord() {}

  public SchemaRecord(String dataset, int version, String fingerprint, String content,
      String pending, String runId) {
    this.dataset = dataset;
    this.version = version;
    this.fingerprint = fingerprint;
    this.content = content;
    this.pending = pending;
    this.runId = runId;
  }
}
