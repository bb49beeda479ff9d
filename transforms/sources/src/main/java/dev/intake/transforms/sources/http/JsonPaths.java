package dev.intake.transforms.sources.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The simple JSON paths API sources use to point into an answer: {@code $} (the whole body), or
 * field names joined by dots, optionally after {@code $.}: {@code entities}, {@code data.items},
 * {@code properties.updated_at}, {@code $.paging.next}. No wildcards or indexes: a path names one
 * place.
 */
public final class JsonPaths {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_:@$-]+");

  private JsonPaths() {}

  /**
   * The field names of {@code path}, empty for {@code $}.
   *
   * @throws IllegalArgumentException "... must be $ or field names joined by dots ..." otherwise
   */
  public static List<String> parse(String path) {
    if (path == null) {
      throw new IllegalArgumentException("a JSON path is required");
    }
    String p = path.trim();
    if (p.equals("$")) {
      return List.of();
    }
    if (p.startsWith("$.")) {
      p = p.substring(2);
    }
    List<String> names = Arrays.asList(p.split("\\.", -1));
    for (String n : names) {
      if (!NAME.matcher(n).matches()) {
        throw new IllegalArgumentException("a JSON path must be $ or field names joined by dots"
            + " (e.g. entities, data.items, properties.updated_at), but was '" + path + "'");
      }
    }
    return List.copyOf(names);
  }

  /** {@code path} ({@link #parse}) as the dotted names a record field is asked by: "a.b". */
  public static String dotted(String path) {
    return String.join(".", parse(path));
  }

  /**
   * The text of the scalar at {@code names} in the JSON {@code body}, or null when the body is not
   * JSON or the value is absent, null, or not a scalar.
   */
  public static String scalar(byte[] body, List<String> names) {
    try {
      return scalar(MAPPER.readTree(body), names);
    } catch (IOException e) {
      return null;
    }
  }

  /** As {@link #scalar(byte[], List)}, for text. */
  public static String scalar(String body, List<String> names) {
    try {
      return scalar(MAPPER.readTree(body), names);
    } catch (IOException e) {
      return null;
    }
  }

  private static String scalar(JsonNode node, List<String> names) {
    JsonNode at = node;
    for (String n : names) {
      if (at == null || !at.isObject()) {
        return null;
      }
      at = at.get(n);
    }
    return at == null || !at.isValueNode() || at.isNull() ? null : at.asText();
  }
}
