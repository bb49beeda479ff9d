package dev.intake.testdata.crunchbase;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code POST /api/v4/searches/organizations} body, checked, and its answer over a list of
 * entities.
 *
 * <ul>
 *   <li>{@code field_ids} (required, non-empty): the properties each entity answers, those it has;
 *       {@code uuid} is always the entity's top-level key, and a property only if named.
 *   <li>{@code query}: predicates, ANDed, each {@code {type: "predicate", field_id, operator_id,
 *       values}}. Datetime fields ({@code updated_at}, {@code created_at}) take {@code gte},
 *       {@code lte} and {@code eq} with one value, a date ({@code 2020-05-05}, its midnight UTC)
 *       or a UTC datetime; other operators (e.g. {@code gt}, {@code lt}) are refused with 400.
 *       {@code uuid} takes {@code includes} with a list of uuids.
 *   <li>{@code order}: {@code [{field_id, sort: asc|desc}]}; nulls always last; ties, and the
 *       whole order when none is given, by {@code uuid} ascending. Money orders by {@code
 *       value_usd}, dates and identifiers by {@code value}, datetimes by time.
 *   <li>{@code limit}: 1 to 1000, default 100.
 *   <li>{@code after_id} / {@code before_id} (never both): like a search_after, the entities
 *       strictly after (before) the sort values the named entity has <em>now</em>, in the
 *       requested order; a uuid that is not a current entity is refused with 400. So {@code
 *       after_id} does follow a custom order, and a page past the end has {@code entities: []}.
 * </ul>
 *
 * <p>{@code count} is the number of entities matching the query, whatever the page.
 */
final class OrganizationSearch {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final Set<String> KEYS =
      Set.of("field_ids", "query", "order", "limit", "after_id", "before_id");
  private static final Set<String> DATETIME_FIELDS = Set.of("updated_at", "created_at");

  private record Predicate(String field, String operator, List<Object> values) {}

  private record SortKey(String field, boolean descending) {}

  /** The answer: the total matching and the page's entities (uuid, properties). */
  record Result(int count, List<Map<String, Object>> entities) {}

  private final List<String> fieldIds = new ArrayList<>();
  private final List<Predicate> predicates = new ArrayList<>();
  private final List<SortKey> order = new ArrayList<>();
  private int limit = DEFAULT_LIMIT;
  private String afterId;
  private String beforeId;

  private OrganizationSearch() {}

