package dev.intake.pipeline.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Query results as text, so tests compare them with literal fixtures. */
public final class SqlRows {
  private SqlRows() {}

  /** Every row of {@code sql}, each as its columns' text joined by tabs (null as empty). */
  public static List<String> query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          if (i > 1) {
            sb.append('\t');
          }
          String v = rs.getString(i);
          sb.append(v == null ? "" : v);
        }
        rows.add(sb.toString());
      }
      return rows;
    }
  }
}
