package dev.intake.transforms.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a field's value sits in a JSON record: a path of keys separated by dots, each key
 * optionally followed by selectors on an array.
 *
 * <ul>
 *   <li>{@code identifier.permalink}: the key {@code permalink} of the object under {@code
 *       identifier}.
 *   <li>{@code categories[*].value}: every element of the array {@code categories}, then the key
 *       {@code value} of each: a list (elements without a value are skipped; an empty array gives
 *       an empty list).
 *   <li>{@code locations[location_type=city].value}: the first element of {@code locations} that
 *       is an object whose {@code location_type} is the scalar {@code city} (compared as text).
 * </ul>
 *
 * <p>A backslash makes the next character part of a key or value ({@code a\.b} is the one key
 * {@code a.b}; also {@code \[}, {@code \]}, {@code \=}, {@code \\}). A key of the record's top
 * level spelled exactly like the whole path wins over the path, so {@code "a.b"} still reads a
 * top-level key {@code a.b} where a record has one. Anything absent or JSON null along the path
 * gives null; before a {@code [*]} that is the value, after it the element is skipped.
 *
 * <p>Parsed once ({@link #parse}, which reports bad syntax), evaluated per record. Immutable.
 */
public final class JsonPath implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One step: into a key, into every element, or into the first element with a field value. */
  private static final class Step implements Serializable {
    private static final long serialVersionUID = 1L;
    final String key;
    final boolean every;
    final String matchField;
    final String matchValue;

    Step(String key, boolean every, String matchField, String matchValue) {
      this.key = key;
      this.every = every;
      this.matchField = matchField;
      this.matchValue = matchValue;
    }
  }

  private final String text;
  private final List<Step> steps;
  private final boolean yieldsList;

  private JsonPath(String text, List<Step> steps) {
    this.text = text;
    this.steps = List.copyOf(steps);
    boolean list = false;
    for (Step s : steps) {
      list |= s.every;
    }
    this.yieldsList = list;
  }

  /**
   * The path {@code text} denotes.
   *
   * @throws IllegalArgumentException with a one-line reason when the syntax is wrong
   */
  public static JsonPath parse(String text) {
    Objects.requireNonNull(text, "text");
    List<Step> steps = new ArrayList<>();
    int[] pos = {0};
    int n = text.length();
    while (true) {
      String key = token(text, pos, ".[", "a key");
      if (key.isEmpty()) {
        throw bad(text, pos[0], "a key is empty");
      }
      steps.add(new Step(key, false, null, null));
      while (pos[0] < n && text.charAt(pos[0]) == '[') {
        pos[0]++;
        if (text.startsWith("*]", pos[0])) {
          pos[0] += 2;
          steps.add(new Step(null, true, null, null));
          continue;
        }
        String field = token(text, pos, "=]", "a selector");
        if (pos[0] >= n || text.charAt(pos[0]) != '=' || field.isEmpty()) {
          throw bad(text, pos[0], "a selector is [*] or [field=value]");
        }
        pos[0]++;
        String value = token(text, pos, "]", "a selector");
        if (pos[0] >= n) {
          throw bad(text, pos[0], "']' is missing");
        }
        pos[0]++;
        steps.add(new Step(null, false, field, value));
      }
      if (pos[0] >= n) {
        return new JsonPath(text, steps);
      }
      if (text.charAt(pos[0]) != '.') {
        throw bad(text, pos[0], "expected '.' or '['");
      }
      pos[0]++;
    }
  }

  /** Reads up to an unescaped stop character (or the end); a stray ']' or '[' is an error. */
  private static String token(String text, int[] pos, String stops, String what) {
    StringBuilder out = new StringBuilder();
    int i = pos[0];
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (i + 1 == text.length()) {
          throw bad(text, i, "a '\\' must be followed by the character it escapes");
        }
        out.append(text.charAt(i + 1));
        i += 2;
        continue;
      }
      if (stops.indexOf(c) >= 0) {
        break;
      }
      if ((c == '[' || c == ']') && !stops.equals("]")) {
        throw bad(text, i, "unexpected '" + c + "' in " + what + " (escape it with '\\')");
      }
      out.append(c);
      i++;
    }
    pos[0] = i;
    return out.toString();
  }

  private static IllegalArgumentException bad(String text, int at, String why) {
    return new IllegalArgumentException(
        "bad JSON path '" + text + "' at character " + (at + 1) + ": " + why);
  }

  /** The path as written. */
  public String text() {
    return text;
  }

  /** Whether the path has a {@code [*]}, so that its value is a list. */
  public boolean yieldsList() {
    return yieldsList;
  }

  /**
   * The value at this path in {@code record}: a node, an array of the elements found when the path
   * {@linkplain #yieldsList yields a list}, or null when something along it is absent.
   */
  public JsonNode evaluate(JsonNode record) {
    if (steps.size() > 1 || !steps.get(0).key.equals(text)) {
      JsonNode verbatim = record.get(text);
      if (verbatim != null) {
        return verbatim.isNull() ? null : verbatim;
      }
    }
    List<JsonNode> current = new ArrayList<>(1);
    current.add(record);
    boolean many = false;
    for (Step s : steps) {
      List<JsonNode> next = new ArrayList<>(current.size());
      for (JsonNode node : current) {
        step(s, node, next);
      }
      many |= s.every;
      if (next.isEmpty() && !many) {
        return null;
      }
      current = next;
    }
    if (many) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(current.size());
      current.forEach(out::add);
      return out;
    }
    return current.get(0);
  }

  private static void step(Step s, JsonNode node, List<JsonNode> out) {
    if (s.key != null) {
      add(out, node.isObject() ? node.get(s.key) : null);
    } else if (node.isArray()) {
      for (JsonNode e : node) {
        if (s.every) {
          add(out, e);
        } else if (e.isObject()) {
          JsonNode v = e.get(s.matchField);
          if (v != null && v.isValueNode() && !v.isNull() && v.asText().equals(s.matchValue)) {
            out.add(e);
            return;
          }
        }
      }
    }
  }

  private static void add(List<JsonNode> out, JsonNode v) {
    if (v != null && !v.isNull()) {
      out.add(v);
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
