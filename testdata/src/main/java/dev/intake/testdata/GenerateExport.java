package dev.intake.testdata;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a large synthetic San Francisco 311 export in the format of the real full-load export
 * ({@code rows.csv?accessType=DOWNLOAD} of DataSF dataset vw6y-z8j6): the 47 display-name columns of
 * the real excerpt, {@code MM/dd/yyyy hh:mm:ss a} San Francisco local times, LF line ends, fields
 * quoted only where needed (RFC 4180 quoting: {@code ""} inside quotes), Status Notes with commas,
 * quotes, line breaks and non-ASCII characters, about 5% of records without a location (written as
 * latitude/longitude 0 like the real data).
 *
 * <pre>
 * java -cp testdata/target/intake-testdata-*.jar dev.intake.testdata.GenerateExport \
 *     --rows=1000000 --duplicateShare=0.1 --invalidShare=0.01 --seed=42 --output=/tmp/sf311.csv.gz
 * </pre>
 *
 * <p>Every row is one of:
 *
 * <ul>
 *   <li>the first version of a new case (a fresh CaseID; valid);
 *   <li>an additional version of an earlier valid case ({@code --duplicateShare} of the rows): the
 *       same CaseID, Opened, category and place, but a different Updated time, older or newer than
 *       the first version's (an older one is usually the case still Open), each version of a key
 *       with its own Updated time so that "newest Updated wins" is never a tie;
 *   <li>an invalid record ({@code --invalidShare} of the rows) that breaks exactly one rule of the
 *       spec, the five kinds in turn: an unparseable Opened, an empty CaseID, a latitude out of
 *       range, a Status other than Open/Closed, a Closed before Opened. Invalid records that have a
 *       CaseID have one of their own (never a valid case's).
 * </ul>
 *
 * The counts of duplicates and invalid rows are exact ({@code round(rows * share)}, spread at
 * random over the file), so a full load of the file should report {@code written} = first versions,
 * {@code superseded} = additional versions, {@code rejected} = invalid rows. Output is a pure
 * function of the options; rows are streamed to disk (memory: one int per case for its version
 * count). The file is written to {@code <output>.part} and renamed when complete.
 *
 * <p>{@code --firstOpened=YYYY-MM-DD} (default 2008-07-01) sets where the history starts (it ends
 * in June 2025 unless {@code --lastOpened} says otherwise): an earlier start with proportionally more rows gives a lake with more
 * history (e.g. 1940-07-01 and 5M rows against the default and 1M; rows grow linearly over the
 * history, so its recent months have about the same rows, its older months more).
 *
 * <p>{@code --lastOpened=YYYY-MM-DD} (default 2025-07-01) ends the history earlier, and {@code
 * --firstCase=N} (default 0) numbers the cases from N: a file of older history whose cases are
 * numbered past another file's rows (e.g. {@code --lastOpened=2008-07-01 --firstCase=1000000}
 * beside the default 1M-row file) shares none of its case ids, and the two together are that
 * file's lake with more history before it, every partition of the later years the same.
 *
 * <p>With {@code --changesOf=CASES}, the file holds instead {@code --rows} changes to an export of
 * the same seed and history whose valid cases number CASES (its expected {@code written}): each row
 * a new, newest version (Updated in 2030) of a distinct case, {@code --recentShare} (default 0.9)
 * of them of cases opened in the history's last {@code --recentDays} (default 92) days, the rest
 * picked among all its cases.
 */
public final class GenerateExport {

  /** The kinds of invalid rows, written in turn. */
  public enum Invalid {
    UNPARSEABLE_OPENED("unparseable_opened"),
    EMPTY_CASE_ID("empty_case_id"),
    LATITUDE_OUT_OF_RANGE("latitude_out_of_range"),
    STATUS_NOT_OPEN_CLOSED("status_not_open_closed"),
    CLOSED_BEFORE_OPENED("closed_before_opened");

    public final String label;

    Invalid(String label) {
      this.label = label;
    }
  }

