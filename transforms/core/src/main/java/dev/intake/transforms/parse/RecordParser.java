package dev.intake.transforms.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.transforms.csv.CsvLine;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.model.InputBounds;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.Schemas;
import dev.intake.transforms.model.SourceRecord;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Turns the text of one record into a {@link Row} of the dataset's schema: CSV fields found by
 * header name, or JSON values found by {@link JsonPath}; empty or missing values and the field's
 * null values become null; every value is converted to its field's type. A JSON object or array
 * read into a scalar field is kept as its JSON text. A list field takes a JSON array (or the list
 * a {@code [*]} path yields; in CSV, the JSON text of an array), converting each element; null,
 * empty and null-value elements are skipped. A record that fails yields every problem at once.
 *
 * <p>{@link InputBounds} apply: a record the reader refused (over the record-size bound, not
 * valid UTF-8) fails with the reader's reason (code {@code unreadable}); a record or value holding
 * a NUL character fails (no warehouse stores one in text); a CSV record with more columns than the
 * bound, a spec field's value longer than the field-size bound, or a JSON record nested deeper
 * than the depth bound fails naming the bound and its value.
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
  private final DateParser dates;
  private final String[] sourceNames;
  private final JsonPath[] paths;
  private final InputBounds bounds;
  private transient ObjectMapper boundedJson;
  private transient String lastHeader;
  private transient int[] lastIndexes;
  private transient int lastHeaderWidth;

  RecordParser(List<FieldDef> fields, RecordFormat format) {
    this(fields, format, InputBounds.defaults());
  }

  RecordParser(List<FieldDef> fields, RecordFormat format, InputBounds bounds) {
    this.bounds = bounds;
    this.fields = List.copyOf(fields);
    this.format = format;
    this.schema = Schemas.of(fields);
    this.timestamps = new TimestampParser(format.timestampPatterns(), format.zone());
    this.dates = new DateParser(format.datePatterns());
    this.sourceNames = new String[fields.size()];
    this.paths = new JsonPath[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      sourceNames[i] = format.sourceNameOf(fields.get(i).name());
      if (format.kind() == RecordFormat.Kind.JSON) {
        paths[i] = JsonPath.parse(sourceNames[i]);
      }
    }
  }

  Schema schema() {
    return schema;
  }

  Outcome parse(SourceRecord record) {
    if (record.getReadProblem() != null) {
      return new Outcome(null, List.of("unreadable"), List.of(record.getReadProblem()));
    }
    int nul = record.getText().indexOf('\0');
    if (nul >= 0) {
      return new Outcome(null, List.of("malformed:nul"), List.of("the record holds a NUL"
          + " character at character " + (nul + 1) + " (a binary or damaged file?)"));
    }
    Object[] raw = new Object[fields.size()];
    String[] code = {format.kind() == RecordFormat.Kind.CSV ? "malformed:csv" : "malformed:json"};
    String problem = format.kind() == RecordFormat.Kind.CSV
        ? extractCsv(record, raw, code) : extractJson(record, raw, code);
    if (problem != null) {
      return new Outcome(null, List.of(code[0]), List.of(problem));
    }
    List<String> codes = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    checkFieldSizes(raw, codes, reasons);
    if (!codes.isEmpty()) {
      return new Outcome(null, codes, reasons);
    }
    Object[] values = new Object[fields.size()];
    for (int i = 0; i < raw.length; i++) {
      FieldDef f = fields.get(i);
      if (f.type().isList()) {
        int before = reasons.size();
        values[i] = convertList(f, raw[i], reasons);
        if (reasons.size() > before) {
          codes.add("type:" + f.name());
        }
        continue;
      }
      String text = (String) raw[i];
      if (text == null || text.isEmpty() || isNullValue(f, f.type(), text)) {
        continue;
      }
      Object v = convert(f.type(), text);
      if (v == null) {
        codes.add("type:" + f.name());
        reasons.add(describe(f.name(), f.type(), text));
      }
      values[i] = v;
    }
    if (!codes.isEmpty()) {
      return new Outcome(null, codes, reasons);
    }
    // The values are already of the schema's Java types: attaching them skips Row.Builder's
    // per-field type resolution, which cost more than the parse itself (JFR of a 1M-row load).
    return new Outcome(Row.withSchema(schema).attachValues(Arrays.asList(values)), codes, reasons);
  }

  /**
   * The list of {@code raw} (a list of element texts, or a text that must be a JSON array), or
   * null; adds one reason when an element or the text cannot be converted.
   */
  private List<Object> convertList(FieldDef f, Object raw, List<String> reasons) {
    if (raw == null) {
      return null;
    }
    List<?> elements;
    if (raw instanceof String text) {
      if (text.isEmpty() || isNullValue(f, FieldType.STRING, text)) {
        return null;
      }
      elements = jsonArray(text);
      if (elements == null) {
        reasons.add(f.name() + ": '" + shorten(text) + "' is not a list (expected a JSON array)");
        return null;
      }
    } else {
      elements = (List<?>) raw;
    }
    FieldType type = f.type().elementType();
    List<Object> out = new ArrayList<>(elements.size());
    for (int i = 0; i < elements.size(); i++) {
      String text = (String) elements.get(i);
      if (text == null || text.isEmpty() || isNullValue(f, type, text)) {
        continue;
      }
      Object v = convert(type, text);
      if (v == null) {
        reasons.add(describe(f.name() + "[" + i + "]", type, text));
        return null;
      }
      out.add(v);
    }
    return out;
  }

  /** The element texts of a JSON array's text, or null when it is not one. */
  private static List<String> jsonArray(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      return node != null && node.isArray() ? elementTexts(node) : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static List<String> elementTexts(JsonNode array) {
    List<String> out = new ArrayList<>(array.size());
    for (JsonNode e : array) {
      out.add(textOf(e));
    }
    return out;
  }

  /** A scalar's text, an object's or array's JSON text, or null for JSON null. */
  private static String textOf(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

  /** Adds one reason per spec field whose value is longer than the field-size bound. */
  private void checkFieldSizes(Object[] raw, List<String> codes, List<String> reasons) {
    int max = bounds.maxFieldBytes();
    for (int i = 0; i < raw.length; i++) {
      long bytes = 0;
      if (raw[i] instanceof String text) {
        bytes = utf8Length(text, max);
      } else if (raw[i] instanceof List<?> elements) {
        for (Object e : elements) {
          bytes += e == null ? 0 : utf8Length((String) e, max);
        }
      }
      if (raw[i] instanceof String text && text.indexOf('\0') >= 0) {
        codes.add("malformed:nul");
        reasons.add(fields.get(i).name() + ": the value holds a NUL character");
      } else if (bytes > max) {
        codes.add("oversized:" + fields.get(i).name());
        reasons.add(fields.get(i).name() + ": the value is " + bytes + " bytes, over the bound"
            + " maxFieldBytes=" + max);
      }
    }
  }

  /** The UTF-8 length of {@code text}, computed exactly only when it may exceed {@code max}. */
  private static long utf8Length(String text, int max) {
    return text.length() <= max / 3 ? text.length()
        : text.getBytes(StandardCharsets.UTF_8).length;
  }

  private String extractCsv(SourceRecord record, Object[] raw, String[] code) {
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
    if (values.size() > bounds.maxColumns()) {
      code[0] = "oversized:columns";
      return "the record has " + values.size() + " fields, over the bound maxColumns="
          + bounds.maxColumns();
    }
    if (values.size() != lastHeaderWidth) {
      return "malformed CSV: " + values.size() + " fields where the header has " + lastHeaderWidth;
    }
    for (int i = 0; i < raw.length; i++) {
      raw[i] = lastIndexes[i] < 0 ? null : values.get(lastIndexes[i]);
    }
    return null;
  }

  private String extractJson(SourceRecord record, Object[] raw, String[] code) {
    JsonNode node;
    try {
      node = boundedJson().readTree(record.getText());
    } catch (StreamConstraintsException e) {
      code[0] = "oversized:depth";
      return "the record nests deeper than the bound maxJsonDepth=" + bounds.maxJsonDepth();
    } catch (JsonProcessingException e) {
      return "malformed JSON: " + e.getOriginalMessage();
    }
    if (node == null || !node.isObject()) {
      return "malformed JSON: expected an object";
    }
    for (int i = 0; i < raw.length; i++) {
      JsonNode v = paths[i].evaluate(node);
      if (v != null && v.isArray() && fields.get(i).type().isList()) {
        raw[i] = elementTexts(v);
      } else {
        raw[i] = textOf(v);
      }
    }
    return null;
  }

  private ObjectMapper boundedJson() {
    if (boundedJson == null) {
      boundedJson = new ObjectMapper(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(bounds.maxJsonDepth())
              .build())
          .build());
    }
    return boundedJson;
  }

  private static boolean isNullValue(FieldDef f, FieldType type, String text) {
    for (String n : f.nullValues()) {
      if (n.equals(text.trim())) {
        return true;
      }
      if (type.isNumeric()) {
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

  private Object convert(FieldType type, String text) {
    String t = text.trim();
    try {
      switch (type) {
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
        case DATE:
          return dates.parse(t);
        default:
          return null;
      }
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private String describe(String name, FieldType type, String text) {
    String shown = shorten(text);
    switch (type) {
      case TIMESTAMP:
        return name + ": '" + shown + "' is not a timestamp (expected "
            + String.join(" or ", timestamps.patterns()) + ")";
      case DATE:
        return name + ": '" + shown + "' is not a date (expected "
            + String.join(" or ", dates.patterns()) + ")";
      case LONG:
      case INT:
        return name + ": '" + shown + "' is not a whole number";
      case DOUBLE:
        return name + ": '" + shown + "' is not a number";
      case BOOLEAN:
        return name + ": '" + shown + "' is not true or false";
      default:
        return name + ": '" + shown + "' is not a " + type.specName();
    }
  }

  private static String shorten(String text) {
    return text.length() > 60 ? text.substring(0, 60) + "…" : text;
  }
}
