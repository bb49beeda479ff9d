package dev.intake.transforms.sources.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Where the records are in an answer body, and how it is cut into them: either the body is a JSON
 * array of objects ({@link #rootArray()}), or a JSON object one of whose fields, possibly nested,
 * holds that array ({@link #field}, e.g. {@code entities}; {@link #at}, e.g. {@code data.items}).
 * Each record is its exact text in the body, so key order, escapes and number spelling stay as
 * sent; the body is read with a streaming parser. Alongside, it notes per record the scalar values
 * of the fields a paginator asks for: a field name, or a dotted path into nested objects such as
 * {@code properties.updated_at} (null when absent, null or not a scalar).
 *
 * <p>A body that is not what the selector expects throws {@link MalformedAnswerException}, which
 * a {@link Requester} retries. Immutable and serializable.
 */
public final class RecordSelector implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final JsonFactory JSON = new JsonFactory();

  /** The field names leading from the body to the array; empty: the body is the array. */
  private final List<String> path;

  private RecordSelector(List<String> path) {
    this.path = path;
  }

  /** The body is a JSON array of record objects. */
  public static RecordSelector rootArray() {
    return new RecordSelector(List.of());
  }

  /** The body is a JSON object whose field {@code name} is an array of record objects. */
  public static RecordSelector field(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name must name a field, but was " + name);
    }
    return new RecordSelector(List.of(name));
  }

  /**
   * The array at {@code path}: {@code $} for the body itself, else field names joined by dots,
   * optionally after {@code $.} ({@code entities}, {@code data.items}, {@code $.data.items}).
   *
   * @throws IllegalArgumentException naming the path if it is not of that form
   */
  public static RecordSelector at(String path) {
    return new RecordSelector(JsonPaths.parse(path));
  }

  /** The path this selector reads, as {@link #at} takes it: "$" or "data.items". */
  public String path() {
    return path.isEmpty() ? "$" : String.join(".", path);
  }

  /** What a body must be, for messages: "a JSON array of objects". */
  public String expected() {
    return path.isEmpty() ? "a JSON array of objects"
        : "a JSON object whose field " + path() + " is an array of objects";
  }

  /** The records of {@code body} and, per record, the values of {@code fields} (names or paths). */
  public Selection select(byte[] body, List<String> fields) throws MalformedAnswerException {
    Objects.requireNonNull(body, "body must not be null");
    List<String> records = new ArrayList<>();
    List<String[]> values = new ArrayList<>();
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken t = p.nextToken();
      if (path.isEmpty()) {
        if (t != JsonToken.START_ARRAY) {
          throw malformed(t == null ? "the body is empty"
              : "expected a JSON array, but got " + text(p, t));
        }
        readArray(p, body, fields, records, values);
      } else {
        if (t != JsonToken.START_OBJECT) {
          throw malformed(t == null ? "the body is empty"
              : "expected a JSON object, but got " + text(p, t));
        }
        if (!find(p, 0, body, fields, records, values)) {
          throw malformed("the object has no field " + path());
        }
      }
      if (p.nextToken() != null) {
        throw malformed("there is more after the " + (path.isEmpty() ? "array" : "object"));
      }
    } catch (JsonProcessingException e) {
      throw malformed(e.getOriginalMessage());
    } catch (IOException e) {
      throw malformed(e.toString()); // not expected from a byte array
    }
    return new Selection(Collections.unmodifiableList(records), List.copyOf(fields), values);
  }

  /**
   * Reads the object the parser has just entered (at depth {@code depth} of the path) to its end,
   * reading the array when it meets {@code path}; whether it did.
   */
  private boolean find(JsonParser p, int depth, byte[] body, List<String> fields,
      List<String> records, List<String[]> values) throws IOException, MalformedAnswerException {
    String name = path.get(depth);
    String where = String.join(".", path.subList(0, depth + 1));
    boolean last = depth == path.size() - 1;
    boolean found = false;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = p.getCurrentName();
      JsonToken v = p.nextToken();
      if (!key.equals(name)) {
        p.skipChildren();
      } else if (found) {
        throw malformed("the field " + where + " appears twice");
      } else if (last && v != JsonToken.START_ARRAY || !last && v != JsonToken.START_OBJECT) {
        throw malformed("the field " + where + " is "
            + (v == null ? "missing (the body ends early)"
                : text(p, v) + (last ? ", not an array" : ", not an object")));
      } else if (last) {
        found = true;
        readArray(p, body, fields, records, values);
      } else {
        found = find(p, depth + 1, body, fields, records, values);
        if (!found) {
          return false;
        }
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw malformed("the object does not end");
    }
    return found;
  }

  /**
   * The records of a body as received, exactly as {@link #select} cuts them, e.g. to read a
   * stored page again.
   *
   * @throws IOException "not a JSON array of objects: ..." if the body is not what it expects
   */
  public List<String> records(byte[] body) throws IOException {
    try {
      return select(body, List.of()).records();
    } catch (MalformedAnswerException e) {
      throw new IOException("not " + e.expected() + ": " + e.getMessage());
    }
  }

  private void readArray(JsonParser p, byte[] body, List<String> fields, List<String> records,
      List<String[]> values) throws IOException, MalformedAnswerException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        throw malformed("element " + records.size() + " is "
            + (t == null ? "missing (the body ends early)" : text(p, t) + ", not an object"));
      }
      long start = p.getTokenLocation().getByteOffset();
      String[] row = new String[fields.size()];
      t = readObject(p, "", fields, row);
      if (t != JsonToken.END_OBJECT) {
        throw malformed("element " + records.size() + " does not end");
      }
      long end = p.getTokenLocation().getByteOffset() + 1;
      records.add(new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8));
      values.add(row);
    }
  }

  /**
   * Reads the members of the object the parser has just entered, noting the scalar values of
   * {@code fields} (paths below {@code prefix}); descends only into objects a field lies in.
   * Returns the token that ended the members.
   */
  private static JsonToken readObject(JsonParser p, String prefix, List<String> fields,
      String[] row) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = prefix + p.getCurrentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.START_OBJECT && leadsTo(name + ".", fields)) {
        if (readObject(p, name + ".", fields, row) != JsonToken.END_OBJECT) {
          return null;
        }
      } else if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
        p.skipChildren();
      } else if (v != null && v.isScalarValue() && v != JsonToken.VALUE_NULL) {
        int i = fields.indexOf(name);
        if (i >= 0) {
          row[i] = p.getText();
        }
      }
    }
    return t;
  }

  private static boolean leadsTo(String prefix, List<String> fields) {
    for (String f : fields) {
      if (f.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private MalformedAnswerException malformed(String detail) {
    return new MalformedAnswerException(expected(), detail);
  }

  private static String text(JsonParser p, JsonToken t) throws IOException {
    return t.asString() != null ? t.asString() : p.getText();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordSelector s && path.equals(s.path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  @Override
  public String toString() {
    return path.isEmpty() ? "RecordSelector.rootArray" : "RecordSelector.at(" + path() + ")";
  }

  /** The records of one body, and the values of the asked fields per record. Immutable. */
  public static final class Selection {
    private final List<String> records;
    private final List<String> fields;
    private final List<String[]> values;

    private Selection(List<String> records, List<String> fields, List<String[]> values) {
      this.records = records;
      this.fields = fields;
      this.values = values;
    }

    /** Each record's JSON object text, in body order (unmodifiable). */
    public List<String> records() {
      return records;
    }

    public int size() {
      return records.size();
    }

    /** The scalar value of {@code field} in record {@code index}, or null. */
    public String value(int index, String field) {
      int i = fields.indexOf(field);
      if (i < 0) {
        throw new IllegalArgumentException("field " + field + " was not selected (only "
            + fields + ")");
      }
      return values.get(index)[i];
    }

    /** The values of {@code field}, one per record (null where absent). */
    public List<String> values(String field) {
      List<String> all = new ArrayList<>(records.size());
      for (int i = 0; i < records.size(); i++) {
        all.add(value(i, field));
      }
      return Collections.unmodifiableList(all);
    }
  }
}
