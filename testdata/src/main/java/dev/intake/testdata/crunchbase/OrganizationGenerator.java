package dev.intake.testdata.crunchbase;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Seeded organizations shaped like the recorded Crunchbase answers: {@code identifier}, {@code
 * name}, {@code permalink}, {@code website {value}}, {@code short_description}, {@code
 * company_type}, {@code operating_status}, {@code created_at}, {@code updated_at}, {@code
 * founded_on {value, precision}}, {@code location_identifiers} (city, region, country,
 * continent, each with {@code location_type}), {@code categories}, {@code funding_total {value,
 * currency, value_usd}} and {@code num_employees_enum}. About a fifth of the optional fields are
 * left out of each entity (absent, not null), and the keys of each entity come in their own
 * order. The same seed gives the same entities.
 */
public final class OrganizationGenerator {
  private static final String[][] PLACES = {
    {"San Francisco", "California", "United States", "North America", "USD", "1"},
    {"New York", "New York", "United States", "North America", "USD", "1"},
    {"London", "England", "United Kingdom", "Europe", "GBP", "1.27"},
    {"Berlin", "Berlin", "Germany", "Europe", "EUR", "1.09"},
    {"Paris", "Ile-de-France", "France", "Europe", "EUR", "1.09"},
    {"Tokyo", "Tokyo", "Japan", "Asia", "JPY", "0.0067"},
    {"Shanghai", "Shanghai", "China", "Asia", "CNY", "0.14"},
    {"Bangalore", "Karnataka", "India", "Asia", "INR", "0.012"},
    {"Sao Paulo", "Sao Paulo", "Brazil", "South America", "BRL", "0.2"},
    {"Toronto", "Ontario", "Canada", "North America", "CAD", "0.74"},
  };
  private static final String[] CATEGORIES = {
    "Software", "Artificial Intelligence", "FinTech", "E-Commerce", "Health Care",
    "Biotechnology", "SaaS", "Mobile", "Internet", "Education", "Energy", "Logistics",
  };
  private static final String[] WORDS = {
    "Blue", "Quantum", "Nimbus", "Vertex", "Lumen", "Atlas", "Nova", "Pioneer", "Harbor",
    "Cedar", "Signal", "Orbit", "Falcon", "Ember", "Summit", "Delta",
  };
  private static final String[] SUFFIXES = {"Labs", "AI", "Systems", "Health", "Pay", "Works"};
  private static final String[] EMPLOYEES = {"c_00001_00010", "c_00011_00050", "c_00051_00100",
      "c_00101_00250", "c_00251_00500", "c_01001_05000"};
  private static final String[] PRECISIONS = {"day", "month", "year"};

  private final Random random;

  /** A generator whose entities follow from {@code seed}. */
  public OrganizationGenerator(long seed) {
    this.random = new Random(seed);
  }