  /** The search a parsed JSON body asks for; throws 400 for anything the API would refuse. */
  @SuppressWarnings("unchecked")
  static OrganizationSearch parse(Object body) {
    if (!(body instanceof Map)) {
      throw CrunchbaseException.badRequest("the request body must be a JSON object");
    }
    Map<String, Object> b = (Map<String, Object>) body;
    for (String k : b.keySet()) {
      if (!KEYS.contains(k)) {
        throw CrunchbaseException.badRequest("unknown search parameter: " + k);
      }
    }
    OrganizationSearch s = new OrganizationSearch();
    Object fields = b.get("field_ids");
    if (!(fields instanceof List<?> list) || list.isEmpty()) {
      throw CrunchbaseException.badRequest("field_ids must be a non-empty list of field ids");
    }
    for (Object f : list) {
      s.fieldIds.add(text(f, "field_ids"));
    }
    Object query = b.getOrDefault("query", List.of());
    if (!(query instanceof List)) {
      throw CrunchbaseException.badRequest("query must be a list of predicates");
    }
    for (Object p : (List<Object>) query) {
      s.predicates.add(predicate(p));
    }
    Object order = b.getOrDefault("order", List.of());
    if (!(order instanceof List)) {
      throw CrunchbaseException.badRequest("order must be a list of {field_id, sort}");
    }
    for (Object o : (List<Object>) order) {
      if (!(o instanceof Map)) {
        throw CrunchbaseException.badRequest("order must be a list of {field_id, sort}");
      }
      Map<String, Object> m = (Map<String, Object>) o;
      String sort = m.containsKey("sort") ? text(m.get("sort"), "order.sort") : "asc";
      if (!sort.equals("asc") && !sort.equals("desc")) {
        throw CrunchbaseException.badRequest("order.sort must be asc or desc, but was " + sort);
      }
      s.order.add(new SortKey(text(m.get("field_id"), "order.field_id"), sort.equals("desc")));
    }
    if (b.containsKey("limit")) {
      Object l = b.get("limit");
      if (!(l instanceof BigDecimal n) || n.stripTrailingZeros().scale() > 0
          || n.compareTo(BigDecimal.ONE) < 0 || n.compareTo(BigDecimal.valueOf(MAX_LIMIT)) > 0) {
        throw CrunchbaseException.badRequest(
            "limit must be an integer from 1 to " + MAX_LIMIT + ", but was " + l);
      }
      s.limit = n.intValue();
    }
    s.afterId = b.get("after_id") == null ? null : text(b.get("after_id"), "after_id");
    s.beforeId = b.get("before_id") == null ? null : text(b.get("before_id"), "before_id");
    if (s.afterId != null && s.beforeId != null) {
      throw CrunchbaseException.badRequest("after_id and before_id cannot be used together");
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Predicate predicate(Object p) {
    if (!(p instanceof Map)) {
      throw CrunchbaseException.badRequest("a query item must be an object");
    }
    Map<String, Object> m = (Map<String, Object>) p;
    if (!"predicate".equals(m.get("type"))) {
      throw CrunchbaseException.badRequest("query item type must be predicate, but was "
          + m.get("type"));
    }
    String field = text(m.get("field_id"), "field_id");
    String op = text(m.get("operator_id"), "operator_id");
    if (!(m.get("values") instanceof List<?> values) || values.isEmpty()) {
      throw CrunchbaseException.badRequest("values of " + field + " must be a non-empty list");
    }
    if (DATETIME_FIELDS.contains(field)) {
      if (!Set.of("gte", "lte", "eq").contains(op)) {
        throw CrunchbaseException.badRequest("Operator " + op + " is not supported for field "
            + field + " of type datetime (use eq, gte or lte)");
      }
      if (values.size() != 1) {
        throw CrunchbaseException.badRequest(op + " on " + field + " takes one value");
      }
      instant(values.get(0), field);
    } else if (field.equals("uuid")) {
      if (!op.equals("includes")) {
        throw CrunchbaseException.badRequest("Operator " + op + " is not supported for uuid");
      }
    } else {
      throw CrunchbaseException.badRequest("FakeCrunchbaseServer does not filter on " + field);
    }
    return new Predicate(field, op, List.copyOf(values));
  }

  private static String text(Object v, String what) {
    if (!(v instanceof String s) || s.isEmpty()) {
      throw CrunchbaseException.badRequest(what + " must be a non-empty string, but was " + v);
    }
    return s;
  }

  private static Instant instant(Object v, String field) {
    if (v instanceof String s) {
      try {
        return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant()
            : Instant.parse(s);
      } catch (DateTimeParseException e) {
        // refused below
      }
    }
    throw CrunchbaseException.badRequest("values of " + field
        + " must be a date (2020-05-05) or a UTC datetime, but was " + v);
  }

  /** The page over {@code entities} (each a property map holding {@code uuid}). */
  Result execute(List<Map<String, Object>> entities) {
    List<Map<String, Object>> matching = new ArrayList<>();
    Map<String, Map<String, Object>> byUuid = new LinkedHashMap<>();
    for (Map<String, Object> e : entities) {
      byUuid.put((String) e.get("uuid"), e);
      if (matches(e)) {
        matching.add(e);
      }
    }
    Comparator<Map<String, Object>> cmp = comparator();
    matching.sort(cmp);
    List<Map<String, Object>> page;
    String anchorId = afterId != null ? afterId : beforeId;
    if (anchorId == null) {
      page = matching.subList(0, Math.min(limit, matching.size()));
    } else {
      Map<String, Object> anchor = byUuid.get(anchorId);
      if (anchor == null) {
        throw CrunchbaseException.badRequest((afterId != null ? "after_id" : "before_id") + " "
            + anchorId + " is not an entity of this collection");
      }
      List<Map<String, Object>> side = new ArrayList<>();
      for (Map<String, Object> e : matching) {
        int c = cmp.compare(e, anchor);
        if (afterId != null ? c > 0 : c < 0) {
          side.add(e);
        }
      }
      page = afterId != null ? side.subList(0, Math.min(limit, side.size()))
          : side.subList(Math.max(0, side.size() - limit), side.size());
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> e : page) {
      Map<String, Object> props = new LinkedHashMap<>();
      e.forEach((k, v) -> {
        if (fieldIds.contains(k)) {
          props.put(k, v);
        }
      });
      Map<String, Object> entity = new LinkedHashMap<>();
      entity.put("uuid", e.get("uuid"));
      entity.put("properties", props);
      out.add(entity);
    }
    return new Result(matching.size(), out);
  }

  private boolean matches(Map<String, Object> e) {
    for (Predicate p : predicates) {
      if (p.field().equals("uuid")) {
        if (!p.values().contains(e.get("uuid"))) {
          return false;
        }
        continue;
      }
      Object v = e.get(p.field());
      if (!(v instanceof String s)) {
        return false;
      }
      Instant at = Instant.parse(s);
      Instant bound = instant(p.values().get(0), p.field());
      int c = at.compareTo(bound);
      boolean ok = switch (p.operator()) {
        case "gte" -> c >= 0;
        case "lte" -> c <= 0;
        default -> c == 0;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private Comparator<Map<String, Object>> comparator() {
    Comparator<Map<String, Object>> cmp = (a, b) -> 0;
    for (SortKey k : order) {
      cmp = cmp.thenComparing((a, b) -> {
        Comparable<Object> x = sortValue(a.get(k.field()));
        Comparable<Object> y = sortValue(b.get(k.field()));
        if (x == null || y == null) {
          return x == null ? (y == null ? 0 : 1) : -1; // nulls last, whatever the direction
        }
        int c = x.compareTo(y);
        return k.descending() ? -c : c;
      });
    }
    return cmp.thenComparing(e -> (String) e.get("uuid"));
  }

  /** What a property sorts by: money its value_usd, a {value} its value, datetimes as times. */
  @SuppressWarnings("unchecked")
  private static Comparable<Object> sortValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      v = m.containsKey("value_usd") ? m.get("value_usd") : m.get("value");
    }
    if (v instanceof String s && s.length() == 20 && s.endsWith("Z")) {
      try {
        return (Comparable<Object>) (Comparable<?>) Instant.parse(s);
      } catch (DateTimeParseException e) {
        // a plain string
      }
    }
    return v instanceof Comparable<?> c ? (Comparable<Object>) c : null;
  }
}
