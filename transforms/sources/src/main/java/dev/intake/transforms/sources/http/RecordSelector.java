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
 * array of objects ({@link #rootArray()}), or a JSON object one of whose fields holds that array
 * ({@link #field}, e.g. {@code entities}). Each record is its exact text in the body, so key order,
 * escapes and number spelling stay as sent; the body is read with a streaming parser. Alongside,
 * it notes per record the scalar values of the fields a paginator asks for (top-level fields
 * only; null when absent, null or not a scalar).
 *
 * <p>A body that is not what the selector expects throws {@link MalformedAnswerException}, which
 * a {@link Requester} retries. Immutable and serializable.
 */
public final class RecordSelector implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final JsonFactory JSON = new JsonFactory();

  private final String field;

  private RecordSelector(String field) {
    this.field = field;
  }

  /** The body is a JSON array of record objects. */
  public static RecordSelector rootArray() {
    return new RecordSelector(null);
  }

  /** The body is a JSON object whose field {@code name} is an array of record objects. */
  public static RecordSelector field(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name must name a field, but was " + name);
    }
    return new RecordSelector(name);
  }

  /** What a body must be, for messages: "a JSON array of objects". */
  public String expected() {
    return field == null ? "a JSON array of objects"
        : "a JSON object whose field " + field + " is an array of objects";
  }

  /** The records of {@code body} and, per record, the values of {@code fields}. */
  public Selection select(byte[] body, List<String> fields) throws MalformedAnswerException {
    Objects.requireNonNull(body, "body must not be null");
    List<String> records = new ArrayList<>();
    List<String[]> values = new ArrayList<>();
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken t = p.nextToken();
      if (field == null) {
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
        boolean found = false;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.getCurrentName();
          JsonToken v = p.nextToken();
          if (!name.equals(field)) {
            p.skipChildren();
          } else if (found) {
            throw malformed("the field " + field + " appears twice");
          } else if (v != JsonToken.START_ARRAY) {
            throw malformed("the field " + field + " is "
                + (v == null ? "missing (the body ends early)" : text(p, v) + ", not an array"));
          } else {
            found = true;
            readArray(p, body, fields, records, values);
          }
        }
        if (t != JsonToken.END_OBJECT) {
          throw malformed("the object does not end");
        }
        if (!found) {
          throw malformed("the object has no field " + field);
        }
      }
      if (p.nextToken() != null) {
        throw malformed("there is more after the " + (field == null ? "array" : "object"));
      }
    } catch (JsonProcessingException e) {
      throw malformed(e.getOriginalMessage());
    } catch (IOException e) {
      throw malformed(e.toString()); // not expected from a byte array
    }
    return new Selection(Collections.unmodifiableList(records), List.copyOf(fields), values);
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
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.getCurrentName();
        JsonToken v = p.nextToken();
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else if (v != null && v.isScalarValue() && v != JsonToken.VALUE_NULL) {
          int i = fields.indexOf(name);
          if (i >= 0) {
            row[i] = p.getText();
          }
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw malformed("element " + records.size() + " does not end");
      }
      long end = p.getTokenLocation().getByteOffset() + 1;
      records.add(new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8));
      values.add(row);
    }
  }

  private MalformedAnswerException malformed(String detail) {
    return new MalformedAnswerException(expected(), detail);
  }

  private static String text(JsonParser p, JsonToken t) throws IOException {
    return t.asString() != null ? t.asString() : p.getText();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordSelector s && Objects.equals(field, s.field);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(field);
  }

  @Override
  public String toString() {
    return field == null ? "RecordSelector.rootArray" : "RecordSelector.field(" + field + ")";
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
