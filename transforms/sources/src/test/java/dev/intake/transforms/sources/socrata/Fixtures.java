package dev.intake.transforms.sources.socrata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.testdata.socrata.FakeSocrataServer;
import dev.intake.testdata.socrata.SocrataDataset;
import dev.intake.transforms.sources.http.Page;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows, clients and small helpers shared by the Socrata client tests. */
final class Fixtures {
  static final String RESOURCE = "vw6y-z8j6";
  static final String TOKEN_ENV = "SOCRATA_APP_TOKEN";
  static final Instant T0 = Instant.parse("2021-07-10T00:00:00Z");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixtures() {}

  /** {@code prefix01 .. prefixNN}. */
  static List<String> keys(String prefix, int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      keys.add(String.format("%s%02d", prefix, i));
    }
    return keys;
  }

  /** Upserts SF 311-like rows with these keys, all stamped {@code :updated_at = at}. */
  static void upsertAt(FakeSocrataServer server, SocrataDataset dataset, Instant at,
      List<String> keys) {
    server.setNow(at);
    for (String key : keys) {
      Map<String, Object> point = new LinkedHashMap<>();
      point.put("type", "Point");
      point.put("coordinates", List.of(-122.41, 37.77));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("service_request_id", key);
      row.put("status_description", "Open");
      row.put("service_name", "Street \"Cleaning\" – O'Farrell");
      row.put("point", point);
      dataset.upsert(row);
    }
  }

  static SocrataConfig.Builder config(FakeSocrataServer server) {
    return SocrataConfig.builder().baseUrl(server.baseUrl()).resource(RESOURCE);
  }

  /** A client whose waits are recorded in {@code sleeps} instead of slept. */
  static SocrataClient client(SocrataConfig config, Map<String, String> env,
      List<Duration> sleeps) {
    return SocrataClient.create(config, env::get, sleeps::add, Clock.systemUTC());
  }

  static SocrataClient client(SocrataConfig config) {
    return client(config, Map.of(), Collections.synchronizedList(new ArrayList<>()));
  }

  /** Every page of the window, in delivery order. */
  static List<Page> fetch(SocrataClient client, Instant from, Instant to) throws IOException {
    List<Page> pages = new ArrayList<>();
    client.fetchWindow(from, to, pages::add);
    return pages;
  }

  static List<String> records(List<Page> pages) {
    List<String> all = new ArrayList<>();
    pages.forEach(p -> all.addAll(p.records()));
    return all;
  }

  /** One field of every record of the pages. */
  static List<String> field(List<Page> pages, String name) {
    List<String> values = new ArrayList<>();
    for (String r : records(pages)) {
      values.add(json(r).path(name).asText(null));
    }
    return values;
  }

  static List<String> serviceRequestIds(List<Page> pages) {
    return field(pages, "service_request_id");
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
