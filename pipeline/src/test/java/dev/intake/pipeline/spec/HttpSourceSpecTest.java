package dev.intake.pipeline.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.intake.transforms.sources.ApiTuning;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A spec-declared REST source ({@code type: http}) read from YAML: its body template, written as
 * YAML, is sent as JSON; a bad value names its line in the spec file.
 */
class HttpSourceSpecTest {
  private static final String SPEC = String.join("\n",
      "name: t",
      "zone: UTC",
      "key: [uuid]",
      "version: v",
      "fields:",
      "  - {name: uuid, type: string}",
      "  - {name: v, type: timestamp}",
      "formats:",
      "  j: {kind: json, timestampPatterns: [\"yyyy-MM-dd'T'HH:mm:ssX\"]}",
      "partition: {field: v, granularity: year, name: y}",
      "source:",
      "  type: http",
      "  name: Search",
      "  format: j",
      "  baseUrl: https://api.example.com",
      "  method: POST",
      "  path: /v4/searches/things",
      "  body:",
      "    field_ids: [uuid, updated_at]",
      "    query:",
      "      - {type: predicate, field_id: updated_at, operator_id: gte,"
          + " values: [\"${window.from}\"]}",
      "    limit: ${limit}",
      "    after_id: ${cursor}",
      "  records: entities",
      "  paginator: {type: keyset, field: properties.updated_at, tiebreak: uuid}",
      "  pageSize: 50",
      "");

  @Test
  void theYamlBodyIsSentAsJsonWithoutTheUnsetCursor() throws Exception {
    List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] answer = "{\"count\":0,\"entities\":[]}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      List<String> log = new ArrayList<>();
      SpecLoader.parse("t.yaml", SPEC).api()
          .prepare(ApiTuning.defaults().withBaseUrl(base), log::add);
      assertThat(bodies.size(), is(1));
      assertThat(bodies.get(0).replaceAll("\"20[0-9T:Z-]+\"", "\"NOW\""),
          is("{\"field_ids\":[\"uuid\",\"updated_at\"],\"query\":[{\"type\":\"predicate\","
              + "\"field_id\":\"updated_at\",\"operator_id\":\"gte\",\"values\":[\"NOW\"]}],"
              + "\"limit\":1}"));
      assertThat(log, contains("Search: " + base
          + " POST /v4/searches/things, 50 per page, no rate limit"));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aBadPlaceholderInTheBodyNamesItsLine() {
    SpecException e = assertThrows(SpecException.class,
        () -> SpecLoader.parse("t.yaml", SPEC.replace("${limit}", "${size}")));
    assertThat(e.getMessage(), is("t.yaml:19: body: unknown placeholder ${size} (known: cursor,"
        + " cursor.field, limit, offset, page, window.from, window.to)"));
  }
}
