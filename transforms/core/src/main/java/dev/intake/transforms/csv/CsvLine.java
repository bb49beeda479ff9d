package dev.intake.transforms.csv;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV record (RFC 4180, comma separated, double-quote quoting) into its fields. */
public final class CsvLine {
  private CsvLine() {}

  /** Thrown for a record that is not valid CSV; the message says what and where. */
  public static final class MalformedCsvException extends Exception {
    public MalformedCsvException(String message) {
      super(message);
    }
  }

  /** The fields of {@code record}; an empty field is the empty string. */
  public static List<String> split(String record) throws MalformedCsvException {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = record.length();
    while (true) {
      if (i < n && record.charAt(i) == '"') {
        int open = i;
        i++;
        while (true) {
          if (i >= n) {
            throw new MalformedCsvException(
                "unterminated quoted field starting at character " + (open + 1));
          }
          char c = record.charAt(i++);
          if (c == '"') {
            if (i < n && record.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
        if (i < n && record.charAt(i) != ',') {
          throw new MalformedCsvException(
              "unexpected character '" + record.charAt(i) + "' after a closing quote at character "
                  + (i + 1));
        }
      } else {
        while (i < n && record.charAt(i) != ',') {
          field.append(record.charAt(i++));
        }
      }
      fields.add(field.toString());
      field.setLength(0);
      if (i >= n) {
        return fields;
      }
      i++;
    }
  }
}
