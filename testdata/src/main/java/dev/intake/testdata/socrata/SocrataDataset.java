package dev.intake.testdata.socrata;

import dev.intake.testdata.http.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One dataset of a {@link FakeSocrataServer}: the rows a test puts in, keyed by a key field
 * ({@code service_request_id} unless told otherwise), with the system fields Socrata keeps.
 *
 * <p>Every change takes the server's clock ({@link FakeSocrataServer#setNow}): {@link #upsert}
 * sets {@code :updated_at} (and, for a new row, {@code :created_at} and a new {@code :id}) and a
 * new {@code :version}; {@link #replaceAll} is a full republish, giving every row a new {@code
 * :id}, {@code :created_at} and {@code :updated_at}. An upsert replaces the row's fields with the
 * given ones (it does not merge) and bumps {@code :updated_at} even if nothing changed.
 *
 * <p>Field values are strings, as Socrata sends them; a nested map or list (such as the SF 311
 * {@code point}) is kept and written as JSON; numbers and booleans are turned into strings; null
 * values are left out; names starting with {@code :} are ignored. All methods are thread-safe.
 */
public final class SocrataDataset {
  static final List<String> SYSTEM_FIELDS =
      List.of(":id", ":version", ":created_at", ":updated_at");
  private static final char[] ALPHABET = "23456789abcdefghijkmnpqrstuvwxyz".toCharArray();

  /** One stored row; immutable. */
  record Row(String id, String version, String createdAt, String updatedAt,
      Map<String, Object> fields) {
    /** A field's value, including the system fields; null if absent. */
    Object get(String name) {
      switch (name) {
        case ":id":
          return id;
        case ":version":
          return version;
        case ":created_at":
          return createdAt;
        case ":updated_at":
          return updatedAt;
        default:
          return fields.get(name);
      }
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      for (String s : SYSTEM_FIELDS) {
        m.put(s, get(s));
      }
      m.putAll(fields);
      return Collections.unmodifiableMap(m);
    }
  }

  /** An immutable view of the dataset at one moment, which a request reads. */
  static final class Snapshot {
    final List<Row> rows;
    /** The non-system columns, in the order first seen (or declared). */
    final List<String> columns;
    final Instant lastModified;
    private final Map<String, SoqlValues.Kind> kinds = new ConcurrentHashMap<>();

    Snapshot(List<Row> rows, List<String> columns, Instant lastModified) {
      this.rows = rows;
      this.columns = columns;
      this.lastModified = lastModified;
    }

    /** True if a query may name {@code column}; any name while the dataset has no columns. */
    boolean knows(String column) {
      return SYSTEM_FIELDS.contains(column) || columns.isEmpty() || columns.contains(column);
    }

    /** The column's kind over all rows (TEXT for system ids, TIMESTAMP for system times). */
    SoqlValues.Kind kind(String column) {
      if (column.equals(":id") || column.equals(":version")) {
        return SoqlValues.Kind.TEXT;
      }
      if (column.equals(":created_at") || column.equals(":updated_at")) {
        return SoqlValues.Kind.TIMESTAMP;
      }
      SoqlValues.Kind k = kinds.get(column);
      if (k == null) {
        List<Object> values = new ArrayList<>(rows.size());
        for (Row r : rows) {
          values.add(r.fields.get(column));
        }
        k = SoqlValues.kindOf(values);
        if (k == null) {
          return null;
        }
        kinds.put(column, k);
      }
      return k;
    }
  }

  private final String resourceId;
  private final Supplier<Instant> clock;
  private final Random random;
  private final Set<String> usedIds = new HashSet<>();
  private final LinkedHashMap<String, Row> rows = new LinkedHashMap<>();
  private final LinkedHashSet<String> columns = new LinkedHashSet<>();
  private String keyField;
  private Instant lastModified;
  private Snapshot snapshot;

  SocrataDataset(String resourceId, String keyField, Supplier<Instant> clock) {
    this.resourceId = resourceId;
    this.keyField = keyField;
    this.clock = clock;
    this.random = new Random(resourceId.hashCode());
    this.lastModified = clock.get();
  }

  /** The dataset id, e.g. {@code vw6y-z8j6}. */
  public String resourceId() {
    return resourceId;
  }

  /** The field that identifies a row for {@link #upsert} and {@link #remove}. */
  public synchronized String keyField() {
    return keyField;
  }

  /** Changes the key field; only while the dataset is empty. */
  public synchronized SocrataDataset keyField(String field) {
    if (!rows.isEmpty()) {
      throw new IllegalStateException("the key field can only change while the dataset is empty");
    }
    this.keyField = field;
    return this;
  }

  /**
   * Declares columns, so that queries naming them are accepted before any row has them (once a
   * dataset has a column, a query naming an unknown column gets 400 no-such-column).
   */
  public synchronized SocrataDataset declareColumns(String... names) {
    Collections.addAll(columns, names);
    changed();
    return this;
  }

