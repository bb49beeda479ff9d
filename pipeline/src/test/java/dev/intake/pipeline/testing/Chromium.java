package dev.intake.pipeline.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium opening local pages: the DOM after the page rendered (scripts, if any, have
 * run) and screenshots. Offline: no network service is contacted. Tests that need it are skipped
 * only when no chromium is installed ({@code .ci} installs Debian's {@code chromium} package).
 */
public final class Chromium {
  private static final Path BINARY = Path.of(
      System.getenv().getOrDefault("INTAKE_CHROMIUM", "/usr/bin/chromium"));

  private final Path work;

  /** A browser whose profiles and outputs go under {@code work}; skips the test without one. */
  public Chromium(Path work) {
    assumeTrue(Files.isExecutable(BINARY),
        BINARY + " is not installed (Debian's chromium package; .ci installs it)");
    this.work = work;
  }

  /** The rendered DOM of {@code page}. */
  public Dom dumpDom(Path page) throws IOException, InterruptedException {
    return new Dom(Files.readString(run(page, "--dump-dom"), StandardCharsets.UTF_8));
  }

  /** A screenshot of {@code page}, 1280 px wide, saved as {@code png}. */
  public void screenshot(Path page, Path png) throws IOException, InterruptedException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=1280,2400",
        "--hide-scrollbars");
    if (!Files.isRegularFile(png) || Files.size(png) == 0) {
      throw new IOException("chromium wrote no screenshot of " + page);
    }
  }

  private Path run(Path page, String... action) throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path profile = Files.createTempDirectory(work, "profile");
    Path out = Files.createTempFile(work, "out", ".html");
    Path err = Files.createTempFile(work, "err", ".txt");
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile));
    command.addAll(List.of(action));
    command.add(page.toAbsolutePath().toUri().toString());
    Process p = new ProcessBuilder(command).directory(work.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("chromium did not finish within 90 s on " + page);
    }
    if (p.exitValue() != 0) {
      throw new IOException("chromium exited with " + p.exitValue() + " on " + page + ": "
          + Files.readString(err));
    }
    return out;
  }

  /** A rendered DOM, serialised as HTML, with look-ups by element id and class. */
  public static final class Dom {
    public final String html;

    Dom(String html) {
      this.html = html;
    }

    /** The text of the element with this id (its content without tags, entities decoded). */
    public String text(String id) {
      Matcher m = Pattern.compile("<(\\w+)[^>]*\\bid=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</\\1>",
          Pattern.DOTALL).matcher(html);
      if (!m.find()) {
        throw new AssertionError("no element with id " + id + " in the page");
      }
      return textOf(m.group(2));
    }

    /** The rows (tr elements) with this class, each as its cells' texts. */
    public List<List<String>> rows(String cssClass) {
      List<List<String>> rows = new ArrayList<>();
      Matcher tr = Pattern.compile("<tr[^>]*\\bclass=\"" + Pattern.quote(cssClass)
          + "( [^\"]*)?\"[^>]*>(.*?)</tr>", Pattern.DOTALL).matcher(html);
      while (tr.find()) {
        List<String> cells = new ArrayList<>();
        Matcher td = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL).matcher(tr.group(2));
        while (td.find()) {
          cells.add(textOf(td.group(1)));
        }
        rows.add(cells);
      }
      return rows;
    }

    /** Every href of a link in the page, in order. */
    public List<String> links() {
      List<String> hrefs = new ArrayList<>();
      Matcher m = Pattern.compile("<a [^>]*href=\"([^\"]*)\"").matcher(html);
      while (m.find()) {
        hrefs.add(decode(m.group(1)));
      }
      return hrefs;
    }

    /** The page's text without tags, entities decoded. */
    public String text() {
      return textOf(html);
    }

    private static String textOf(String fragment) {
      return decode(fragment.replaceAll("(?s)<svg.*?</svg>", "").replaceAll("<[^>]*>", ""))
          .trim();
    }

    private static String decode(String s) {
      return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
          .replace("&#39;", "'").replace("&nbsp;", " ").replace("&amp;", "&");
    }
  }
}