  /** The options; see {@link #usage()}. */
  public static final class Options {
    public long rows = 1_000_000;
    public double duplicateShare = 0.1;
    public double invalidShare = 0.01;
    public long seed = 42;
    public Path output;
    public LocalDate firstOpened = LocalDate.of(2008, 7, 1);
    public long changesOf;
    public double recentShare = 0.9;
    public int recentDays = 92;
    public LocalDate lastOpened = LocalDate.of(2025, 7, 1);
    public long firstCase;

    public static Options parse(String... args) {
      Options o = new Options();
      for (String a : args) {
        int eq = a.indexOf('=');
        if (!a.startsWith("--") || eq < 0) {
          throw new IllegalArgumentException("expected --name=value, got: " + a);
        }
        String name = a.substring(2, eq);
        String value = a.substring(eq + 1);
        try {
          switch (name) {
            case "rows":
              o.rows = Long.parseLong(value.replace("_", ""));
              break;
            case "duplicateShare":
              o.duplicateShare = Double.parseDouble(value);
              break;
            case "invalidShare":
              o.invalidShare = Double.parseDouble(value);
              break;
            case "firstOpened":
              o.firstOpened = LocalDate.parse(value);
              break;
            case "changesOf":
              o.changesOf = Long.parseLong(value.replace("_", ""));
              break;
            case "recentShare":
              o.recentShare = Double.parseDouble(value);
              break;
            case "recentDays":
              o.recentDays = Integer.parseInt(value);
              break;
            case "lastOpened":
              o.lastOpened = LocalDate.parse(value);
              break;
            case "firstCase":
              o.firstCase = Long.parseLong(value.replace("_", ""));
              break;
            case "seed":
              o.seed = Long.parseLong(value);
              break;
            case "output":
              o.output = Paths.get(value);
              break;
            default:
              throw new IllegalArgumentException("unknown option --" + name);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--" + name + ": not a number: " + value);
        }
      }
      if (o.changesOf < 0 || (o.changesOf > 0 && o.rows > o.changesOf)) {
        throw new IllegalArgumentException("--changesOf must be >= --rows (one change per case)");
      }
      if (!(o.recentShare >= 0 && o.recentShare <= 1) || o.recentDays < 1) {
        throw new IllegalArgumentException(
            "--recentShare must be in [0, 1] and --recentDays >= 1");
      }
      if (o.lastOpened.isAfter(LocalDate.of(2025, 7, 1))) {
        throw new IllegalArgumentException("--lastOpened must be 2025-07-01 or before");
      }
      if (!o.firstOpened.isBefore(o.lastOpened.minusMonths(1))) {
        throw new IllegalArgumentException(
            "--firstOpened must be more than a month before --lastOpened (" + o.lastOpened + ")");
      }
      if (o.firstCase < 0 || o.firstCase + o.rows >= (1L << (TWELVE_DIGIT_BITS - 2))) {
        throw new IllegalArgumentException(
            "--firstCase must be >= 0 and --firstCase + --rows below 2^" + (TWELVE_DIGIT_BITS - 2));
      }
      if (o.output == null) {
        throw new IllegalArgumentException("--output is required");
      }
      if (o.rows < 0) {
        throw new IllegalArgumentException("--rows must be >= 0");
      }
      if (!(o.duplicateShare >= 0 && o.invalidShare >= 0
          && o.duplicateShare + o.invalidShare < 1)) {
        throw new IllegalArgumentException(
            "--duplicateShare and --invalidShare must be >= 0 with a sum below 1");
      }
      return o;
    }
  }

  /** What a generation wrote. */
  public static final class Stats {
    public long rows;
    /** Distinct non-empty CaseIDs. */
    public long distinctKeys;
    /** Valid rows that are the first version of their case. */
    public long firstVersions;
    /** Valid rows that are an additional version of an earlier case. */
    public long additionalVersions;
    public final Map<Invalid, Long> invalid = new EnumMap<>(Invalid.class);
    public long bytes;

    Stats() {
      for (Invalid k : Invalid.values()) {
        invalid.put(k, 0L);
      }
    }

