package dev.intake.transforms.sinks.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import org.apache.beam.sdk.schemas.Schema;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One binary COPY into a PostgreSQL table from the driver, on the given connection (so inside its
 * transaction, if one is open), of rows encoded by {@link BinaryCopyEncoder}s (on other threads,
 * see {@link ParquetCopy}) and sent as they come. {@link #end} completes it; closing one that did
 * not end cancels it, so the table gets none of its rows. Not thread-safe.
 */
final class BinaryCopyStream implements AutoCloseable {
  private final CopyIn copy;
  private long rows;

  /** Starts a COPY of rows of {@code schema} into {@code table} (qualified and quoted). */
  BinaryCopyStream(Connection c, String table, Schema schema) throws SQLException {
    copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " ("
        + Dialect.quotedList(schema.getFieldNames()) + ") FROM STDIN WITH (FORMAT binary)");
    copy.writeToCopy(BinaryCopyEncoder.HEADER, 0, BinaryCopyEncoder.HEADER.length);
  }

  /**
   * Sends {@code count} whole rows encoded by a {@link BinaryCopyEncoder} of the stream's schema:
   * {@code bytes[0 .. length)}, without header or trailer.
   */
  void addEncoded(byte[] bytes, int length, long count) throws SQLException {
    copy.writeToCopy(bytes, 0, length);
    rows += count;
  }

  /** Ends the COPY; returns the rows it loaded. */
  long end() throws SQLException {
    copy.writeToCopy(BinaryCopyEncoder.TRAILER, 0, BinaryCopyEncoder.TRAILER.length);
    copy.endCopy();
    return rows;
  }

  @Override
  public void close() throws SQLException {
    if (copy.isActive()) {
      copy.cancelCopy();
    }
  }
}
