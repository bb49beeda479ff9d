package dev.intake.transforms.sources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link SpecSection} over a map, for tests: the value of the n-th key (from 0) is on line
 * {@code n + 2} of file {@code test.yaml}, and errors read "test.yaml:LINE: message", as the
 * pipeline's spec reader words them.
 */
public final class MapSpecSection implements SpecSection {
  private final Map<String, Object> values;
  private final int firstLine;

  private MapSpecSection(Map<String, Object> values, int firstLine) {
    this.values = values;
    this.firstLine = firstLine;
  }

  /** Keys and values in pairs; a value is a String, a Number, a List or a Map (a section). */
  public static MapSpecSection of(Object... keyValues) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put((String) keyValues[i], keyValues[i + 1]);
    }
    return new MapSpecSection(values, 2);
  }

  /** This section with {@code key} set to {@code value} (or removed, for null). */
  public MapSpecSection with(String key, Object value) {
    Map<String, Object> changed = new LinkedHashMap<>(values);
    if (value == null) {
      changed.remove(key);
    } else {
      changed.put(key, value);
    }
    return new MapSpecSection(changed, firstLine);
  }

  @Override
  public void allowOnly(String... keys) {
    List<String> allowed = List.of(keys);
    for (String k : values.keySet()) {
      if (!allowed.contains(k)) {
        throw error(k, "unknown setting '" + k + "' (known here: " + String.join(", ", keys)
            + ")");
      }
    }
  }

  @Override
  public boolean has(String key) {
    return values.containsKey(key);
  }

  @Override
  public String text(String key, boolean required) {
    Object v = values.get(key);
    if (v == null) {
      if (required) {
        throw error(key, key + " is required");
      }
      return null;
    }
    if (v instanceof Map || v instanceof List || v.toString().isBlank()) {
      throw error(key, key + " must be a non-blank value");
    }
    return v.toString();
  }

  @Override
  public int integer(String key, int fallback, int min, int max) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Integer i) || i < min || i > max) {
      throw error(key, key + " must be a whole number between " + min + " and " + max);
    }
    return i;
  }

  @Override
  public List<String> texts(String key) {
    Object v = values.get(key);
    List<String> all = new ArrayList<>();
    if (v instanceof List<?> list) {
      list.forEach(x -> all.add(String.valueOf(x)));
    } else if (v != null) {
      throw error(key, key + " must be a list");
    }
    return all;
  }

  @Override
  @SuppressWarnings("unchecked")
  public SpecSection section(String key, boolean required) {
    Object v = values.get(key);
    if (v == null) {
      if (required) {
        throw error(key, key + " is required");
      }
      return null;
    }
    if (!(v instanceof Map)) {
      throw error(key, key + " must be a mapping");
    }
    return new MapSpecSection(new LinkedHashMap<>((Map<String, Object>) v), line(key) + 1);
  }

  @Override
  public String json(String key) {
    Object v = values.get(key);
    try {
      return v == null ? null : new ObjectMapper().writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public RuntimeException error(String key, String message) {
    return new IllegalArgumentException("test.yaml:" + line(key) + ": " + message);
  }

  private int line(String key) {
    int i = new ArrayList<>(values.keySet()).indexOf(key);
    return i < 0 ? firstLine - 1 : firstLine + i;
  }
}
