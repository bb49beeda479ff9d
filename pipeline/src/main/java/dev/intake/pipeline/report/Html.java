package dev.intake.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Text for HTML pages: every value that comes from a summary or from data goes through {@link
 * #esc}, which makes it inert in element content and in quoted attribute values.
 */
final class Html {
  private Html() {}

  /** {@code s} with {@code & < > " '} escaped; null as the empty string. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The text of a node: numbers as written in the JSON, strings unquoted, missing as "". */
  static String text(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "";
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }

  /** A whole number with thousands separators (1,234,567). */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Seconds as "12.3 s", "4 min 05 s" or "1 h 02 min". */
  static String duration(double seconds) {
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1f s", seconds);
    }
    long s = Math.round(seconds);
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
  }

  /** A share 0..1 as a percentage with one decimal. */
  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  /** {@code text} cut to {@code max} characters, with "…" and the original length when cut. */
  static String truncate(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + "… (" + text.length() + " characters)";
  }

  /** The page's inline style sheet: no fonts, images or scripts to fetch. */
  static final String STYLE = String.join("\n",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px auto;",
      "max-width:1100px;padding:0 16px;color:#1f2328;line-height:1.4}",
      "h1{font-size:22px;margin:0 0 8px}h3{font-size:14px;margin:12px 0 4px}h2{font-size:17px;margin:28px 0 8px;",
      "border-bottom:1px solid #d0d7de;padding-bottom:4px}",
      "table{border-collapse:collapse;margin:6px 0}th,td{padding:3px 10px;text-align:left;",
      "border-bottom:1px solid #eaeef2;vertical-align:top}th{background:#f6f8fa;font-weight:600}",
      "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}",
      ".status{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;",
      "color:#fff;background:#6e7781}.status-succeeded{background:#1a7f37}",
      ".status-failed,.status-refused{background:#cf222e}.status-running{background:#9a6700}",
      ".error{border:2px solid #cf222e;background:#ffebe9;padding:10px 14px;margin:12px 0;",
      "border-radius:6px;font-size:15px}.error strong{color:#a40e26}",
      ".ok{color:#1a7f37}.bad{color:#cf222e;font-weight:600}",
      "tr.breached td{background:#ffebe9}dl.facts{display:grid;grid-template-columns:max-content",
      " auto;gap:2px 16px;margin:8px 0}dl.facts dt{color:#57606a}dl.facts dd{margin:0}",
      "pre.raw{background:#f6f8fa;padding:6px 8px;margin:2px 0 8px;white-space:pre-wrap;",
      "word-break:break-all;font-size:12px;max-width:1000px}",
      ".sample{margin:4px 0 4px 16px}.muted{color:#57606a;font-size:13px}",
      "svg text{font-family:inherit;font-size:11px;fill:#1f2328}",
      "ul.compact{margin:4px 0;padding-left:20px}.nowrap{white-space:nowrap}",
      "td.why{min-width:280px;max-width:480px;overflow-wrap:anywhere}");
}
