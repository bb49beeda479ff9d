package dev.intake.pipeline.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: a header row and rows of cells, each column as wide as its widest cell,
 * separated by two spaces; cells that look numeric are aligned right.
 */
final class TextTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(String... header) {
    this.header = List.of(header);
  }

  TextTable row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "a row needs " + header.size() + " cells, but had " + cells.length);
    }
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      row.add(c == null ? "" : String.valueOf(c));
    }
    rows.add(row);
    return this;
  }

  @Override
  public String toString() {
    int[] width = new int[header.size()];
    boolean[] numeric = new boolean[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      numeric[i] = !rows.isEmpty();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
        numeric[i] &= r.get(i).matches("-?[\\d,.]+( s)?|");
      }
    }
    StringBuilder b = new StringBuilder();
    line(b, header, width, numeric);
    for (List<String> r : rows) {
      line(b, r, width, numeric);
    }
    return b.toString();
  }

  private static void line(StringBuilder b, List<String> cells, int[] width, boolean[] numeric) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      String pad = " ".repeat(width[i] - c.length());
      l.append(i == 0 ? "" : "  ").append(numeric[i] ? pad + c : c + pad);
    }
    b.append(l.toString().stripTrailing()).append('\n');
  }
}
