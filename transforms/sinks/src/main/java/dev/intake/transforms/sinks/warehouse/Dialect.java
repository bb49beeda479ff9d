package dev.intake.transforms.sinks.warehouse;

import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Everything that differs between the databases Intake writes, in one class per database: column
 * types, quoting, DDL, how a run's rows reach the database (the staging strategy) and the SQL that
 * merges them. Nothing outside the dialect classes branches on the database.
 *
 * <p>Two staging strategies exist: rows loaded by the pipeline into the run's staging tables
 * ({@link #loadsInPipeline()} true, e.g. PostgreSQL with COPY), or rows read at commit straight
 * from the run's published Parquet files (e.g. DuckDB's {@code read_parquet}).
 */
public abstract class Dialect implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final List<Dialect> KNOWN = List.of(new PostgresDialect(), new DuckDbDialect());

  /** The dialect of a JDBC URL. */
  public static Dialect forUrl(String jdbcUrl) {
    for (Dialect d : KNOWN) {
      if (jdbcUrl != null && jdbcUrl.startsWith(d.urlPrefix())) {
        return d;
      }
    }
    throw new IllegalArgumentException("--jdbcUrl=" + jdbcUrl + " is not supported; use "
        + supportedUrls());
  }

  /** The URL forms Intake can write, for messages: "jdbc:postgresql://… or jdbc:duckdb:<file>". */
  public static String supportedUrls() {
    List<String> forms = new ArrayList<>();
    KNOWN.forEach(d -> forms.add(d.urlExample()));
    return String.join(" or ", forms);
  }

  /** The start every URL of this database has, e.g. {@code jdbc:postgresql:}. */
  abstract String urlPrefix();

  /** An example URL form for messages. */
  abstract String urlExample();

  /** The JDBC driver's class. */
  abstract String driverClass();

  /**
   * Why the database of {@code jdbcUrl} cannot hold any history yet (an embedded database file
   * that does not exist), or null; lets a reader avoid creating it by connecting.
   */
  public String missingDatabase(String jdbcUrl) {
    return null;
  }

  /**
   * Applies the memory limit and thread count a {@link WarehouseConfig} gives (null: the
   * database's own) to a new session; only an embedded database has them, so others refuse any.
   */
  void configure(Connection c, Long memoryLimitBytes, Integer threads) throws SQLException {
    if (memoryLimitBytes != null || threads != null) {
      throw new IllegalArgumentException(
          "a memory limit and threads apply to the embedded DuckDB warehouse only, not to "
              + urlExample());
    }
  }

  /** The schema Intake's tables go to unless told otherwise. */
  public abstract String defaultSchema();

  /** Whether the database runs in this process (DuckDB), with a memory limit and threads. */
  public boolean embedded() {
    return false;
  }

  /** Whether the database has roles that SELECT can be granted to. */
  public abstract boolean supportsRoles();

  /** Whether the pipeline loads the run's staging tables ({@link LoadStagingTable}). */
  public abstract boolean loadsInPipeline();

  abstract String textType();

  abstract String doubleType();

  /** The column type of a Beam field type. */
  final String typeOf(Schema.FieldType type) {
    switch (type.getTypeName()) {
      case INT64:
        return "BIGINT";
      case INT32:
        return "INTEGER";
      case DOUBLE:
        return doubleType();
      case BOOLEAN:
        return "BOOLEAN";
      case DATETIME:
        return "TIMESTAMP WITH TIME ZONE";
      case STRING:
        return textType();
      case LOGICAL_TYPE:
        if (type.getLogicalType().getIdentifier().contains("date")) {
          return "DATE";
        }
        break;
      case ARRAY:
      case ITERABLE:
        return typeOf(type.getCollectionElementType()) + "[]";
      default:
        break;
    }
    throw new IllegalArgumentException("no column type for " + type);
  }

  /** The type name {@link SchemaCheck#columns} reports for a column of {@link #typeOf}. */
  final String reportedTypeOf(Schema.FieldType type) {
    return typeOf(type).toLowerCase(Locale.ROOT);
  }

  /** The element type name of an array of {@code elementType} for {@code createArrayOf}. */
  final String arrayElementType(Schema.FieldType elementType) {
    return typeOf(elementType).toLowerCase(Locale.ROOT);
  }

  /** A quoted identifier. */
  public static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** {@code "schema"."table"}. */
  static String qualified(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }

  /** The name of a run's staging table for {@code table}. */
  static String stagingName(String table, String runId) {
    return "_stage_" + table + "_" + runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  /** {@code CREATE TABLE} of a table Intake keeps, with its primary key if it has one. */
  final String createTable(String qualifiedName, WarehouseTable t) {
    List<String> cols = columnDefinitions(t);
    if (!t.key().isEmpty()) {
      cols.add("PRIMARY KEY (" + quotedList(t.key()) + ")");
    }
    return "CREATE TABLE " + qualifiedName + " (" + String.join(", ", cols) + ")";
  }

  final List<String> columnDefinitions(WarehouseTable t) {
    List<String> cols = new ArrayList<>();
    for (Schema.Field f : t.schema().getFields()) {
      cols.add(quote(f.getName()) + " " + typeOf(f.getType()));
    }
    return cols;
  }

  /** Creates (fresh) the staging table of {@code t} for run {@code runId}, if this dialect has any. */
  abstract void createStaging(Connection c, String schema, WarehouseTable t, String runId)
      throws SQLException;

  /** Moves {@code table} with its rows from schema {@code from} to schema {@code to}. */
  abstract void moveTable(Connection c, String from, String to, String table) throws SQLException;

  /** Staging tables of {@code table} left in {@code schema} by runs that did not finish. */
  abstract List<String> leftoverStaging(Connection c, String schema, String table)
      throws SQLException;

  /** Drops the staging table of {@code table} for {@code runId}, if this dialect has any. */
  abstract void dropStaging(Connection c, String schema, String table, String runId)
      throws SQLException;

  /**
   * How many rows the run's staging of {@code t} holds: its staging table's rows (-1 when that table
   * is gone), or, for a dialect that reads the run's published Parquet {@code files} at commit
   * (which must all exist), the files' rows.
   */
  abstract long stagedRows(Connection c, String schema, WarehouseTable t, String runId,
      List<String> files) throws SQLException;

  /**
   * Creates {@code t}'s staging table of run {@code runId} again, empty, and loads it with the rows
   * of the Parquet {@code files}; returns how many. Only for dialects that {@linkplain
   * #loadsInPipeline() load in the pipeline}.
   *
   * @throws java.io.FileNotFoundException when a file does not exist
   */
  long reloadStaging(Connection c, String schema, WarehouseTable t, String runId,
      List<String> files) throws SQLException, IOException {
    throw new UnsupportedOperationException(this + " has no staging tables to reload");
  }

  /**
   * Whether a table that is empty at commit is loaded straight from the run's published Parquet
   * files ({@link #copyFiles}) rather than from its staging table, which the pipeline then does not
   * load. Only for dialects that {@linkplain #loadsInPipeline() load in the pipeline}.
   */
  boolean loadsEmptyTablesFromFiles() {
    return false;
  }

  /**
   * Loads the rows of the Parquet {@code files} into {@code target} (qualified and quoted) on
   * {@code c}, inside its transaction if one is open; returns how many. Only for dialects that
   * {@linkplain #loadsEmptyTablesFromFiles() load empty tables from files}.
   *
   * @throws java.io.FileNotFoundException when a file does not exist
   */
  long copyFiles(Connection c, String target, WarehouseTable t, List<String> files)
      throws SQLException, IOException {
    throw new UnsupportedOperationException(this + " does not copy files into tables");
  }

  /**
   * A SELECT of the run's rows of {@code t} (for a keyed table, one per key, the newest by {@code
   * version}), from its staging table or its published Parquet {@code files}; null when the run has
   * none.
   */
  abstract String runRows(String schema, WarehouseTable t, String runId, String version,
      List<String> files);

  /**
   * Upserts {@code rows} (a SELECT of {@code t}'s columns) into {@code target} in version order: a
   * stored row is replaced only by a newer version, or by a different row of the same version (the
   * lake's tie-break decided it), so an older version never overwrites a newer one.
   */
  String upsert(String target, WarehouseTable t, String version, String rows) {
    List<String> sets = new ArrayList<>();
    List<String> differs = new ArrayList<>();
    for (Schema.Field f : t.schema().getFields()) {
      String col = quote(f.getName());
      if (!t.key().contains(f.getName())) {
        sets.add(col + " = excluded." + col);
        differs.add("t." + col + " IS DISTINCT FROM excluded." + col);
      }
    }
    String v = quote(version);
    return "INSERT INTO " + target + " AS t (" + columns(t) + ") " + rows
        + " ON CONFLICT (" + quotedList(t.key()) + ") DO UPDATE SET " + String.join(", ", sets)
        + " WHERE t." + v + " < excluded." + v + " OR (t." + v + " = excluded." + v
        + " AND (" + String.join(" OR ", differs) + "))";
  }

  /**
   * Upserts {@code rows} (a SELECT of {@code t}'s columns, one per primary key) into {@code
   * target}: a stored row with the same primary key takes the new row's values.
   */
  String replaceRows(String target, WarehouseTable t, String rows) {
    List<String> sets = new ArrayList<>();
    List<String> differs = new ArrayList<>();
    for (Schema.Field f : t.schema().getFields()) {
      String col = quote(f.getName());
      if (!t.key().contains(f.getName())) {
        sets.add(col + " = excluded." + col);
        differs.add("t." + col + " IS DISTINCT FROM excluded." + col);
      }
    }
    return "INSERT INTO " + target + " AS t (" + columns(t) + ") " + rows
        + " ON CONFLICT (" + quotedList(t.key()) + ") DO UPDATE SET " + String.join(", ", sets)
        + " WHERE " + String.join(" OR ", differs);
  }

  /** The quoted column names of {@code t}, comma-separated. */
  static String columns(WarehouseTable t) {
    List<String> names = new ArrayList<>();
    t.schema().getFields().forEach(f -> names.add(f.getName()));
    return quotedList(names);
  }

  static String quotedList(List<String> names) {
    List<String> quoted = new ArrayList<>();
    names.forEach(n -> quoted.add(quote(n)));
    return String.join(", ", quoted);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName();
  }
}
