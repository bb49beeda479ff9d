package dev.intake.transforms.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.transforms.csv.CsvLine;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.Schemas;
import dev.intake.transforms.model.SourceRecord;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Turns the text of one record into a {@link Row} of the dataset's schema: CSV fields found by
 * header name, or JSON keys; empty or missing values and the field's null values become null;
 * every value is converted to its field's type. A record that fails yields every problem at once.
 */
final class RecordParser implements Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Either a row or the problems that prevented one. */
  static final class Outcome {
    final Row row;
    final List<String> codes;
    final List<String> reasons;

    private Outcome(Row row, List<String> codes, List<String> reasons) {
      this.row = row;
      this.codes = codes;
      this.reasons = reasons;
    }

    boolean ok() {
      return row != null;
    }
  }

  private final List<FieldDef> fields;
  private final RecordFormat format;
  private final Schema schema;
  private final TimestampParser timestamps;
  private final String[] sourceNames;
  private transient String lastHeader;
  private transient int[] lastIndexes;
  private transient int lastHeaderWidth;

  RecordParser(List<FieldDef> fields, RecordFormat format) {
    this.fields = List.copyOf(fields);
    this.format = format;
    this.schema = Schemas.of(fields);
    this.timestamps = new TimestampParser(format.timestampPatterns(), format.zone());
    this.sourceNames = new String[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      sourceNames[i] = format.sourceNameOf(fields.get(i).name());
    }
  }

  Schema schema() {
    return schema;
  }

  Outcome parse(SourceRecord record) {
    String[] raw = new String[fields.size()];
    String problem =
        format.kind() == RecordFormat.Kind.CSV ? extractCsv(record, raw) : extractJson(record, raw);
    if (problem != null) {
      String code = format.kind() == RecordFormat.Kind.CSV ? "malformed:csv" : "malformed:json";
      return new Outcome(null, List.of(code), List.of(problem));
    }
    List<String> codes = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    Object[] values = new Object[fields.size()];
    for (int i = 0; i < raw.length; i++) {
      FieldDef f = fields.get(i);
      String text = raw[i];
      if (text == null || text.isEmpty() || isNullValue(f, text)) {
        continue;
      }
      Object v = convert(f, text);
      if (v == null) {
        codes.add("type:" + f.name());
        reasons.add(describe(f, text));
      }
      values[i] = v;
    }
    if (!codes.isEmpty()) {
      return new Outcome(null, codes, reasons);
    }
    return new Outcome(Row.withSchema(schema).addValues(values).build(), codes, reasons);
  }

  private String extractCsv(SourceRecord record, String[] raw) {
    String header = record.getHeader();
    if (header == null) {
      return "CSV record without a header";
    }
    if (!header.equals(lastHeader)) {
      try {
        List<String> names = CsvLine.split(header);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
          index.putIfAbsent(names.get(i).trim(), i);
        }
        int[] indexes = new int[sourceNames.length];
        for (int i = 0; i < sourceNames.length; i++) {
          indexes[i] = index.getOrDefault(sourceNames[i], -1);
        }
        lastIndexes = indexes;
        lastHeaderWidth = names.size();
        lastHeader = header;
      } catch (CsvLine.MalformedCsvException e) {
        return "the header is not valid CSV: " + e.getMessage();
      }
    }
    List<String> values;
    try {
      values = CsvLine.split(record.getText());
    } catch (CsvLine.MalformedCsvException e) {
      return "malformed CSV: " + e.getMessage();
    }
    if (values.size() != lastHeaderWidth) {
      return "malformed CSV: " + values.size() + " fields where the header has " + lastHeaderWidth;
    }
    for (int i = 0; i < raw.length; i++) {
      raw[i] = lastIndexes[i] < 0 ? null : values.get(lastIndexes[i]);
    }
    return null;
  }

  private String extractJson(SourceRecord record, String[] raw) {
    JsonNode node;
    try {
      node = JSON.readTree(record.getText());
    } catch (JsonProcessingException e) {
      return "malformed JSON: " + e.getOriginalMessage();
    }
    if (node == null || !node.isObject()) {
      return "malformed JSON: expected an object";
    }
    for (int i = 0; i < raw.length; i++) {
      JsonNode v = node.get(sourceNames[i]);
      if (v == null || v.isNull()) {
        raw[i] = null;
      } else if (v.isValueNode()) {
        raw[i] = v.asText();
      } else {
        raw[i] = v.toString();
      }
    }
    return null;
  }

  private static boolean isNullValue(FieldDef f, String text) {
    for (String n : f.nullValues()) {
      if (n.equals(text.trim())) {
        return true;
      }
      if (f.type() == dev.intake.transforms.model.FieldType.DOUBLE
          || f.type() == dev.intake.transforms.model.FieldType.LONG
          || f.type() == dev.intake.transforms.model.FieldType.INT) {
        try {
          if (new BigDecimal(n).compareTo(new BigDecimal(text.trim())) == 0) {
            return true;
          }
        } catch (NumberFormatException e) {
          // not a number: the type check reports it
        }
      }
    }
    return false;
  }

  private Object convert(FieldDef f, String text) {
    String t = text.trim();
    try {
      switch (f.type()) {
        case STRING:
          return text;
        case LONG:
          return Long.parseLong(t);
        case INT:
          return Integer.parseInt(t);
        case DOUBLE:
          double d = Double.parseDouble(t);
          return Double.isFinite(d) ? d : null;
        case BOOLEAN:
          if (t.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
          }
          return t.equalsIgnoreCase("false") ? Boolean.FALSE : null;
        case TIMESTAMP:
          return timestamps.parse(t);
        default:
          return null;
      }
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private String describe(FieldDef f, String text) {
    String shown = text.length() > 60 ? text.substring(0, 60) + "…" : text;
    switch (f.type()) {
      case TIMESTAMP:
        return f.name() + ": '" + shown + "' is not a timestamp (expected "
            + String.join(" or ", timestamps.patterns()) + ")";
      case LONG:
      case INT:
        return f.name() + ": '" + shown + "' is not a whole number";
      case DOUBLE:
        return f.name() + ": '" + shown + "' is not a number";
      case BOOLEAN:
        return f.name() + ": '" + shown + "' is not true or false";
      default:
        return f.name() + ": '" + shown + "' is not a " + f.type().name().toLowerCase();
    }
  }
}