    public long invalidRows() {
      return invalid.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The one line printed at the end. */
    public String summary(Path output) {
      StringJoiner kinds = new StringJoiner(" ");
      invalid.forEach((k, v) -> kinds.add(k.label + "=" + v));
      return String.format(Locale.ROOT,
          "rows=%d distinctKeys=%d invalid=%d (%s) | expected full load: written=%d superseded=%d"
              + " rejected=%d | %s %.1f MB",
          rows, distinctKeys, invalidRows(), kinds, firstVersions, additionalVersions,
          invalidRows(), output, bytes / 1e6);
    }
  }

  static String usage() {
    return "usage: GenerateExport --output=FILE(.csv|.csv.gz) [--rows=1000000] [--duplicateShare=0.1]"
        + " [--invalidShare=0.01] [--seed=42] [--firstOpened=2008-07-01] [--lastOpened=2025-07-01]"
        + " [--firstCase=0] [--changesOf=CASES [--recentShare=0.9] [--recentDays=92]]";
  }

  public static void main(String[] args) throws IOException {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(usage());
      return;
    }
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("GenerateExport: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    Stats s = write(o);
    System.out.println(s.summary(o.output));
  }

  /** Writes the file {@code o.output} (gzip if it ends in .gz). */
  public static Stats write(Options o) throws IOException {
    Path out = o.output.toAbsolutePath();
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Path part = out.resolveSibling(out.getFileName() + ".part");
    Stats stats;
    boolean gzip = out.getFileName().toString().endsWith(".gz");
    try (CountingOutputStream counting = new CountingOutputStream(Files.newOutputStream(part))) {
      OutputStream os = gzip ? new FastGzip(counting) : new BufferedOutputStream(counting, 1 << 16);
      try (Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8)) {
        stats = new GenerateExport(o).generate(w);
      }
      stats.bytes = counting.count;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(part);
      throw e;
    }
    Files.move(part, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return stats;
  }

  // ---------------------------------------------------------------------------------------------

  private static final ZoneId SAN_FRANCISCO = ZoneId.of("America/Los_Angeles");
  /** Cases opened from here on have 12-digit ids, earlier ones 8-digit ids. */
  private static final long TWELVE_DIGIT_IDS_FROM = WallClock.of(LocalDateTime.of(2024, 7, 1, 0, 0));
  private static final int EIGHT_DIGIT_BITS = 26; // 10^7 + 2^26 < 10^8
  private static final int TWELVE_DIGIT_BITS = 36; // 10^11 + 2^36 < 10^12
  /** Share of records opened in each hour of the day (per cent-ish weights). */
  private static final Sf311Vocabulary.Weights HOURS = new Sf311Vocabulary.Weights(
      new int[] {2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 9, 9, 9, 9, 8, 7, 6, 5, 5, 4, 4, 3, 2});
  private static final int MISSING_LOCATION_PER_MILLE = 50;
  private static final String NO_ADDRESS = "Not associated with a specific address";
  private static final double LOG_3_YEARS = Math.log(3 * 365 * 86_400.0);
  private static final double LOG_MINUTE = Math.log(60);

  private final Options options;
  private final Sf311Vocabulary vocab = new Sf311Vocabulary();
  private final WallClock clock = new WallClock(SAN_FRANCISCO);
  private final long idSalt;
  /**
   * Cases are opened between these local times ({@code --firstOpened}, {@code --lastOpened}), more
   * of them recently (311 volume grew).
   */
  private final long firstOpened;
  private final long lastOpened;
  /** Versions written so far of valid case v, beyond its first. */
  private int[] versions = new int[1024];

  private GenerateExport(Options options) {
    this.options = options;
    this.idSalt = mix(options.seed ^ 0x5DEECE66DL);
    this.firstOpened = WallClock.of(options.firstOpened.atStartOfDay());
    this.lastOpened = WallClock.of(options.lastOpened.atStartOfDay());
  }

  /** One record's values, reused from row to row. */
  private static final class Rec {
    String id;
    long opened;
    String openedText; // overrides opened when not null
    long closed; // -1: empty
    long updated;
    String status;
    String note;
    int caseType;
    int place; // -1: no location
    String zero; // how the missing location is written
    long lat;
    long lon;
    String latText; // overrides lat when not null
    int houseNumber; // -1: keep the place's address
    int source;
    boolean media;
    long vMix; // per-case constant for newer-version spacing
  }

