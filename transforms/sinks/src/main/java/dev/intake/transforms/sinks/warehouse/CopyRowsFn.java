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

/** Buffers a bundle's rows and sends them with COPY … FROM STDIN (CSV); flushes at bundle end. */
class CopyRowsFn extends DoFn<Row, Void> {
  private static final Counter ROWS = Metrics.counter(LoadStagingTable.class, "rowsLoaded");

  private final WarehouseConfig config;
  private final String table;
  private final String columns;
  private final int batchRows;
  private transient WarehouseConfig.Session session;
  private transient List<Row> buffer;

  CopyRowsFn(WarehouseConfig config, String table, String columns, int batchRows) {
    this.config = config;
    this.table = table;
    this.columns = columns;
    this.batchRows = batchRows;
  }

  @Setup
  public void setup() throws SQLException {
    session = config.open();
    session.connection().setAutoCommit(true);
  }

  @StartBundle
  public void startBundle() {
    buffer = new ArrayList<>();
  }

  @ProcessElement
  public void process(@Element Row row) throws SQLException, IOException {
    buffer.add(row);
    if (buffer.size() >= batchRows) {
      flush();
    }
  }

  @FinishBundle
  public void finishBundle() throws SQLException, IOException {
    flush();
  }

  @Teardown
  public void teardown() throws SQLException {
    if (session != null) {
      session.close();
    }
  }

  private void flush() throws SQLException, IOException {
    if (buffer.isEmpty()) {
      return;
    }
    FailPoints.check("write.warehouse");
    session
        .connection()
        .unwrap(PGConnection.class)
        .getCopyAPI()
        .copyIn(
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
