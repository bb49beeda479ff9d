package dev.intake.testdata.socrata;

import dev.intake.testdata.http.Json;
import dev.intake.testdata.socrata.SocrataDataset.Row;
import dev.intake.testdata.socrata.SocrataDataset.Snapshot;
import dev.intake.testdata.socrata.SoqlTokens.Token;
import dev.intake.testdata.socrata.SoqlTokens.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A SODA 2 query on {@code /resource/<id>.json}: the SoQL parameters {@code $select}, {@code
 * $where}, {@code $order}, {@code $limit}, {@code $offset}, plus simple filters ({@code
 * ?field=value}, an equality), parsed, checked against a dataset and run on a snapshot of it.
 *
 * <p>{@code $select}: {@code *} (the default: every field but the system ones), {@code :*} (the
 * system fields {@code :id, :version, :created_at, :updated_at}), field names with optional
 * {@code AS alias}, or {@code count(*) [AS alias]} alone. {@code $order}: comma-separated fields,
 * each optionally {@code ASC} or {@code DESC}; ascending puts missing values last, descending
 * first (as PostgreSQL, under Socrata, does). Rows are shuffled before the (stable) sort, so rows
 * that tie on every {@code $order} key, and all rows without {@code $order}, come in an order that
 * changes from request to request.
 */
final class ResourceQuery {
  static final int DEFAULT_LIMIT = 1000;
  static final int MAX_LIMIT = 50_000;
  private static final Set<String> KNOWN =
      Set.of("$select", "$where", "$order", "$limit", "$offset", "$$app_token");
  private static final Set<String> UNSUPPORTED = Set.of("$group", "$having", "$q", "$query",
      "$search", "$$exclude_system_fields", "$$version", "$$read_from_nbe");

  /** One {@code $order} key. */
  record OrderKey(String column, boolean descending) {}

  /** One {@code $select} item: a column (or {@code *}, {@code :*}) and its output name. */
  record SelectItem(String column, String alias) {}

  /** The rows of an answer, as written, and the field names and types for the SODA2 headers. */
  record Result(List<Map<String, Object>> rows, List<String> fields, List<String> types) {}

  private SoqlWhere.Node where;
  private final List<OrderKey> order = new ArrayList<>();
  private final List<SelectItem> select = new ArrayList<>();
  private String countAlias;
  private final Map<String, String> filters = new LinkedHashMap<>();
  private int limit = DEFAULT_LIMIT;
  private int offset;

  private ResourceQuery() {}

