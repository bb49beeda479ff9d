package dev.intake.transforms.sinks.warehouse;

/** How {@link LoadStagingTable} sends rows to a database that loads staging tables in the pipeline. */
public enum LoadMethod {
  /** PostgreSQL's COPY through the driver's CopyManager: the fast path. */
  COPY,
  /** Batched INSERTs through Beam's {@code JdbcIO.write()}, with its retry strategy. */
  BATCH
}
