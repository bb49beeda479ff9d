package dev.intake.transforms.sinks.warehouse;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.Row;

/**
 * Loads rows into an existing PostgreSQL table whose columns are the rows' fields, in schema
 * order: with {@code COPY … FROM STDIN} through the driver's CopyManager (the default), or with
 * batched INSERTs ({@code reWriteBatchedInserts}). Each worker opens one connection; the password
 * is read on the worker from the environment variable named by {@link #withPasswordEnv}, so it is
 * never part of the pipeline. Meant for a run's staging table: a retried bundle may load its rows
 * twice, so the table must be deduplicated when it is merged (by key, newest version).
 */
public final class WriteWarehouse extends PTransform<PCollection<Row>, PDone> {
  /** How rows travel to the database. */
  public enum Method {
    COPY,
    BATCH
  }

  private final String jdbcUrl;
  private final String user;
  private final String passwordEnv;
  private final String table;
  private final Method method;
  private final int batchRows;

  private WriteWarehouse(
      String jdbcUrl, String user, String passwordEnv, String table, Method method, int batchRows) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.passwordEnv = passwordEnv;
    this.table = table;
    this.method = method;
    this.batchRows = batchRows;
  }

  /** Loads into {@code table} (schema-qualified if needed) of the database at {@code jdbcUrl}. */
  public static WriteWarehouse into(String jdbcUrl, String table) {
    checkArgumentNotNull(jdbcUrl, "jdbcUrl must not be null");
    checkArgumentNotNull(table, "table must not be null");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("WriteWarehouse loads PostgreSQL, not " + jdbcUrl);
    }
    return new WriteWarehouse(jdbcUrl, null, null, table, Method.COPY, 20_000);
  }

  /** The same load into another table. */
  public WriteWarehouse withTable(String table) {
    checkArgumentNotNull(table, "table must not be null");
    return new WriteWarehouse(jdbcUrl, user, passwordEnv, table, method, batchRows);
  }

  public WriteWarehouse withUser(String user) {
    return new WriteWarehouse(jdbcUrl, user, passwordEnv, table, method, batchRows);
  }

  /** Reads the password from this environment variable on each worker. */
  public WriteWarehouse withPasswordEnv(String env) {
    return new WriteWarehouse(jdbcUrl, user, env, table, method, batchRows);
  }

  public WriteWarehouse withMethod(Method method) {
    checkArgumentNotNull(method, "method must not be null");
    return new WriteWarehouse(jdbcUrl, user, passwordEnv, table, method, batchRows);
  }

  /** Rows per COPY or per executed batch; default 20,000. */
  public WriteWarehouse withBatchRows(int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("batchRows must be > 0, but was " + rows);
    }
    return new WriteWarehouse(jdbcUrl, user, passwordEnv, table, method, rows);
  }

  @Override
  public PDone expand(PCollection<Row> input) {
    input.apply(
        "LoadRows",
        ParDo.of(
            new LoadRowsFn(
                new JdbcTarget(jdbcUrl, user, passwordEnv),
                table,
                input.getSchema(),
                method,
                batchRows)));
    return PDone.in(input.getPipeline());
  }
}