  /** Parses the decoded query parameters; throws a 400 (or 501) {@link SoqlException}. */
  static ResourceQuery parse(Map<String, String> params) {
    ResourceQuery q = new ResourceQuery();
    for (Map.Entry<String, String> e : params.entrySet()) {
      String name = e.getKey();
      if (UNSUPPORTED.contains(name)) {
        throw SoqlException.unsupported("the parameter " + name);
      }
      if (name.startsWith("$") && !KNOWN.contains(name)) {
        throw new SoqlException(400, "query.soql.unrecognized-argument",
            "Unrecognized arguments [" + name.substring(1) + "]", new LinkedHashMap<>());
      }
      if (!name.startsWith("$")) {
        q.filters.put(name, e.getValue());
      }
    }
    String where = params.get("$where");
    if (where != null) {
      q.where = SoqlWhere.parse(where);
    }
    String order = params.get("$order");
    if (order != null) {
      q.parseOrder(order);
    }
    q.parseSelect(params.getOrDefault("$select", "*"));
    if (params.containsKey("$limit")) {
      q.limit = nonNegative("$limit", params.get("$limit"));
      if (q.limit > MAX_LIMIT) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("limit", q.limit);
        throw new SoqlException(400, "query.compiler.malformed",
            "length must be <= " + MAX_LIMIT, data);
      }
    }
    if (params.containsKey("$offset")) {
      q.offset = nonNegative("$offset", params.get("$offset"));
    }
    return q;
  }

  private static int nonNegative(String name, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw SoqlException.malformed(name, value, 0, "expected a non-negative integer");
  }

  private void parseOrder(String text) {
    SoqlTokens t = new SoqlTokens("$order", text);
    do {
      Token col = t.expect(Type.IDENT, "a field name");
      if (t.peek().type() == Type.LPAREN) {
        throw SoqlException.unsupported("the function " + col.text() + "() in $order");
      }
      boolean desc = false;
      if (t.accept("desc")) {
        desc = true;
      } else {
        t.accept("asc");
      }
      if (t.accept("null") || t.accept("nulls")) {
        throw SoqlException.unsupported("NULL FIRST/LAST in $order");
      }
      order.add(new OrderKey(col.text(), desc));
    } while (t.accept(Type.COMMA));
    if (t.peek().type() != Type.EOF) {
      throw t.error("expected `,' or end of input, but got " + SoqlTokens.describe(t.peek()));
    }
  }

  private void parseSelect(String text) {
    SoqlTokens t = new SoqlTokens("$select", text);
    do {
      if (t.accept(Type.STAR)) {
        select.add(new SelectItem("*", "*"));
        continue;
      }
      Token col = t.expect(Type.IDENT, "a field name, `*' or `:*'");
      if (t.peek().type() == Type.LPAREN) {
        if (!col.text().equalsIgnoreCase("count") || col.quoted()) {
          throw SoqlException.unsupported("the function " + col.text() + "() in $select");
        }
        t.next();
        t.expect(Type.STAR, "`*'");
        t.expect(Type.RPAREN, "`)'");
        countAlias = t.accept("as") ? t.expect(Type.IDENT, "an alias").text() : "count";
        continue;
      }
      String alias = t.accept("as") ? t.expect(Type.IDENT, "an alias").text() : col.text();
      select.add(new SelectItem(col.text(), alias));
    } while (t.accept(Type.COMMA));
    if (t.peek().type() != Type.EOF) {
      throw t.error("expected `,' or end of input, but got " + SoqlTokens.describe(t.peek()));
    }
    if (countAlias != null && !select.isEmpty()) {
      throw SoqlException.unsupported("count(*) together with other $select items ($group)");
    }
  }

  /** Refuses unknown columns (400 no-such-column) and non-timestamps for timestamp columns. */
  void check(Snapshot snap, String datasetId) {
    Set<String> used = new LinkedHashSet<>();
    if (where != null) {
      SoqlWhere.columns(where, used);
    }
    order.forEach(o -> used.add(o.column()));
    select.forEach(s -> used.add(s.column()));
    used.addAll(filters.keySet());
    used.remove("*");
    used.remove(":*");
    for (String c : used) {
      if (!snap.knows(c)) {
        throw SoqlException.noSuchColumn(c, datasetId);
      }
    }
    if (where != null) {
      SoqlWhere.checkTypes(where, snap::kind);
    }
  }

  /**
   * Runs the query on {@code snap}. {@code shuffle} (null: keep insertion order) reorders rows
   * before sorting; {@code ignoreOffset} answers as if {@code $offset} were 0; {@code pageCap} (0:
   * none) returns at most that many rows whatever {@code $limit} says.
   */
  Result execute(Snapshot snap, Random shuffle, boolean ignoreOffset, int pageCap) {
    List<Row> rows = new ArrayList<>();
    for (Row r : snap.rows) {
      if (matches(r)) {
        rows.add(r);
      }
    }
    int from = ignoreOffset ? 0 : offset;
    int max = pageCap > 0 ? Math.min(limit, pageCap) : limit;
    if (countAlias != null) {
      List<Map<String, Object>> out = new ArrayList<>();
      if (from == 0 && max > 0) {
        out.add(Map.of(countAlias, Integer.toString(rows.size())));
      }
      return new Result(out, List.of(countAlias), List.of("number"));
    }
    if (shuffle != null) {
      Collections.shuffle(rows, shuffle);
    }
    if (!order.isEmpty()) {
      rows = sorted(rows, snap);
    }
    List<Row> page = from >= rows.size()
        ? List.of() : rows.subList(from, (int) Math.min(rows.size(), (long) from + max));
    List<SelectItem> items = expandSelect(snap);
    List<Map<String, Object>> out = new ArrayList<>(page.size());
    for (Row r : page) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (SelectItem item : items) {
        Object v = r.get(item.column());
        if (v != null) {
          m.put(item.alias(), v);
        }
      }
      out.add(m);
    }
    List<String> fields = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (SelectItem item : items) {
      fields.add(item.alias());
      types.add(typeName(snap, item.column()));
    }
    return new Result(out, fields, types);
  }

  private boolean matches(Row r) {
    for (Map.Entry<String, String> f : filters.entrySet()) {
      Object v = r.get(f.getKey());
      if (!(v instanceof String s) || SoqlValues.compare(s, f.getValue()) != 0) {
        return false;
      }
    }
    return where == null || Boolean.TRUE.equals(SoqlWhere.eval(where, r::get));
  }

  private List<Row> sorted(List<Row> rows, Snapshot snap) {
    int n = order.size();
    SoqlValues.Kind[] kinds = new SoqlValues.Kind[n];
    for (int i = 0; i < n; i++) {
      SoqlValues.Kind k = snap.kind(order.get(i).column());
      kinds[i] = k == null ? SoqlValues.Kind.TEXT : k;
    }
    record Keyed(Row row, Comparable<?>[] keys) {}
    List<Keyed> keyed = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Comparable<?>[] keys = new Comparable<?>[n];
      for (int i = 0; i < n; i++) {
        keys[i] = SoqlValues.sortKey(r.get(order.get(i).column()), kinds[i]);
      }
      keyed.add(new Keyed(r, keys));
    }
    Comparator<Keyed> cmp = (a, b) -> {
      for (int i = 0; i < n; i++) {
        int c = compareKeys(a.keys()[i], b.keys()[i], order.get(i).descending());
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
    keyed.sort(cmp);
    List<Row> out = new ArrayList<>(keyed.size());
    keyed.forEach(k -> out.add(k.row()));
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareKeys(Comparable a, Comparable b, boolean descending) {
    if (a == null || b == null) {
      // ascending: nulls last; descending: nulls first
      if (a == b) {
        return 0;
      }
      return (a == null) != descending ? 1 : -1;
    }
    int c;
    if (a.getClass() == b.getClass()) {
      c = a.compareTo(b);
    } else {
      c = a.toString().compareTo(b.toString());
    }
    return descending ? -c : c;
  }

  private List<SelectItem> expandSelect(Snapshot snap) {
    List<SelectItem> items = new ArrayList<>();
    for (SelectItem item : select) {
      if (item.column().equals("*")) {
        snap.columns.forEach(c -> items.add(new SelectItem(c, c)));
      } else if (item.column().equals(":*")) {
        SocrataDataset.SYSTEM_FIELDS.forEach(c -> items.add(new SelectItem(c, c)));
      } else {
        items.add(item);
      }
    }
    return items;
  }

  private static String typeName(Snapshot snap, String column) {
    if (SocrataDataset.SYSTEM_FIELDS.contains(column)) {
      return "meta_data";
    }
    for (Row r : snap.rows) {
      Object v = r.fields().get(column);
      if (v instanceof Map || v instanceof List) {
        return "location";
      }
      if (v != null) {
        break;
      }
    }
    SoqlValues.Kind k = snap.kind(column);
    if (k == SoqlValues.Kind.TIMESTAMP) {
      return "floating_timestamp";
    }
    return k == SoqlValues.Kind.NUMBER ? "number" : "text";
  }

  /** Writes rows as Socrata does: {@code [{...}\n,{...}]\n}, compact objects. */
  static String write(List<Map<String, Object>> rows) {
    StringBuilder out = new StringBuilder(rows.size() * 256 + 4);
    out.append('[');
    for (int i = 0; i < rows.size(); i++) {
      if (i > 0) {
        out.append("\n,");
      }
      Json.write(rows.get(i), out);
    }
    return out.append("]\n").toString();
  }
}
