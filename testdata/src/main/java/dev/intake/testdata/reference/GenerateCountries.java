package dev.intake.testdata.reference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes the ISO 3166 country reference that Intake bundles
 * ({@code pipeline/src/main/resources/specs/references/iso3166_countries.csv}): one row per
 * country code the JDK knows ({@link Locale#getISOCountries()}), with its alpha-2 and alpha-3
 * codes and English name from the JDK's own locale data, and the UN M49 region, sub-region and
 * intermediate region from {@code testdata/references/m49_regions.csv} (by alpha-3; empty where M49
 * assigns none). Rows are sorted by alpha-2; the English names must be unique (they are the key the
 * Crunchbase spec joins on). Usage: {@code GenerateCountries <m49_regions.csv> <output.csv>}.
 */
public final class GenerateCountries {
  private GenerateCountries() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: GenerateCountries <m49_regions.csv> <output.csv>");
      System.exit(2);
    }
    Files.writeString(Path.of(args[1]), csv(regions(Path.of(args[0]))), StandardCharsets.UTF_8);
  }

  /** alpha-3 → [region, subregion, intermediate region], from the M49 file. */
  static Map<String, String[]> regions(Path m49) throws IOException {
    Map<String, String[]> regions = new HashMap<>();
    List<String> lines = Files.readAllLines(m49, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f.length != 4) {
        throw new IllegalArgumentException(m49 + ": expected 4 fields: " + line);
      }
      regions.put(f[0], new String[] {f[1], f[2], f[3]});
    }
    return regions;
  }

  /** The reference's text: a header and one line per JDK country code. */
  static String csv(Map<String, String[]> regions) {
    Map<String, String> lines = new TreeMap<>();
    Set<String> names = new HashSet<>();
    for (String alpha2 : Locale.getISOCountries()) {
      Locale country = new Locale("", alpha2);
      String alpha3 = country.getISO3Country();
      String name = country.getDisplayCountry(Locale.ENGLISH);
      if (!names.add(name)) {
        throw new IllegalStateException("two country codes share the English name " + name);
      }
      String[] region = regions.getOrDefault(alpha3, new String[] {"", "", ""});
      List<String> fields = new ArrayList<>(List.of(alpha2, alpha3, name));
      fields.addAll(List.of(region));
      List<String> quoted = new ArrayList<>();
      fields.forEach(f -> quoted.add(quote(f)));
      lines.put(alpha2, String.join(",", quoted));
    }
    StringBuilder sb =
        new StringBuilder("alpha2,alpha3,name,region,subregion,intermediate_region\n");
    lines.values().forEach(l -> sb.append(l).append('\n'));
    return sb.toString();
  }

  private static String quote(String field) {
    return field.contains(",") || field.contains("\"")
        ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
  }
}