  private Stats generate(Writer w) throws IOException {
    if (options.changesOf > 0) {
      return generateChanges(w);
    }
    long rows = options.rows;
    long dupLeft = Math.round(rows * options.duplicateShare);
    long invLeft = Math.round(rows * options.invalidShare);
    SplittableRandom rng = new SplittableRandom(options.seed);
    Stats stats = new Stats();
    Rec rec = new Rec();
    StringBuilder sb = new StringBuilder(4096);
    w.write(Sf311Vocabulary.HEADER);
    w.write('\n');
    long valid = 0; // first versions of valid cases so far
    long keyedInvalid = 0; // invalid rows with a CaseID so far
    long invalidIndex = 0;
    for (long row = 0; row < rows; row++) {
      long left = rows - row;
      long u = rng.nextLong(left);
      if (u < invLeft) {
        invLeft--;
        Invalid kind = Invalid.values()[(int) (invalidIndex++ % Invalid.values().length)];
        long x = 2 * (options.firstCase + keyedInvalid) + 1;
        baseCase(rec, x, new SplittableRandom(mix(options.seed * 31 + x)),
            kind == Invalid.LATITUDE_OUT_OF_RANGE);
        if (kind != Invalid.EMPTY_CASE_ID) {
          keyedInvalid++;
        }
        corrupt(rec, kind, rng, invalidIndex / Invalid.values().length);
        stats.invalid.merge(kind, 1L, Long::sum);
      } else if (u < invLeft + dupLeft && valid > 0) {
        dupLeft--;
        long v = rng.nextLong(valid);
        long x = 2 * (options.firstCase + v);
        baseCase(rec, x, new SplittableRandom(mix(options.seed * 31 + x)), false);
        int j = ++versions[(int) v];
        laterVersion(rec, j, rng);
        stats.additionalVersions++;
      } else {
        long v = valid++;
        if (v >= versions.length) {
          versions = Arrays.copyOf(versions, (int) Math.min(Integer.MAX_VALUE - 8, v * 2));
        }
        long x = 2 * (options.firstCase + v);
        baseCase(rec, x, new SplittableRandom(mix(options.seed * 31 + x)), false);
        stats.firstVersions++;
      }
      sb.setLength(0);
      appendRow(sb, rec);
      w.append(sb);
    }
    stats.rows = rows;
    stats.distinctKeys = valid + keyedInvalid;
    return stats;
  }

  /** Newer versions of {@code --rows} distinct valid cases of an export of {@code --changesOf}. */
  private Stats generateChanges(Writer w) throws IOException {
    SplittableRandom rng = new SplittableRandom(mix(options.seed * 7919 + 1));
    long recent = Math.round(options.rows * options.recentShare);
    long recentFrom = lastOpened - options.recentDays * 86_400L;
    long newest = WallClock.of(LocalDateTime.of(2030, 1, 1, 0, 0));
    Set<Long> picked = new HashSet<>();
    Stats stats = new Stats();
    Rec rec = new Rec();
    StringBuilder sb = new StringBuilder(4096);
    w.write(Sf311Vocabulary.HEADER);
    w.write('\n');
    // Recent cases are a few per cent of all: drawn at random until found, within a bound.
    long tries = 0;
    while (picked.size() < options.rows) {
      if (++tries > 1000 * (options.rows + 1000)) {
        throw new IllegalArgumentException("too few cases opened in the last "
            + options.recentDays + " days for " + recent + " recent changes");
      }
      long v = rng.nextLong(options.changesOf);
      long x = 2 * (options.firstCase + v);
      baseCase(rec, x, new SplittableRandom(mix(options.seed * 31 + x)), false);
      boolean isRecent = rec.opened >= recentFrom;
      if (picked.contains(v) || (picked.size() < recent && !isRecent)) {
        continue;
      }
      picked.add(v);
      rec.updated = newest + picked.size() * 60L;
      sb.setLength(0);
      appendRow(sb, rec);
      w.append(sb);
      stats.firstVersions++;
    }
    stats.rows = options.rows;
    stats.distinctKeys = options.rows;
    return stats;
  }