  /**
   * Inserts or replaces the row with this key (the key field must be a non-empty string) and
   * returns the stored row, system fields first.
   */
  public synchronized Map<String, Object> upsert(Map<String, ?> fields) {
    Map<String, Object> clean = clean(fields);
    String key = keyOf(clean);
    String now = SoqlValues.fixed(clock.get());
    Row old = rows.get(key);
    Row row = old == null
        ? new Row(newId("row-"), newId("rv-"), now, now, clean)
        : new Row(old.id, newId("rv-"), old.createdAt, now, clean);
    rows.put(key, row);
    columns.addAll(clean.keySet());
    changed();
    return row.toMap();
  }

  /** Upserts each row in order; returns how many. */
  public synchronized int upsertAll(Collection<? extends Map<String, ?>> rowsToUpsert) {
    for (Map<String, ?> r : rowsToUpsert) {
      upsert(r);
    }
    return rowsToUpsert.size();
  }

  /** Deletes the row with this key; returns whether there was one. */
  public synchronized boolean remove(String key) {
    boolean removed = rows.remove(key) != null;
    if (removed) {
      changed();
    }
    return removed;
  }

  /**
   * A full republish: the dataset becomes exactly {@code newRows}, each with a new {@code :id},
   * {@code :created_at} and {@code :updated_at} (the clock's now), like a Socrata replace.
   */
  public synchronized void replaceAll(List<? extends Map<String, ?>> newRows) {
    LinkedHashMap<String, Row> next = new LinkedHashMap<>();
    String now = SoqlValues.fixed(clock.get());
    for (Map<String, ?> fields : newRows) {
      Map<String, Object> clean = clean(fields);
      next.put(keyOf(clean), new Row(newId("row-"), newId("rv-"), now, now, clean));
      columns.addAll(clean.keySet());
    }
    rows.clear();
    rows.putAll(next);
    changed();
  }

  /** Deletes every row (the columns stay known). */
  public synchronized void clear() {
    rows.clear();
    changed();
  }

  /**
   * Upserts the rows of a file holding a JSON array of objects (as the SODA API returns them) or
   * one object per line (JSON lines); returns how many.
   */
  public int loadJson(Path file) throws IOException {
    return loadJson(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Upserts the rows of a JSON array of objects, or of JSON lines; returns how many. */
  public synchronized int loadJson(String json) {
    List<Object> values = Json.parseSequence(json);
    if (values.size() == 1 && values.get(0) instanceof List<?> array) {
      values = new ArrayList<>(array);
    }
    List<Map<String, ?>> parsed = new ArrayList<>();
    for (Object v : values) {
      if (!(v instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("expected JSON objects, got " + Json.write(v));
      }
      @SuppressWarnings("unchecked")
      Map<String, ?> row = (Map<String, ?>) m;
      parsed.add(row);
    }
    return upsertAll(parsed);
  }

  /** The stored rows in insertion order, each with its system fields first. */
  public synchronized List<Map<String, Object>> rows() {
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (Row r : rows.values()) {
      out.add(r.toMap());
    }
    return out;
  }

  /** The stored row with this key (system fields first), or null. */
  public synchronized Map<String, Object> row(String key) {
    Row r = rows.get(key);
    return r == null ? null : r.toMap();
  }

  /** The number of rows. */
  public synchronized int size() {
    return rows.size();
  }

  /** The current state, for a request (cached until the next change). */
  synchronized Snapshot snapshot() {
    if (snapshot == null) {
      snapshot = new Snapshot(
          List.copyOf(rows.values()), List.copyOf(columns), lastModified);
    }
    return snapshot;
  }

  private void changed() {
    snapshot = null;
    lastModified = clock.get();
  }

  private String keyOf(Map<String, Object> fields) {
    Object key = fields.get(keyField);
    if (!(key instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException(
          "row has no string value for the key field " + keyField + ": " + fields);
    }
    return s;
  }

  private static Map<String, Object> clean(Map<String, ?> fields) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      String name = e.getKey();
      Object v = e.getValue();
      if (name == null || name.startsWith(":") && !name.startsWith(":@") || v == null) {
        continue;
      }
      if (v instanceof BigDecimal d) {
        v = d.toPlainString();
      } else if (v instanceof Number || v instanceof Boolean) {
        v = v.toString();
      } else if (v instanceof Map || v instanceof List) {
        v = Json.parse(Json.write(v)); // a private copy
      } else if (!(v instanceof String)) {
        throw new IllegalArgumentException("unsupported value for " + name + ": " + v.getClass());
      }
      out.put(name, v);
    }
    return Collections.unmodifiableMap(out);
  }

  private String newId(String prefix) {
    while (true) {
      StringBuilder sb = new StringBuilder(prefix);
      for (int i = 0; i < 12; i++) {
        if (i == 4 || i == 8) {
          sb.append('~');
        }
        sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
      }
      String id = sb.toString();
      if (usedIds.add(id)) {
        return id;
      }
    }
  }
}
