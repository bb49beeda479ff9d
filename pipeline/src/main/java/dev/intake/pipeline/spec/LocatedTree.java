package dev.intake.pipeline.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A JSON or YAML document read into a Jackson tree that remembers the line each node starts on,
 * so spec errors can name the line.
 */
final class LocatedTree {
  private final JsonNode root;
  private final Map<JsonNode, Integer> lines;

  private LocatedTree(JsonNode root, Map<JsonNode, Integer> lines) {
    this.root = root;
    this.lines = lines;
  }

  static LocatedTree parse(String text, boolean yaml) throws IOException {
    JsonFactory factory = yaml ? new YAMLFactory() : new JsonFactory();
    Map<JsonNode, Integer> lines = new IdentityHashMap<>();
    try (JsonParser parser = factory.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        // An empty document (or one of comments only): its errors are reported at line 1.
        JsonNode empty = JsonNodeFactory.instance.objectNode();
        lines.put(empty, 1);
        return new LocatedTree(empty, lines);
      }
      return new LocatedTree(read(parser, lines), lines);
    }
  }

  private static JsonNode read(JsonParser p, Map<JsonNode, Integer> lines) throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    JsonNode node;
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (p.currentToken()) {
      case START_OBJECT:
        ObjectNode obj = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          obj.set(name, read(p, lines));
        }
        node = obj;
        break;
      case START_ARRAY:
        ArrayNode arr = f.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          arr.add(read(p, lines));
        }
        node = arr;
        break;
      case VALUE_STRING:
        node = f.textNode(p.getText());
        break;
      case VALUE_NUMBER_INT:
        node = f.numberNode(p.getBigIntegerValue());
        break;
      case VALUE_NUMBER_FLOAT:
        node = f.numberNode(p.getDecimalValue());
        break;
      case VALUE_TRUE:
      case VALUE_FALSE:
        node = f.booleanNode(p.getBooleanValue());
        break;
      case VALUE_NULL:
        node = f.nullNode();
        break;
      default:
        throw new JsonParseException(p, "unexpected " + p.currentToken());
    }
    lines.put(node, line);
    return node;
  }

  JsonNode root() {
    return root;
  }

  int lineOf(JsonNode node) {
    Integer line = node == null ? null : lines.get(node);
    return line == null ? 0 : line;
  }
}
