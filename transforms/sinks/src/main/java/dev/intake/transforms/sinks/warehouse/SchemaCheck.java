package dev.intake.transforms.sinks.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;

/** Compares a table in the database with the table the spec describes. */
final class SchemaCheck {
  /** PostgreSQL's internal type names of array elements, as information_schema spells them. */
  private static final Map<String, String> ARRAY_ELEMENTS =
      Map.of(
          "text", "text",
          "int8", "bigint",
          "int4", "integer",
          "float8", "double precision",
          "bool", "boolean",
          "date", "date",
          "timestamptz", "timestamp with time zone");

  private SchemaCheck() {}

  /** Column name to reported type, in table order; empty when the table does not exist. */
  static Map<String, String> columns(Connection c, String schema, String table)
      throws SQLException {
    Map<String, String> cols = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT column_name, data_type, udt_name FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cols.put(rs.getString(1), reported(rs.getString(2), rs.getString(3)));
        }
      }
    }
    return cols;
  }

  /**
   * The type as {@link Dialect#reportedTypeOf} names it. A database that reports an array column as
   * the standard's {@code ARRAY} (PostgreSQL) names its element type in udt_name ({@code _int8});
   * others (DuckDB) report {@code BIGINT[]} as data_type.
   */
  static String reported(String dataType, String udtName) {
    if (!dataType.equalsIgnoreCase("ARRAY") || udtName == null || !udtName.startsWith("_")) {
      return dataType.toLowerCase(Locale.ROOT);
    }
    String element = udtName.substring(1);
    return ARRAY_ELEMENTS.getOrDefault(element, element) + "[]";
  }

  /** Throws {@link SchemaMismatchException} naming every missing, extra or mistyped column. */
  static void check(Dialect dialect, String schema, WarehouseTable t, Map<String, String> existing) {
    List<String> problems = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Schema.Field f : t.schema().getFields()) {
      String type = existing.get(f.getName());
      String expected = dialect.reportedTypeOf(f.getType());
      if (type == null) {
        missing.add(f.getName());
      } else if (!type.equals(expected)) {
        problems.add(f.getName() + " is " + type + " where the spec says " + expected);
      }
    }
    List<String> extra = new ArrayList<>();
    for (String c : existing.keySet()) {
      if (!t.schema().hasField(c)) {
        extra.add(c);
      }
    }
    if (!missing.isEmpty()) {
      problems.add(0, "missing columns " + missing);
    }
    if (!extra.isEmpty()) {
      problems.add("columns not in the spec " + extra);
    }
    if (!problems.isEmpty()) {
      throw new SchemaMismatchException("table " + schema + "." + t.name()
          + " does not match the dataset spec: " + String.join("; ", problems)
          + " (migrate or drop the table)");
    }
  }
}
