package dev.intake.transforms.sources.rest;

import dev.intake.transforms.sources.MapSpecSection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Source sections for the tests, shaped like the spec files that declare them. */
final class Specs {
  private Specs() {}

  /** An ordered mapping from keys and values in pairs. */
  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Map<String, Object> predicate(String operator, String value) {
    return map("type", "predicate", "field_id", "updated_at", "operator_id", operator,
        "values", List.of(value));
  }

  /** The Crunchbase organizations search, as the crunchbase_organizations spec declares it. */
  static MapSpecSection crunchbase(String baseUrl) {
    return MapSpecSection.of(
        "type", "http",
        "name", "Crunchbase",
        "format", "api_json",
        "baseUrl", baseUrl,
        "method", "POST",
        "path", "/api/v4/searches/organizations",
        "body", map(
            "field_ids", List.of("identifier", "updated_at"),
            "query", List.of(predicate("gte", "${window.from}"),
                predicate("lte", "${window.to}")),
            "order", List.of(map("field_id", "updated_at", "sort", "asc"),
                map("field_id", "uuid", "sort", "asc")),
            "limit", "${limit}",
            "after_id", "${cursor}"),
        "records", "entities",
        "paginator", map("type", "keyset", "field", "properties.updated_at",
            "tiebreak", "uuid"),
        "auth", map("type", "apiKey", "header", "X-cb-user-key", "secretEnv", "CB_API_KEY"),
        "rateLimit", map("requestsPerMinute", 200),
        "errorMessage", "error",
        "errorCode", "code",
        "pageSize", 2,
        "maxPageSize", 1000);
  }

  /** A GET API paged by offset, records at data.items, the key in the query parameter key. */
  static MapSpecSection offsetGet(String baseUrl) {
    return MapSpecSection.of(
        "type", "http",
        "name", "Items",
        "format", "api_json",
        "baseUrl", baseUrl,
        "path", "/v1/items",
        "query", map("since", "${window.from:epochSeconds}", "until",
            "${window.to:epochSeconds}", "offset", "${offset}", "limit", "${limit}"),
        "records", "data.items",
        "paginator", map("type", "offset", "identity", List.of("id")),
        "auth", map("type", "apiKey", "query", "api_key", "secretEnv", "ITEMS_KEY"),
        "errorMessage", "error.message",
        "pageSize", 2);
  }
}
