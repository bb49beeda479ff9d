package dev.intake.transforms.sources.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request part with placeholders, as a spec writes it: a text ({@code "${window.from}"}, {@code
 * "updated_at > ${window.from:epochSeconds}"}) or a JSON value (a request body, any depth). {@link
 * #render} fills in one page's {@link Bindings}:
 *
 * <ul>
 *   <li>a text that is exactly one placeholder becomes the bound value itself (a number for
 *       {@code limit}, {@code offset} and {@code page}, else a string); other texts get the
 *       values spliced in;
 *   <li>a text with a placeholder that is not bound on this page (e.g. {@code ${cursor}} on the
 *       first page) is left out: the object member, the list element, the query parameter or the
 *       header that holds it;
 *   <li>window bounds are written as ISO instants in UTC ({@code 2024-01-01T00:00:00Z}) unless the
 *       placeholder names a format: {@code ${window.from:date}} ({@code 2024-01-01}), {@code
 *       :epochSeconds}, {@code :epochMillis}, {@code :instant}.
 * </ul>
 *
 * <p>Placeholders: {@code window.from}, {@code window.to}, {@code limit}, {@code offset}, {@code
 * page}, {@code cursor}, {@code cursor.field}. Immutable and serializable.
 */
final class Template implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]*)(?::([^}]*))?}");
  static final Set<String> NAMES =
      Set.of("window.from", "window.to", "limit", "offset", "page", "cursor", "cursor.field");
  private static final Set<String> FORMATS = Set.of("instant", "date", "epochSeconds",
      "epochMillis");

  /** What is bound for one page: text, a number (Long) or a bound (Instant); absent: unbound. */
  static final class Bindings {
    private final Map<String, Object> values;

    Bindings(Map<String, Object> values) {
      this.values = values;
    }

    Object get(String name) {
      return values.get(name);
    }
  }

  private final String json;
  private transient JsonNode tree;

  private Template(String json) {
    this.json = json;
  }

  /**
   * The template of JSON text {@code json} (as a spec section gives it).
   *
   * @throws IllegalArgumentException naming an unknown placeholder or format
   */
  static Template ofJson(String json) {
    Template t = new Template(json);
    t.placeholders();
    return t;
  }

  /** The template of one text. */
  static Template ofText(String text) {
    return ofJson(TextNode.valueOf(text).toString());
  }

  /** The placeholder names used, in order of appearance. */
  Set<String> placeholders() {
    Set<String> names = new LinkedHashSet<>();
    collect(tree(), names);
    return names;
  }

  /** The rendered JSON value, or null when it is left out as a whole. */
  JsonNode render(Bindings bindings) {
    return render(tree(), bindings);
  }

  /** The rendered text of a text template, or null when it is left out. */
  String renderText(Bindings bindings) {
    JsonNode v = render(bindings);
    return v == null ? null : v.asText();
  }

  private JsonNode tree() {
    if (tree == null) {
      try {
        tree = MAPPER.readTree(json);
      } catch (IOException e) {
        throw new IllegalArgumentException("not JSON: " + e.getMessage());
      }
    }
    return tree;
  }

  private static void collect(JsonNode node, Set<String> names) {
    if (node.isTextual()) {
      Matcher m = PLACEHOLDER.matcher(node.asText());
      while (m.find()) {
        String name = m.group(1);
        if (!NAMES.contains(name)) {
          throw new IllegalArgumentException("unknown placeholder ${" + name + "} (known: "
              + String.join(", ", NAMES.stream().sorted().toList()) + ")");
        }
        String format = m.group(2);
        if (format != null && (!name.startsWith("window.") || !FORMATS.contains(format))) {
          throw new IllegalArgumentException("unknown format '" + format + "' in " + m.group()
              + " (only window bounds have one: instant, date, epochSeconds, epochMillis)");
        }
        names.add(name);
      }
    }
    node.forEach(child -> collect(child, names));
  }

  private static JsonNode render(JsonNode node, Bindings b) {
    if (node.isTextual()) {
      return renderText(node.asText(), b);
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = render(e.getValue(), b);
        if (v != null) {
          out.set(e.getKey(), v);
        }
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode element : node) {
        JsonNode v = render(element, b);
        if (v != null) {
          out.add(v);
        }
      }
      return out;
    }
    return node;
  }

  private static JsonNode renderText(String text, Bindings b) {
    Matcher m = PLACEHOLDER.matcher(text);
    if (m.matches()) {
      Object v = b.get(m.group(1));
      if (v == null) {
        return null;
      }
      return v instanceof Long n ? LongNode.valueOf(n) : TextNode.valueOf(format(v, m.group(2)));
    }
    StringBuilder sb = new StringBuilder();
    m.reset();
    while (m.find()) {
      Object v = b.get(m.group(1));
      if (v == null) {
        return null;
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(format(v, m.group(2))));
    }
    m.appendTail(sb);
    return TextNode.valueOf(sb.toString());
  }

  private static String format(Object v, String format) {
    if (!(v instanceof Instant at)) {
      return v.toString();
    }
    return switch (format == null ? "instant" : format) {
      case "date" -> at.atOffset(ZoneOffset.UTC).toLocalDate().toString();
      case "epochSeconds" -> Long.toString(at.getEpochSecond());
      case "epochMillis" -> Long.toString(at.toEpochMilli());
      default -> at.toString();
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Template t && json.equals(t.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return json;
  }
}