  /** The first version of the case numbered {@code x} (even: valid cases, odd: invalid rows). */
  private void baseCase(Rec r, long x, SplittableRandom cr, boolean needsLocation) {
    // When: a day with linearly growing density, an hour of a typical day, often on the minute.
    long days = (lastOpened - firstOpened) / 86_400;
    long day = (long) (days * Math.sqrt(cr.nextDouble()));
    long sec = HOURS.pick(cr) * 3600L + cr.nextInt(60) * 60L + (cr.nextInt(100) < 65 ? 0 : cr.nextInt(60));
    long opened = clock.skipGap(firstOpened + day * 86_400 + sec);
    boolean open = vocab.status.pick(cr) == 0;
    long closed;
    long updated;
    if (open) {
      closed = -1;
      updated = Math.max(opened, clock.skipGap(opened + logSpread(cr, 0, LOG_3_YEARS - 0.5)));
      r.status = "Open";
      r.note = vocab.openNotes[vocab.openNoteWeights.pick(cr)];
    } else {
      closed = Math.max(opened, clock.skipGap(opened + logSpread(cr, LOG_MINUTE, LOG_3_YEARS)));
      updated = closed;
      r.status = "Closed";
      r.note = vocab.closedNotes[vocab.closedNoteWeights.pick(cr)];
    }
    r.opened = opened;
    r.openedText = null;
    r.closed = closed;
    r.updated = updated;
    boolean twelve = opened >= TWELVE_DIGIT_IDS_FROM || x >= (1L << EIGHT_DIGIT_BITS);
    r.id = twelve
        ? Long.toString(100_000_000_000L + permute(x, TWELVE_DIGIT_BITS))
        : Long.toString(10_000_000L + permute(x, EIGHT_DIGIT_BITS));
    r.caseType = vocab.caseTypes.pick(cr);
    boolean missing = cr.nextInt(1000) < MISSING_LOCATION_PER_MILLE;
    int place = cr.nextInt(vocab.lat.length);
    long jitterLat = cr.nextLong(1_000_000_000L) - 500_000_000L; // ±0.0005°
    long jitterLon = cr.nextLong(1_000_000_000L) - 500_000_000L;
    int zeroForm = cr.nextInt(10);
    int houseDelta = cr.nextInt(81) - 40;
    if (missing && !needsLocation) {
      r.place = -1;
      r.zero = zeroForm == 0 ? "0.000000000000" : "0";
    } else {
      r.place = place;
      // Rounded to the decimals the place is written with, so that Point shows the same value.
      r.lat = round(clamp(vocab.lat[place] + jitterLat, 37_600_000_000_000L, 37_900_000_000_000L),
          vocab.latDecimals[place]);
      r.lon = round(clamp(vocab.lon[place] + jitterLon, -123_200_000_000_000L, -122_300_000_000_000L),
          vocab.lonDecimals[place]);
      r.houseNumber = houseNumber(vocab.address[place], houseDelta);
    }
    r.latText = null;
    r.source = SOURCE_WEIGHTS.pick(cr);
    r.media = cr.nextInt(1000) < Sf311Vocabulary.SOURCE_MEDIA_PER_MILLE[r.source];
    r.vMix = mix(x ^ idSalt);
  }

  /**
   * Turns the first version into its j-th additional version: a different Updated time, older
   * (usually the case still Open) or newer (possibly now Closed) than the first version's.
   */
  private void laterVersion(Rec r, int j, SplittableRandom rng) {
    long first = r.updated;
    boolean older = rng.nextBoolean();
    long span = (first - r.opened) / 64;
    long t = first - j * span;
    if (older && span >= 1 && j < 64 && !clock.inGap(t)) {
      // Between Opened and the first version's Updated; distinct per j.
      r.updated = t;
      if (r.closed < 0 || t < r.closed) {
        if (r.closed >= 0) {
          r.note = vocab.openNotes[vocab.openNoteWeights.pick(rng)];
        }
        r.status = "Open";
        r.closed = -1;
      }
      return;
    }
    // Newer: spaced by a per-case step of 2 h to 30 days, so versions never share a time even
    // when one is moved past a DST gap.
    long step = 7200 + Math.floorMod(r.vMix, 30L * 86_400 - 7200);
    r.updated = clock.skipGap(first + j * step);
    if (r.closed < 0 && rng.nextInt(100) < 60) {
      r.status = "Closed";
      r.closed = r.updated;
      r.note = vocab.closedNotes[vocab.closedNoteWeights.pick(rng)];
    }
  }

