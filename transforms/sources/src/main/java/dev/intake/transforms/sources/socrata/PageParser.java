package dev.intake.transforms.sources.socrata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Cuts a SODA answer, a JSON array of objects, into one JSON text per object (the exact bytes, so
 * key order and number spelling stay as sent), with a streaming parser; and notes each row's
 * {@code :id} and window-field value, which the pager continues from.
 */
final class PageParser {
  private static final JsonFactory JSON = new JsonFactory();

  /** Rows of one page: their texts, and per row its {@code :id} and window value (or null). */
  record Parsed(List<String> records, List<String> ids, List<String> windowValues) {
    int size() {
      return records.size();
    }
  }

  /** The body is not a JSON array of objects. */
  static final class MalformedPageException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedPageException(String message) {
      super(message);
    }
  }

  private PageParser() {}

  static Parsed parse(byte[] body, String windowField) throws MalformedPageException {
    List<String> records = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<String> values = new ArrayList<>();
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_ARRAY) {
        throw new MalformedPageException(
            t == null ? "the body is empty" : "expected a JSON array, but got " + text(p, t));
      }
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t != JsonToken.START_OBJECT) {
          throw new MalformedPageException("element " + records.size() + " is "
              + (t == null ? "missing (the body ends early)" : text(p, t) + ", not an object"));
        }
        long start = p.getTokenLocation().getByteOffset();
        String id = null;
        String value = null;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.getCurrentName();
          JsonToken v = p.nextToken();
          if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            p.skipChildren();
          } else if (v != null && v.isScalarValue() && v != JsonToken.VALUE_NULL) {
            if (name.equals(Soql.ID)) {
              id = p.getText();
            }
            if (name.equals(windowField)) {
              value = p.getText();
            }
          }
        }
        if (t != JsonToken.END_OBJECT) {
          throw new MalformedPageException("element " + records.size() + " does not end");
        }
        long end = p.getTokenLocation().getByteOffset() + 1;
        records.add(new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8));
        ids.add(id);
        values.add(value);
      }
      if (p.nextToken() != null) {
        throw new MalformedPageException("there is more after the array");
      }
    } catch (JsonProcessingException e) {
      throw new MalformedPageException(e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedPageException(e.toString()); // not expected from a byte array
    }
    return new Parsed(Collections.unmodifiableList(records), Collections.unmodifiableList(ids),
        Collections.unmodifiableList(values));
  }

  private static String text(JsonParser p, JsonToken t) throws IOException {
    return t.asString() != null ? t.asString() : p.getText();
  }
}
