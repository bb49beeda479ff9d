package dev.intake.transforms.sinks.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One binary COPY into a PostgreSQL table from the driver, on the given connection (so inside its
 * transaction, if one is open). Rows are streamed as they are added (encoded by {@link
 * BinaryCopyEncoder}, sent every 64 KB), or arrive already encoded ({@link #addEncoded}, from
 * encoders on other threads). {@link #end} completes it; closing one that did not end cancels it,
 * so the table gets none of its rows. Not thread-safe.
 */
final class BinaryCopyStream implements AutoCloseable {
  private static final int SEND_BYTES = 1 << 16;

  private final CopyIn copy;
  private final BinaryCopyEncoder encoder;
  private long rows;

  /** Starts a COPY of rows of {@code schema} into {@code table} (qualified and quoted). */
  BinaryCopyStream(Connection c, String table, Schema schema) throws SQLException {
    encoder = new BinaryCopyEncoder(schema);
    List<String> names = schema.getFieldNames();
    copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " ("
        + Dialect.quotedList(names) + ") FROM STDIN WITH (FORMAT binary)");
    copy.writeToCopy(BinaryCopyEncoder.HEADER, 0, BinaryCopyEncoder.HEADER.length);
  }

  void add(Row row) throws SQLException {
    encoder.add(row);
    rows++;
    if (encoder.length() >= SEND_BYTES) {
      send();
    }
  }

  /**
   * Sends {@code count} whole rows encoded elsewhere by a {@link BinaryCopyEncoder} of the same
   * schema: {@code bytes[0 .. length)}, without header or trailer.
   */
  void addEncoded(byte[] bytes, int length, long count) throws SQLException {
    send();
    copy.writeToCopy(bytes, 0, length);
    rows += count;
  }

  /** Sends what is pending and ends the COPY; returns the rows it loaded. */
  long end() throws SQLException {
    send();
    copy.writeToCopy(BinaryCopyEncoder.TRAILER, 0, BinaryCopyEncoder.TRAILER.length);
    copy.endCopy();
    return rows;
  }

  private void send() throws SQLException {
    if (encoder.length() > 0) {
      copy.writeToCopy(encoder.bytes(), 0, encoder.length());
      encoder.clear();
    }
  }

  @Override
  public void close() throws SQLException {
    if (copy.isActive()) {
      copy.cancelCopy();
    }
  }
}