  private static final String[] STATUSES_OTHER = {"Pending", "In Progress", "Reopened", "Assigned"};
  private static final String[] LATITUDES_OUT = {"95.0", "-95.0", "377.76156", "95.000000000000"};

  /** Breaks exactly one rule; {@code n} counts the rows of this kind so far, for variety. */
  private void corrupt(Rec r, Invalid kind, SplittableRandom rng, long n) {
    switch (kind) {
      case UNPARSEABLE_OPENED:
        r.openedText = unparseable(r.opened, (int) (n % 5));
        break;
      case EMPTY_CASE_ID:
        r.id = "";
        break;
      case LATITUDE_OUT_OF_RANGE:
        r.latText = LATITUDES_OUT[(int) (n % LATITUDES_OUT.length)];
        break;
      case STATUS_NOT_OPEN_CLOSED:
        r.status = STATUSES_OTHER[(int) (n % STATUSES_OTHER.length)];
        break;
      case CLOSED_BEFORE_OPENED:
        r.status = "Closed";
        r.note = vocab.closedNotes[vocab.closedNoteWeights.pick(rng)];
        r.closed = clock.skipGap(r.opened - 86_400 - rng.nextInt(30 * 86_400));
        r.updated = Math.max(r.opened, clock.skipGap(r.opened + rng.nextInt(10 * 86_400)));
        break;
      default:
        throw new IllegalStateException();
    }
  }

  /** An Opened value no {@code MM/dd/yyyy hh:mm:ss a} parser accepts, in five styles. */
  private String unparseable(long opened, int style) {
    StringBuilder sb = new StringBuilder(24);
    clock.appendExport(sb, opened);
    String s = sb.toString(); // MM/dd/yyyy hh:mm:ss AM
    switch (style) {
      case 0: // month 13
        return "13" + s.substring(2);
      case 1: // February 30
        return "02/30" + s.substring(5);
      case 2: // no seconds
        return s.substring(0, 16) + s.substring(19);
      case 3: // 24-hour clock with a meridiem
        return s.substring(0, 11) + "17" + s.substring(13, 20) + "PM";
      default:
        return "N/A";
    }
  }

  // ---------------------------------------------------------------------------------------------

  private void appendRow(StringBuilder sb, Rec r) {
    sb.append(r.id).append(',');
    if (r.openedText != null) {
      field(sb, r.openedText);
    } else {
      clock.appendExport(sb, r.opened);
    }
    sb.append(',');
    if (r.closed >= 0) {
      clock.appendExport(sb, r.closed);
    }
    sb.append(',');
    clock.appendExport(sb, r.updated);
    sb.append(',');
    field(sb, r.status).append(',');
    field(sb, r.note).append(',');
    int t = r.caseType;
    field(sb, vocab.agency[t]).append(',');
    field(sb, vocab.category[t]).append(',');
    field(sb, vocab.requestType[t]).append(',');
    field(sb, vocab.requestDetails[t]).append(',');
    int p = r.place;
    if (p < 0) {
      sb.append(NO_ADDRESS).append(",,,,,"); // Address, Street, Sup. District, Neighborhood, Police
      sb.append(r.zero).append(',').append(r.zero).append(",\"(0.0, 0.0)\",");
    } else {
      String address = vocab.address[p];
      if (r.houseNumber >= 0) {
        address = r.houseNumber + address.substring(address.indexOf(' '));
      }
      field(sb, address);
      sb.append(',');
      field(sb, vocab.street[p]).append(',');
      sb.append(vocab.supervisorDistrict[p]).append(',');
      field(sb, vocab.neighborhood[p]).append(',');
      sb.append(vocab.policeDistrict[p]).append(',');
      if (r.latText != null) {
        sb.append(r.latText);
      } else {
        decimal(sb, r.lat, vocab.latDecimals[p], false);
      }
      sb.append(',');
      decimal(sb, r.lon, vocab.lonDecimals[p], false);
      sb.append(",\"(");
      if (r.latText != null) {
        sb.append(r.latText);
      } else {
        decimal(sb, r.lat, 8, true);
      }
      sb.append(", ");
      decimal(sb, r.lon, 8, true);
      sb.append(")\",");
    }
    sb.append(Sf311Vocabulary.SOURCES[r.source]).append(',');
    if (r.media && !r.id.isEmpty()) {
      sb.append("http://mobile311.sfgov.org/reports/").append(r.id).append("/photos");
    }
    if (p < 0) {
      for (int i = 0; i < Sf311Vocabulary.COMPUTED_REGIONS; i++) {
        sb.append(',');
      }
    } else {
      for (String c : vocab.computed[p]) {
        sb.append(',').append(c);
      }
    }
    sb.append('\n');
  }

