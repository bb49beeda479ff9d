package dev.intake.testdata;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateExportTest {
  private static final DateTimeFormatter EXPORT_TIME =
      DateTimeFormatter.ofPattern("MM/dd/uuuu hh:mm:ss a", Locale.US)
          .withResolverStyle(ResolverStyle.STRICT);
  private static final Path REAL_EXCERPT = Paths.get("sf311/export_2021-05_first1000.csv");

  @TempDir static Path dir;
  static Path csv;
  static GenerateExport.Stats stats;
  static List<List<String>> records;

  @BeforeAll
  static void generate() throws IOException {
    csv = dir.resolve("sf311.csv");
    stats = GenerateExport.write(GenerateExport.Options.parse(
        "--rows=2000", "--seed=42", "--duplicateShare=0.1", "--invalidShare=0.01",
        "--output=" + csv));
    records = Rfc4180.parse(Files.readString(csv, StandardCharsets.UTF_8));
  }

  @Test
  void headerIsTheRealExportsHeader() throws IOException {
    String realFirstLine = Files.readAllLines(REAL_EXCERPT, StandardCharsets.UTF_8).get(0);
    String firstLine = Files.readAllLines(csv, StandardCharsets.UTF_8).get(0);
    assertThat(firstLine, equalTo(realFirstLine));
    List<String> header = records.get(0);
    assertThat(header, hasSize(47));
    assertThat(header.subList(0, 6),
        contains("CaseID", "Opened", "Closed", "Updated", "Status", "Status Notes"));
    assertThat(header.get(35), equalTo("Fix It Zones as of 2017-11-06 "));
    assertThat(header.get(39), equalTo("CBD, BID and GBD Boundaries as of 2017"));
    assertThat(header.get(41), equalTo("Areas of Vulnerability, 2016"));
  }

  @Test
  void countsForSeed42() {
    List<List<String>> rows = records.subList(1, records.size());
    assertThat(rows, hasSize(2000));
    for (List<String> r : rows) {
      assertThat(r, hasSize(47));
    }
    Set<String> ids = new HashSet<>();
    Map<String, Integer> invalid = new TreeMap<>();
    Map<String, List<String>> versions = new HashMap<>();
    for (List<String> r : rows) {
      if (!r.get(0).isEmpty()) {
        ids.add(r.get(0));
      }
      List<String> broken = brokenRules(r);
      assertThat("at most one rule broken: " + r, broken.size(), lessThan(2));
      if (broken.isEmpty()) {
        checkValid(r);
        versions.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(r.get(3));
      } else {
        invalid.merge(broken.get(0), 1, Integer::sum);
      }
    }
    assertThat(ids.size(), is(1796));
    assertThat(invalid, equalTo(Map.of(
        "unparseable_opened", 4,
        "empty_case_id", 4,
        "latitude_out_of_range", 4,
        "status_not_open_closed", 4,
        "closed_before_opened", 4)));
    // 1780 valid cases, 200 of their rows additional versions, none sharing an Updated time.
    assertThat(versions.size(), is(1780));
    long additional = versions.values().stream().mapToLong(v -> v.size() - 1).sum();
    assertThat(additional, is(200L));
    for (List<String> v : versions.values()) {
      assertThat("distinct Updated per key " + v, new HashSet<>(v).size(), is(v.size()));
    }
    // Some additional versions are older than the first one, some newer.
    int older = 0;
    int newer = 0;
    for (List<String> v : versions.values()) {
      LocalDateTime first = time(v.get(0));
      for (String u : v.subList(1, v.size())) {
        if (time(u).isBefore(first)) {
          older++;
        } else {
          newer++;
        }
      }
    }
    assertThat(older, greaterThan(50));
    assertThat(newer, greaterThan(50));

    assertThat(stats.rows, is(2000L));
    assertThat(stats.distinctKeys, is(1796L));
    assertThat(stats.firstVersions, is(1780L));
    assertThat(stats.additionalVersions, is(200L));
    assertThat(stats.invalidRows(), is(20L));
  }

  @Test
  void realisticQuirks() {
    List<List<String>> rows = records.subList(1, records.size());
    long missingLocation = rows.stream().filter(r -> isZero(r.get(15)) && isZero(r.get(16))).count();
    assertThat(missingLocation, allOf(greaterThan(60L), lessThan(140L))); // about 5%
    for (List<String> r : rows) {
      if (isZero(r.get(15))) {
        assertThat(r.get(17), equalTo("(0.0, 0.0)"));
        assertThat(r.get(10), equalTo("Not associated with a specific address"));
      }
    }
    assertThat(rows.stream().filter(r -> r.get(5).contains("\n")).count(), greaterThan(20L));
    assertThat(rows.stream().filter(r -> r.get(5).contains("\"")).count(), greaterThan(2L));
    assertThat(rows.stream().filter(r -> r.get(5).contains(",")).count(), greaterThan(20L));
    assertThat(rows.stream().filter(r -> r.get(0).length() == 12).count(), greaterThan(0L));
    assertThat(rows.stream().filter(r -> r.get(0).length() == 8).count(), greaterThan(0L));
  }

  @Test
  void sameSeedSameBytesAndGzipHoldsTheSameText(@TempDir Path other) throws IOException {
    Path again = other.resolve("again.csv");
    Path gz = other.resolve("again.csv.gz");
    GenerateExport.write(GenerateExport.Options.parse("--rows=2000", "--seed=42", "--output=" + again));
    GenerateExport.write(GenerateExport.Options.parse("--rows=2000", "--seed=42", "--output=" + gz));
    byte[] expected = Files.readAllBytes(csv);
    assertThat(Files.readAllBytes(again), equalTo(expected));
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      assertThat(in.readAllBytes(), equalTo(expected));
    }
    Path seed7 = other.resolve("seed7.csv");
    GenerateExport.write(GenerateExport.Options.parse("--rows=2000", "--seed=7", "--output=" + seed7));
    assertThat(Files.readAllBytes(seed7).equals(expected), is(false));
    try (var files = Files.list(other)) {
      assertThat(files.filter(p -> p.toString().endsWith(".part")).toList(), empty());
    }
  }

  @Test
  void olderHistoryNumberedPastAFileSharesNoCaseWithItAndEndsWhereItStarts(@TempDir Path other)
      throws IOException {
    Path older = other.resolve("older.csv");
    GenerateExport.Stats o = GenerateExport.write(GenerateExport.Options.parse(
        "--rows=4000", "--seed=42", "--firstOpened=1974-07-01", "--lastOpened=2008-07-01",
        "--firstCase=2000", "--output=" + older));
    List<List<String>> rows = Rfc4180.parse(Files.readString(older, StandardCharsets.UTF_8));
    Set<String> later = new HashSet<>();
    for (List<String> r : records.subList(1, records.size())) {
      later.add(r.get(0));
    }
    Set<String> ids = new HashSet<>();
    LocalDateTime first = LocalDateTime.of(1974, 7, 1, 0, 0);
    LocalDateTime last = LocalDateTime.of(2008, 7, 1, 0, 0);
    for (List<String> r : rows.subList(1, rows.size())) {
      if (!r.get(0).isEmpty()) {
        ids.add(r.get(0));
        assertThat(r.get(0), later.contains(r.get(0)), is(false));
      }
      LocalDateTime opened = timeOrNull(r.get(1));
      if (opened != null) {
        assertThat(r.get(1), opened.isBefore(first), is(false));
        assertThat(r.get(1), opened.isBefore(last.plusDays(1)), is(true));
      }
    }
    assertThat((long) ids.size(), is(o.distinctKeys));
    assertThat(o.rows, is(4000L));
    // The default numbering and history give the file generate() wrote, byte for byte.
    Path again = other.resolve("again.csv");
    GenerateExport.write(GenerateExport.Options.parse("--rows=2000", "--seed=42",
        "--firstCase=0", "--lastOpened=2025-07-01", "--output=" + again));
    assertThat(Files.readAllBytes(again), equalTo(Files.readAllBytes(csv)));
  }

  // --- the rules of specs/sf311.yaml that the invalid rows break --------------------------------

  private static List<String> brokenRules(List<String> r) {
    List<String> broken = new ArrayList<>();
    LocalDateTime opened = timeOrNull(r.get(1));
    if (opened == null) {
      broken.add("unparseable_opened");
    }
    if (r.get(0).isEmpty()) {
      broken.add("empty_case_id");
    }
    double lat = Double.parseDouble(r.get(15));
    if (lat != 0 && (lat < 37.6 || lat > 37.9)) {
      broken.add("latitude_out_of_range");
    }
    if (!r.get(4).equals("Open") && !r.get(4).equals("Closed")) {
      broken.add("status_not_open_closed");
    }
    if (opened != null && !r.get(2).isEmpty() && time(r.get(2)).isBefore(opened)) {
      broken.add("closed_before_opened");
    }
    return broken;
  }

  private static void checkValid(List<String> r) {
    assertThat(r.get(0), r.get(0).matches("[1-9][0-9]{7,11}"), is(true));
    LocalDateTime opened = time(r.get(1));
    LocalDateTime updated = time(r.get(3));
    assertThat("Updated >= Opened: " + r, updated.isBefore(opened), is(false));
    boolean open = r.get(4).equals("Open");
    assertThat("Closed empty iff Open: " + r, r.get(2).isEmpty(), is(open));
    if (!open) {
      LocalDateTime closed = time(r.get(2));
      assertThat("Closed >= Opened: " + r, closed.isBefore(opened), is(false));
      assertThat("Updated >= Closed: " + r, updated.isBefore(closed), is(false));
    }
    double lon = Double.parseDouble(r.get(16));
    assertThat(r.toString(), lon == 0 || (lon >= -123.2 && lon <= -122.3), is(true));
  }

  private static boolean isZero(String s) {
    return Double.parseDouble(s) == 0;
  }

  private static LocalDateTime time(String s) {
    LocalDateTime t = timeOrNull(s);
    if (t == null) {
      throw new AssertionError("not an export timestamp: " + s);
    }
    return t;
  }

  private static LocalDateTime timeOrNull(String s) {
    try {
      return LocalDateTime.parse(s, EXPORT_TIME);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A small RFC 4180 reader: quoted fields with "" escapes and line breaks; CRLF or LF. */
  static final class Rfc4180 {
    static List<List<String>> parse(String s) {
      List<List<String>> records = new ArrayList<>();
      List<String> record = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      int i = 0;
      int n = s.length();
      while (i < n) {
        if (s.charAt(i) == '"') {
          i++;
          while (true) {
            if (i >= n) {
              throw new IllegalArgumentException("end of input inside a quoted field");
            }
            char c = s.charAt(i++);
            if (c != '"') {
              field.append(c);
            } else if (i < n && s.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          }
        } else {
          while (i < n && s.charAt(i) != ',' && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            char c = s.charAt(i++);
            if (c == '"') {
              throw new IllegalArgumentException("a quote inside an unquoted field at " + i);
            }
            field.append(c);
          }
        }
        record.add(field.toString());
        field.setLength(0);
        if (i == n) {
          break;
        }
        char d = s.charAt(i++);
        if (d == ',') {
          if (i == n) {
            record.add("");
          }
          continue;
        }
        if (d == '\r' && i < n && s.charAt(i) == '\n') {
          i++;
        } else if (d != '\n' && d != '\r') {
          throw new IllegalArgumentException("text after a closing quote at " + i);
        }
        records.add(record);
        record = new ArrayList<>();
      }
      if (!record.isEmpty()) {
        records.add(record);
      }
      return records;
    }
  }

  @Test
  void readerHandlesQuotesCommasAndLineBreaks() {
    assertThat(Rfc4180.parse("a,\"b,c\",\"say \"\"hi\"\"\nbye\"\r\n,x,\n"),
        contains(List.of("a", "b,c", "say \"hi\"\nbye"), List.of("", "x", "")));
  }
}
