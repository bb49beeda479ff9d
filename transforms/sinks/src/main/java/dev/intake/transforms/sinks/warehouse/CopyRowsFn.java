package dev.intake.transforms.sinks.warehouse;

import dev.intake.transforms.model.FailPoints;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Sends a bundle's rows with COPY … FROM STDIN, one COPY per {@code batchRows} rows and at bundle
 * end. In binary format rows are encoded and streamed as they arrive (the server stores them while
 * the next ones are encoded, and a bundle never sits in memory); in CSV format a batch is buffered
 * and sent whole.
 */
class CopyRowsFn extends DoFn<Row, Void> {
  private static final Counter ROWS = Metrics.counter(LoadStagingTable.class, "rowsLoaded");
  /** Encoded bytes held before they are written to the COPY stream. */
  private static final int SEND_BYTES = 1 << 16;

  private final WarehouseConfig config;
  private final String table;
  private final String columns;
  private final int batchRows;
  private final boolean binary;
  private transient WarehouseConfig.Session session;
  private transient CopyManager copyManager;
  private transient List<Row> buffer;
  private transient BinaryCopyEncoder encoder;
  private transient CopyIn copy;
  private transient int copyRows;

  CopyRowsFn(WarehouseConfig config, String table, String columns, int batchRows, boolean binary) {
    this.config = config;
    this.table = table;
    this.columns = columns;
    this.batchRows = batchRows;
    this.binary = binary;
  }

  @Setup
  public void setup() throws SQLException {
    session = config.open();
    session.connection().setAutoCommit(true);
    copyManager = session.connection().unwrap(PGConnection.class).getCopyAPI();
  }

  @StartBundle
  public void startBundle() throws SQLException {
    buffer = new ArrayList<>();
    // A bundle that failed half-way may have left its COPY open and a row half encoded.
    if (copy != null) {
      CopyIn c = copy;
      copy = null;
      copyRows = 0;
      if (c.isActive()) {
        c.cancelCopy();
      }
    }
    if (encoder != null) {
      encoder.clear();
    }
  }

  @ProcessElement
  public void process(@Element Row row) throws SQLException, IOException {
    if (!binary) {
      buffer.add(row);
      if (buffer.size() >= batchRows) {
        flushCsv();
      }
      return;
    }
    if (copy == null) {
      FailPoints.check("write.warehouse");
      if (encoder == null) {
        encoder = new BinaryCopyEncoder(row.getSchema());
      }
      copy = copyManager.copyIn(
          "COPY " + table + " (" + columns + ") FROM STDIN WITH (FORMAT binary)");
      copy.writeToCopy(BinaryCopyEncoder.HEADER, 0, BinaryCopyEncoder.HEADER.length);
    }
    encoder.add(row);
    copyRows++;
    if (encoder.length() >= SEND_BYTES) {
      send(copy);
    }
    if (copyRows >= batchRows) {
      endCopy();
    }
  }

  @FinishBundle
  public void finishBundle() throws SQLException, IOException {
    if (binary) {
      endCopy();
    } else {
      flushCsv();
    }
  }

  @Teardown
  public void teardown() throws SQLException {
    try {
      if (copy != null && copy.isActive()) {
        copy.cancelCopy();
      }
    } finally {
      copy = null;
      if (session != null) {
        session.close();
      }
    }
  }

  private void send(CopyIn c) throws SQLException {
    try {
      c.writeToCopy(encoder.bytes(), 0, encoder.length());
    } finally {
      encoder.clear();
    }
  }

  private void endCopy() throws SQLException {
    if (copy == null) {
      return;
    }
    CopyIn c = copy;
    copy = null;
    int n = copyRows;
    copyRows = 0;
    try {
      send(c);
      c.writeToCopy(BinaryCopyEncoder.TRAILER, 0, BinaryCopyEncoder.TRAILER.length);
      c.endCopy();
    } catch (SQLException | RuntimeException e) {
      if (c.isActive()) {
        try {
          c.cancelCopy();
        } catch (SQLException secondary) {
          e.addSuppressed(secondary);
        }
      }
      throw e;
    }
    ROWS.inc(n);
  }

  private void flushCsv() throws SQLException, IOException {
    if (buffer.isEmpty()) {
      return;
    }
    FailPoints.check("write.warehouse");
    copyManager.copyIn(
        "COPY " + table + " (" + columns + ") FROM STDIN WITH (FORMAT csv)",
        new ByteArrayInputStream(csv(buffer)),
        1 << 16);
    ROWS.inc(buffer.size());
    buffer.clear();
  }

  /**
   * Rows as CSV: strings quoted (so "" is an empty string), nulls as nothing, instants and dates in
   * ISO-8601, lists as PostgreSQL array literals ({@code {"a","b"}}, quoted as a CSV field).
   */
  static byte[] csv(List<Row> rows) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(rows.size() * 256);
    for (Row row : rows) {
      for (int i = 0; i < row.getFieldCount(); i++) {
        if (i > 0) {
          out.write(',');
        }
        Object v = row.getValue(i);
        if (v instanceof String s) {
          out.write('"');
          out.write(s.replace("\"", "\"\"").getBytes(StandardCharsets.UTF_8));
          out.write('"');
        } else if (v instanceof Collection<?> list) {
          out.write('"');
          out.write(arrayLiteral(list).replace("\"", "\"\"").getBytes(StandardCharsets.UTF_8));
          out.write('"');
        } else if (v instanceof ReadableInstant t) {
          out.write(java.time.Instant.ofEpochMilli(t.getMillis()).toString()
              .getBytes(StandardCharsets.UTF_8));
        } else if (v != null) {
          out.write(v.toString().getBytes(StandardCharsets.UTF_8));
        }
      }
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** A PostgreSQL array literal: strings in double quotes, their quotes and backslashes escaped. */
  static String arrayLiteral(Collection<?> list) {
    StringBuilder sb = new StringBuilder("{");
    for (Object e : list) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      if (e instanceof String s) {
        sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      } else {
        sb.append(e);
      }
    }
    return sb.append('}').toString();
  }
}