  /** Appends a CSV field, quoted only if it has a comma, quote or line break. */
  private static StringBuilder field(StringBuilder sb, String s) {
    boolean quote = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ',' || c == '"' || c == '\n' || c == '\r') {
        quote = true;
        break;
      }
    }
    if (!quote) {
      return sb.append(s);
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    return sb.append('"');
  }

  private static final long[] POW10 = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L,
    1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L
  };

  /** Appends {@code units} × 1e-12 rounded to {@code decimals} places, optionally without
   * trailing zeros (but with at least one decimal). */
  private static void decimal(StringBuilder sb, long units, int decimals, boolean stripZeros) {
    decimals = Math.max(1, Math.min(decimals, 12));
    long scale = POW10[12 - decimals];
    long q = (Math.abs(units) + scale / 2) / scale;
    if (units < 0) {
      sb.append('-');
    }
    sb.append(q / POW10[decimals]).append('.');
    long frac = q % POW10[decimals];
    int digits = decimals;
    if (stripZeros) {
      while (digits > 1 && frac % 10 == 0) {
        frac /= 10;
        digits--;
      }
    }
    String f = Long.toString(frac);
    for (int i = f.length(); i < digits; i++) {
      sb.append('0');
    }
    sb.append(f);
  }

  /** A new house number near the real one, or -1 if the address does not start with one. */
  private static int houseNumber(String address, int delta) {
    int i = 0;
    int n = 0;
    while (i < address.length() && i < 6 && Character.isDigit(address.charAt(i))) {
      n = n * 10 + (address.charAt(i) - '0');
      i++;
    }
    if (i == 0 || i >= address.length() || address.charAt(i) != ' ') {
      return -1;
    }
    return Math.max(1, n + delta);
  }

  /** e^x - 1 seconds, x spread triangularly between lo and hi (log-scale hump in the middle). */
  private static long logSpread(SplittableRandom r, double lo, double hi) {
    double x = lo + (hi - lo) * (r.nextDouble() + r.nextDouble()) / 2;
    return (long) Math.expm1(x);
  }

  /** {@code units} (of 1e-12) rounded half away from zero to {@code decimals} places. */
  private static long round(long units, int decimals) {
    long scale = POW10[12 - Math.max(1, Math.min(decimals, 12))];
    long q = (Math.abs(units) + scale / 2) / scale * scale;
    return units < 0 ? -q : q;
  }

  private static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  /** A bijection of [0, 2^bits) (xor, odd multiplies and xorshifts, all mod 2^bits). */
  private long permute(long x, int bits) {
    long mask = (1L << bits) - 1;
    x = (x ^ idSalt) & mask;
    x = (x * 0x9E3779B97F4A7C15L) & mask;
    x ^= x >>> (bits / 2);
    x = (x * 0xC2B2AE3D27D4EB4FL) & mask;
    x ^= x >>> (bits / 2 + 1);
    return x;
  }

  /** SplitMix64's finalizer. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static final Sf311Vocabulary.Weights SOURCE_WEIGHTS =
      new Sf311Vocabulary.Weights(Sf311Vocabulary.SOURCE_WEIGHTS);

  private static final class CountingOutputStream extends OutputStream {
    private final OutputStream out;
    long count;

    CountingOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** gzip at the fastest level: a 1M-row file compresses several times faster than at level 6. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(new BufferedOutputStream(out, 1 << 16), 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
