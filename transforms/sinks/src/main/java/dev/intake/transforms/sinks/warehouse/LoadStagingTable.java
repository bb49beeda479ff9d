package dev.intake.transforms.sinks.warehouse;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import dev.intake.transforms.model.FailPoints;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Collection;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * Loads rows into a run's staging table (its columns are the rows' schema fields, by name), with
 * binary COPY (the default), CSV COPY or {@code JdbcIO.write()}'s batched INSERTs. Connections come from a
 * {@link WarehouseConfig}, whose password is read on the worker. A retried bundle may load its rows
 * twice, so the staging table is deduplicated when it is merged (the dialect's {@code runRows}).
 * Only for dialects that {@linkplain Dialect#loadsInPipeline() load in the pipeline}.
 */
public final class LoadStagingTable extends PTransform<PCollection<Row>, PDone> {
  private static final int DEFAULT_BATCH_ROWS = 20_000;

  private final WarehouseConfig config;
  private final String table;
  private final LoadMethod method;
  private final int batchRows;

  private LoadStagingTable(WarehouseConfig config, String table, LoadMethod method, int batchRows) {
    this.config = config;
    this.table = table;
    this.method = method;
    this.batchRows = batchRows;
  }

  /** Loads into {@code table} (schema-qualified and quoted, as {@link Warehouse} names it). */
  public static LoadStagingTable into(WarehouseConfig config, String table) {
    checkArgumentNotNull(config, "config must not be null");
    checkArgumentNotNull(table, "table must not be null");
    if (!config.dialect().loadsInPipeline()) {
      throw new IllegalArgumentException(config.dialect() + " loads at commit, not in the pipeline: "
          + config.url());
    }
    return new LoadStagingTable(config, table, LoadMethod.COPY, DEFAULT_BATCH_ROWS);
  }

  public LoadStagingTable withMethod(LoadMethod method) {
    checkArgumentNotNull(method, "method must not be null");
    return new LoadStagingTable(config, table, method, batchRows);
  }

  /** Rows per COPY or per executed batch; default 20,000. */
  public LoadStagingTable withBatchRows(int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("batchRows must be > 0, but was " + rows);
    }
    return new LoadStagingTable(config, table, method, rows);
  }

  @Override
  public PDone expand(PCollection<Row> input) {
    Schema schema = input.getSchema();
    String columns = Dialect.quotedList(schema.getFieldNames());
    if (method == LoadMethod.COPY || method == LoadMethod.COPY_CSV) {
      input.apply("CopyRows", ParDo.of(
          new CopyRowsFn(config, table, columns, batchRows, method == LoadMethod.COPY)));
      return PDone.in(input.getPipeline());
    }
    String marks = String.join(", ", java.util.Collections.nCopies(schema.getFieldCount(), "?"));
    Dialect dialect = config.dialect();
    return input.apply(
        "InsertRows",
        JdbcIO.<Row>write()
            .withDataSourceConfiguration(
                config.dataSource().withConnectionProperties("reWriteBatchedInserts=true"))
            .withStatement("INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")")
            .withPreparedStatementSetter((row, ps) -> setRow(row, ps, dialect))
            .withBatchSize(batchRows));
  }

  private static void setRow(Row row, PreparedStatement ps, Dialect dialect)
      throws java.sql.SQLException {
    FailPoints.check("write.warehouse");
    for (int i = 0; i < row.getFieldCount(); i++) {
      Object v = row.getValue(i);
      if (v == null) {
        ps.setNull(i + 1, Types.NULL);
      } else if (v instanceof Collection<?> list) {
        Schema.FieldType element = row.getSchema().getField(i).getType().getCollectionElementType();
        ps.setArray(
            i + 1,
            ps.getConnection().createArrayOf(dialect.arrayElementType(element), list.toArray()));
      } else if (v instanceof ReadableInstant t) {
        ps.setTimestamp(i + 1, new Timestamp(t.getMillis()));
      } else {
        ps.setObject(i + 1, v);
      }
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("warehouse", config.url()))
        .add(DisplayData.item("table", table))
        .add(DisplayData.item("method", method.toString()))
        .add(DisplayData.item("batchRows", batchRows));
  }
}
