package dev.intake.transforms.sinks.warehouse;

import java.util.Locale;
import org.apache.beam.sdk.schemas.Schema;

/** What differs between the warehouses Intake writes: type names and how rows are loaded. */
enum Dialect {
  POSTGRES("public", "TEXT", "DOUBLE PRECISION"),
  DUCKDB("main", "VARCHAR", "DOUBLE");

  final String defaultSchema;
  private final String text;
  private final String dbl;

  Dialect(String defaultSchema, String text, String dbl) {
    this.defaultSchema = defaultSchema;
    this.text = text;
    this.dbl = dbl;
  }

  static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRES;
    }
    if (jdbcUrl.startsWith("jdbc:duckdb:")) {
      return DUCKDB;
    }
    throw new IllegalArgumentException("unsupported JDBC URL " + jdbcUrl);
  }

  /** The column type of a Beam field type. */
  String typeOf(Schema.FieldType type) {
    switch (type.getTypeName()) {
      case INT64:
        return "BIGINT";
      case INT32:
        return "INTEGER";
      case DOUBLE:
        return dbl;
      case BOOLEAN:
        return "BOOLEAN";
      case DATETIME:
        return "TIMESTAMP WITH TIME ZONE";
      case STRING:
        return text;
      case LOGICAL_TYPE:
        if (type.getLogicalType().getIdentifier().contains("date")) {
          return "DATE";
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException("no column type for " + type);
  }

  /** The type name information_schema reports for a column of {@link #typeOf}. */
  String reportedTypeOf(Schema.FieldType type) {
    return typeOf(type).toLowerCase(Locale.ROOT);
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
