package dev.intake.transforms.sinks.warehouse;

/** How {@link LoadStagingTable} sends rows to a database that loads staging tables in the pipeline. */
public enum LoadMethod {
  /**
   * PostgreSQL's COPY in its binary format ({@link BinaryCopyEncoder}), streamed through the
   * driver's CopyManager: the fast path.
   */
  COPY,
  /** PostgreSQL's COPY with CSV text, a batch buffered and sent whole: the server parses the text. */
  COPY_CSV,
  /** Batched INSERTs through Beam's {@code JdbcIO.write()}, with its retry strategy. */
  BATCH
}
