package dev.intake.transforms.sinks.warehouse;

import dev.intake.transforms.model.FailPoints;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;
import org.postgresql.PGConnection;

/** Buffers a bundle's rows and loads them with COPY or batched INSERTs; flushes at bundle end. */
class LoadRowsFn extends DoFn<Row, Void> {
  private static final Counter ROWS = Metrics.counter(WriteWarehouse.class, "rowsLoaded");

  private final JdbcTarget target;
  private final String table;
  private final Schema schema;
  private final WriteWarehouse.Method method;
  private final int batchRows;
  private transient Connection connection;
  private transient List<Row> buffer;

  LoadRowsFn(
      JdbcTarget target, String table, Schema schema, WriteWarehouse.Method method, int batchRows) {
    this.target = target;
    this.table = table;
    this.schema = schema;
    this.method = method;
    this.batchRows = batchRows;
  }

  @Setup
  public void setup() throws SQLException {
    connection = target.connect(method == WriteWarehouse.Method.BATCH);
    connection.setAutoCommit(true);
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
    if (connection != null) {
      connection.close();
    }
  }

  private void flush() throws SQLException, IOException {
    if (buffer.isEmpty()) {
      return;
    }
    FailPoints.check("write.warehouse");
    if (method == WriteWarehouse.Method.COPY) {
      copy();
    } else {
      insert();
    }
    ROWS.inc(buffer.size());
    buffer.clear();
  }

  private String columns() {
    List<String> names = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      names.add('"' + f.getName() + '"');
    }
    return String.join(", ", names);
  }

  private void copy() throws SQLException, IOException {
    ByteArrayOutputStream csv = new ByteArrayOutputStream(buffer.size() * 256);
    for (Row row : buffer) {
      for (int i = 0; i < schema.getFieldCount(); i++) {
        if (i > 0) {
          csv.write(',');
        }
        Object v = row.getValue(i);
        if (v == null) {
          continue;
        }
        if (v instanceof String) {
          csv.write('"');
          csv.write(((String) v).replace("\"", "\"\"").getBytes(StandardCharsets.UTF_8));
          csv.write('"');
        } else {
          csv.write(text(v).getBytes(StandardCharsets.UTF_8));
        }
      }
      csv.write('\n');
    }
    connection
        .unwrap(PGConnection.class)
        .getCopyAPI()
        .copyIn(
            "COPY " + table + " (" + columns() + ") FROM STDIN WITH (FORMAT csv)",
            new ByteArrayInputStream(csv.toByteArray()),
            1 << 16);
  }

  private void insert() throws SQLException {
    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " (" + columns() + ") VALUES (");
    for (int i = 0; i < schema.getFieldCount(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
    }
    try (PreparedStatement ps = connection.prepareStatement(sql.append(')').toString())) {
      for (Row row : buffer) {
        for (int i = 0; i < schema.getFieldCount(); i++) {
          Object v = row.getValue(i);
          if (v == null) {
            ps.setNull(i + 1, Types.NULL);
          } else if (v instanceof ReadableInstant) {
            ps.setTimestamp(i + 1, new java.sql.Timestamp(((ReadableInstant) v).getMillis()));
          } else {
            ps.setObject(i + 1, v);
          }
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static String text(Object v) {
    if (v instanceof ReadableInstant) {
      return java.time.Instant.ofEpochMilli(((ReadableInstant) v).getMillis()).toString();
    }
    return v.toString();
  }
}
