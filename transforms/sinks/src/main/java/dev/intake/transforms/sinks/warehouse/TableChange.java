package dev.intake.transforms.sinks.warehouse;

import dev.intake.transforms.model.FieldType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One change of a table's columns that a run applies inside its commit's transaction, before its
 * rows are merged: a column added (null in every stored row), a column widened to a wider number
 * type, or a column renamed. Types are spec type names ({@code long}, {@code timestamp}, …). Plain
 * public fields, so a commit journal can hold it as JSON.
 */
public final class TableChange {
  /** What a change does. */
  public enum Kind {
    ADD_COLUMN,
    WIDEN_COLUMN,
    RENAME_COLUMN
  }

  public Kind kind;
  public String table;
  public String column;
  /** The column's (new) type, as a spec names it. */
  public String type;
  /** A renamed column's former name. */
  public String from;

  /** For JSON. */
  public TableChange() {}

  private TableChange(Kind kind, String table, String column, String type, String from) {
    this.kind = kind;
    this.table = Objects.requireNonNull(table, "table");
    this.column = Objects.requireNonNull(column, "column");
    this.type = type;
    this.from = from;
  }

  public static TableChange add(String table, String column, String type) {
    return new TableChange(Kind.ADD_COLUMN, table, column, checkType(type), null);
  }

  public static TableChange widen(String table, String column, String type) {
    return new TableChange(Kind.WIDEN_COLUMN, table, column, checkType(type), null);
  }

  public static TableChange rename(String table, String from, String column, String type) {
    return new TableChange(Kind.RENAME_COLUMN, table, column, checkType(type),
        Objects.requireNonNull(from, "from"));
  }

  private static String checkType(String type) {
    if (FieldType.named(type) == null) {
      throw new IllegalArgumentException("type must be one of " + FieldType.specNames()
          + ", but was " + type);
    }
    return type;
  }

  /** The SQL of this change on {@code qualifiedTable} in {@code dialect}. */
  String sql(Dialect dialect, String qualifiedTable) {
    String columnType = dialect.typeOf(FieldType.named(type).beamType());
    switch (kind) {
      case ADD_COLUMN:
        return "ALTER TABLE " + qualifiedTable + " ADD COLUMN " + Dialect.quote(column) + " "
            + columnType;
      case WIDEN_COLUMN:
        return "ALTER TABLE " + qualifiedTable + " ALTER COLUMN " + Dialect.quote(column)
            + " TYPE " + columnType;
      default:
        return "ALTER TABLE " + qualifiedTable + " RENAME COLUMN " + Dialect.quote(from) + " TO "
            + Dialect.quote(column);
    }
  }

  /**
   * The columns (name to reported type) a table of {@code existing} columns has once {@code
   * changes} of it are applied: what the spec's table is checked against before the commit.
   */
  static Map<String, String> applied(Map<String, String> existing, List<TableChange> changes,
      Dialect dialect) {
    Map<String, String> out = new LinkedHashMap<>(existing);
    for (TableChange c : changes) {
      String reported = dialect.reportedTypeOf(FieldType.named(c.type).beamType());
      if (c.kind == Kind.RENAME_COLUMN) {
        out.remove(c.from);
      }
      out.put(c.column, reported);
    }
    return out;
  }

  @Override
  public String toString() {
    switch (kind) {
      case ADD_COLUMN:
        return table + ": add column " + column + " " + type;
      case WIDEN_COLUMN:
        return table + ": widen column " + column + " to " + type;
      default:
        return table + ": rename column " + from + " to " + column;
    }
  }
}