  /** {@code count} organizations with {@code updated_at} in {@code [from, to)}. */
  public List<Map<String, Object>> organizations(int count, Instant from, Instant to) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(organization(from, to));
    }
    return out;
  }

  private Map<String, Object> organization(Instant from, Instant to) {
    String uuid = uuid();
    String name = pick(WORDS) + " " + pick(WORDS) + " " + pick(SUFFIXES);
    String permalink = name.toLowerCase(Locale.ROOT).replace(' ', '-') + "-"
        + uuid.substring(0, 4);
    long span = to.getEpochSecond() - from.getEpochSecond();
    Instant updated = from.plusSeconds((long) (random.nextDouble() * span));
    Instant created = updated.minusSeconds((long) (random.nextDouble() * 5 * 365 * 86400));
    List<Map.Entry<String, Object>> props = new ArrayList<>();
    props.add(Map.entry("uuid", uuid));
    props.add(Map.entry("name", name));
    props.add(Map.entry("permalink", permalink));
    Map<String, Object> identifier = new LinkedHashMap<>();
    identifier.put("permalink", permalink);
    identifier.put("image_id", "v1" + Math.abs(random.nextInt()) + "/" + uuid.substring(0, 8)
        + ".png");
    identifier.put("uuid", uuid);
    identifier.put("entity_def_id", "organization");
    identifier.put("value", name);
    props.add(Map.entry("identifier", identifier));
    props.add(Map.entry("created_at", Organizations.datetime(created)));
    props.add(Map.entry("updated_at", Organizations.datetime(updated)));
    String[] place = PLACES[random.nextInt(PLACES.length)];
    if (sometimes()) {
      props.add(Map.entry("website", Map.of("value", "https://" + permalink + ".example.com")));
    }
    if (sometimes()) {
      props.add(Map.entry("short_description", name + " builds " + pick(CATEGORIES)
          .toLowerCase(Locale.ROOT) + " products in " + place[0] + "."));
    }
    if (sometimes()) {
      props.add(Map.entry("company_type", random.nextInt(10) == 0 ? "non_profit" : "for_profit"));
    }
    if (sometimes()) {
      props.add(Map.entry("operating_status", random.nextInt(8) == 0 ? "closed" : "active"));
    }
    if (sometimes()) {
      LocalDate founded = LocalDate.ofInstant(created, ZoneOffset.UTC)
          .minusDays(random.nextInt(3650));
      String precision = pick(PRECISIONS);
      LocalDate shown = precision.equals("day") ? founded
          : precision.equals("month") ? founded.withDayOfMonth(1) : founded.withDayOfYear(1);
      Map<String, Object> date = new LinkedHashMap<>();
      date.put("value", shown.toString());
      date.put("precision", precision);
      props.add(Map.entry("founded_on", date));
    }
    if (sometimes()) {
      List<Object> locations = new ArrayList<>();
      String[] types = {"city", "region", "country", "continent"};
      for (int i = 0; i < 4; i++) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("uuid", nameUuid(place[i]));
        l.put("value", place[i]);
        l.put("permalink", place[i].toLowerCase(Locale.ROOT).replace(' ', '-'));
        l.put("entity_def_id", "location");
        l.put("location_type", types[i]);
        locations.add(l);
      }
      props.add(Map.entry("location_identifiers", locations));
    }
    if (sometimes()) {
      List<String> names = new ArrayList<>(List.of(CATEGORIES));
      Collections.shuffle(names, random);
      List<Object> categories = new ArrayList<>();
      for (String c : names.subList(0, 1 + random.nextInt(4))) {
        Map<String, Object> cat = new LinkedHashMap<>();
        cat.put("uuid", nameUuid(c));
        cat.put("value", c);
        cat.put("permalink", c.toLowerCase(Locale.ROOT).replace(' ', '-'));
        cat.put("entity_def_id", "category");
        categories.add(cat);
      }
      props.add(Map.entry("categories", categories));
    }
    if (sometimes()) {
      long value = (1 + random.nextInt(500)) * 100_000L;
      BigDecimal usd = new BigDecimal(place[5]).multiply(BigDecimal.valueOf(value))
          .setScale(0, java.math.RoundingMode.HALF_UP);
      Map<String, Object> money = new LinkedHashMap<>();
      money.put("value", BigDecimal.valueOf(value));
      money.put("currency", place[4]);
      money.put("value_usd", usd);
      props.add(Map.entry("funding_total", money));
    }
    if (sometimes()) {
      props.add(Map.entry("num_employees_enum", pick(EMPLOYEES)));
    }
    Collections.shuffle(props, random);
    Map<String, Object> e = new LinkedHashMap<>();
    props.forEach(p -> e.put(p.getKey(), p.getValue()));
    return e;
  }

  private boolean sometimes() {
    return random.nextInt(5) != 0;
  }

  private String pick(String[] from) {
    return from[random.nextInt(from.length)];
  }

  private String uuid() {
    return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
  }

  private static String nameUuid(String name) {
    return java.util.UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }
}
