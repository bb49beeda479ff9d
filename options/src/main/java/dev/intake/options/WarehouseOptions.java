package dev.intake.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The SQL warehouse that receives the clean dataset, aggregates, dead letters and run history. */
public interface WarehouseOptions extends PipelineOptions {
  @Description(
      "JDBC URL of the warehouse, e.g. jdbc:postgresql://127.0.0.1:5432/test or "
          + "jdbc:duckdb:/data/intake.duckdb. Default: an embedded DuckDB file beside the lake "
          + "(<lakePath>.duckdb).")
  String getJdbcUrl();

  void setJdbcUrl(String value);

  @Description("Database user for --jdbcUrl (e.g. intake). Default: the URL's or the driver's.")
  String getJdbcUser();

  void setJdbcUser(String value);

  @Description(
      "Name of the environment variable holding the database password (e.g. INTAKE_DB_PASSWORD); "
          + "the password itself is never an option.")
  String getJdbcPasswordEnv();

  void setJdbcPasswordEnv(String value);

  @Description(
      "Path of a file holding the database password on its first line (e.g. a mounted secret,"
          + " /run/secrets/intake-db); the other way to give it than --jdbcPasswordEnv.")
  String getJdbcPasswordFile();

  void setJdbcPasswordFile(String value);

  @Description("Database schema of the clean layer (e.g. intake); the raw layer is <schema>_raw"
      + " and the public layer <schema>_public. Default: public on PostgreSQL, main on DuckDB.")
  String getJdbcSchema();

  void setJdbcSchema(String value);

  @Description(
      "How rows are loaded into a PostgreSQL staging table: copy (binary COPY through the "
          + "driver's CopyManager), copy_csv (COPY with CSV text) or batch (batched INSERTs with "
          + "reWriteBatchedInserts). Default: copy.")
  @Default.String("copy")
  String getLoadMethod();

  void setLoadMethod(String value);

  @Description(
      "Memory limit of the embedded DuckDB warehouse (its memory_limit), e.g. 512m or 2g. DuckDB "
          + "runs in Intake's own process, beside the Java heap, so this adds to the run's "
          + "memory; beyond it DuckDB spills to <database>.tmp. Only with a DuckDB warehouse. "
          + "Default: 1g")
  String getDuckdbMemoryLimit();

  void setDuckdbMemoryLimit(String value);

  @Description(
      "Worker threads of the embedded DuckDB warehouse (its threads setting), e.g. 2. Only with "
          + "a DuckDB warehouse. Default: DuckDB's own, one per core")
  Integer getDuckdbThreads();

  void setDuckdbThreads(Integer value);

  @Description(
      "PostgreSQL role that may read the dataset's clean layer and its public views and nothing"
          + " of the raw layer (dead letters, run history, staging), e.g. analyst. It must exist.")
  String getReaderRole();

  void setReaderRole(String value);
}
