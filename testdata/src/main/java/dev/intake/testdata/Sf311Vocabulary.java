package dev.intake.testdata;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The values GenerateExport draws from, taken from the real export excerpt
 * ({@code testdata/sf311/export_2021-05_first1000.csv}) by {@code tools/extract_sf311_vocabulary.py}
 * into the TSV resources beside this class: the combinations of Category, Request Type, Request
 * Details and Responsible Agency with their frequencies, the real locations (address, street,
 * districts, neighborhood, computed regions), and the pairs of Status and Status Notes.
 */
final class Sf311Vocabulary {
  private static final String DIR = "/dev/intake/testdata/sf311/";

  /** The 47 columns of the real export, exactly as its first line writes them. */
  static final String HEADER =
      "CaseID,Opened,Closed,Updated,Status,Status Notes,Responsible Agency,Category,Request Type,"
          + "Request Details,Address,Street,Supervisor District,Neighborhood,Police District,"
          + "Latitude,Longitude,Point,Source,Media URL,SF Find Neighborhoods,Current Police Districts,"
          + "Current Supervisor Districts,Analysis Neighborhoods,DELETE - Supervisor Districts,"
          + "DELETE - Fire Prevention Districts,DELETE - Current Police Districts,"
          + "DELETE - Zip Codes,DELETE - Police Districts,DELETE - Neighborhoods,"
          + "DELETE - Neighborhoods_from_fyvs_ahh9,DELETE - 2017 Fix It Zones,"
          + "DELETE - SF Find Neighborhoods,Civic Center Harm Reduction Project Boundary,"
          + "DELETE - Current Supervisor Districts,Fix It Zones as of 2017-11-06 ,"
          + "Invest In Neighborhoods (IIN) Areas,DELETE - HSOC Zones,Fix It Zones as of 2018-02-07,"
          + "\"CBD, BID and GBD Boundaries as of 2017\",Central Market/Tenderloin Boundary,"
          + "\"Areas of Vulnerability, 2016\",Central Market/Tenderloin Boundary Polygon - Updated,"
          + "HSOC Zones as of 2018-06-05,OWED Public Spaces,Parks Alliance CPSI (27+TL sites),"
          + "Neighborhoods";

  static final int COLUMNS = 47;
  /** Columns after Media URL: Socrata's computed regions (numbers or empty). */
  static final int COMPUTED_REGIONS = 27;

  /** Source and the share of its records (per mille) that carry a Media URL, as in the excerpt. */
  static final String[] SOURCES = {
    "Mobile/Open311", "Phone", "Web", "Integrated Agency", "Twitter", "Other Department"
  };
  static final int[] SOURCE_WEIGHTS = {574, 263, 142, 18, 2, 1};
  static final int[] SOURCE_MEDIA_PER_MILLE = {861, 0, 197, 0, 1000, 0};

  /** A weighted choice among n items. */
  static final class Weights {
    private final int[] cumulative;

    Weights(int[] weights) {
      cumulative = new int[weights.length];
      int sum = 0;
      for (int i = 0; i < weights.length; i++) {
        if (weights[i] < 0) {
          throw new IllegalArgumentException("negative weight");
        }
        sum += weights[i];
        cumulative[i] = sum;
      }
      if (sum <= 0) {
        throw new IllegalArgumentException("no weight");
      }
    }

    int pick(SplittableRandom r) {
      int x = r.nextInt(cumulative[cumulative.length - 1]);
      int i = Arrays.binarySearch(cumulative, x + 1);
      return i >= 0 ? i : -i - 1;
    }
  }

  // Case types.
  final String[] category;
  final String[] requestType;
  final String[] requestDetails;
  final String[] agency;
  final Weights caseTypes;

  // Places: latitude and longitude in units of 1e-12 degrees, with the decimals written.
  final long[] lat;
  final long[] lon;
  final int[] latDecimals;
  final int[] lonDecimals;
  final String[] address;
  final String[] street;
  final String[] supervisorDistrict;
  final String[] neighborhood;
  final String[] policeDistrict;
  final String[][] computed;

  // Status notes, one table per status.
  final String[] openNotes;
  final Weights openNoteWeights;
  final String[] closedNotes;
  final Weights closedNoteWeights;
  /** Weights of Open and Closed records in the excerpt. */
  final Weights status;

  Sf311Vocabulary() {
    List<String[]> types = read("case-types.tsv", 5);
    int n = types.size();
    category = new String[n];
    requestType = new String[n];
    requestDetails = new String[n];
    agency = new String[n];
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      String[] t = types.get(i);
      w[i] = Integer.parseInt(t[0]);
      category[i] = t[1];
      requestType[i] = t[2];
      requestDetails[i] = t[3];
      agency[i] = t[4];
    }
    caseTypes = new Weights(w);

    List<String[]> places = read("places.tsv", 7 + COMPUTED_REGIONS);
    n = places.size();
    lat = new long[n];
    lon = new long[n];
    latDecimals = new int[n];
    lonDecimals = new int[n];
    address = new String[n];
    street = new String[n];
    supervisorDistrict = new String[n];
    neighborhood = new String[n];
    policeDistrict = new String[n];
    computed = new String[n][];
    for (int i = 0; i < n; i++) {
      String[] p = places.get(i);
      BigDecimal la = new BigDecimal(p[0]);
      BigDecimal lo = new BigDecimal(p[1]);
      lat[i] = la.movePointRight(12).longValueExact();
      lon[i] = lo.movePointRight(12).longValueExact();
      latDecimals[i] = Math.max(1, la.scale());
      lonDecimals[i] = Math.max(1, lo.scale());
      address[i] = p[2];
      street[i] = p[3];
      supervisorDistrict[i] = p[4];
      neighborhood[i] = p[5];
      policeDistrict[i] = p[6];
      computed[i] = Arrays.copyOfRange(p, 7, 7 + COMPUTED_REGIONS);
    }

    List<String[]> notes = read("status-notes.tsv", 3);
    List<String> open = new ArrayList<>();
    List<String> closed = new ArrayList<>();
    List<Integer> openW = new ArrayList<>();
    List<Integer> closedW = new ArrayList<>();
    for (String[] t : notes) {
      if (t[1].equals("Open")) {
        open.add(t[2]);
        openW.add(Integer.parseInt(t[0]));
      } else if (t[1].equals("Closed")) {
        closed.add(t[2]);
        closedW.add(Integer.parseInt(t[0]));
      } else {
        throw new IllegalStateException("status-notes.tsv: unexpected status " + t[1]);
      }
    }
    openNotes = open.toArray(new String[0]);
    closedNotes = closed.toArray(new String[0]);
    openNoteWeights = new Weights(openW.stream().mapToInt(Integer::intValue).toArray());
    closedNoteWeights = new Weights(closedW.stream().mapToInt(Integer::intValue).toArray());
    status = new Weights(new int[] {
        openW.stream().mapToInt(Integer::intValue).sum(),
        closedW.stream().mapToInt(Integer::intValue).sum()});
  }

  private static List<String[]> read(String name, int width) {
    try (InputStream in = Sf311Vocabulary.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + DIR + name + " is missing");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<String[]> out = new ArrayList<>();
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("#") || line.isEmpty()) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length != width) {
          throw new IllegalStateException(name + ": " + f.length + " fields where " + width
              + " were expected: " + line);
        }
        for (int i = 0; i < f.length; i++) {
          f[i] = unescape(f[i]);
        }
        out.add(f);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        sb.append(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
