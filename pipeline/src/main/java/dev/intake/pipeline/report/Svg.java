package dev.intake.pipeline.report;

import java.util.List;
import java.util.Locale;

/**
 * Charts as inline SVG, drawn here so that a report needs nothing from the network: horizontal
 * bars (one per label), columns over a sequence (one per day) and a share bar. Labels are escaped;
 * each bar carries a {@code <title>} with its exact figure, which a browser shows on hover.
 */
final class Svg {
  private Svg() {}

  /** One labelled figure. */
  record Bar(String label, double value) {}

  private static final String BLUE = "#0969da";

  /** One horizontal bar per item, its figure printed after it with {@code unit}. */
  static String horizontalBars(String id, List<Bar> bars, String unit) {
    int labelWidth = 150;
    int barWidth = 520;
    int rowHeight = 22;
    int height = rowHeight * bars.size() + 6;
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "<svg id=\"%s\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
        Html.esc(id), labelWidth + barWidth + 90, height, labelWidth + barWidth + 90, height));
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int y = 3 + i * rowHeight;
      double w = max <= 0 ? 0 : Math.max(1, b.value() / max * barWidth);
      String figure = number(b.value()) + unit;
      sb.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", labelWidth - 6, y + 14,
          Html.esc(b.label())));
      sb.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"><title>%s: %s</title>"
              + "</rect>", labelWidth, y + 1, w, BLUE, Html.esc(b.label()), Html.esc(figure)));
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>",
          labelWidth + w + 6, y + 14, Html.esc(figure)));
    }
    return sb.append("</svg>").toString();
  }

  /**
   * One column per item, in order (e.g. rows per day), with a y axis from 0 to the largest figure
   * and the first, last and evenly spaced labels under the columns.
   */
  static String columns(String id, List<Bar> bars, String unit) {
    int left = 60;
    int plotWidth = 960;
    int plotHeight = 180;
    int top = 10;
    int height = top + plotHeight + 40;
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
    double step = bars.isEmpty() ? 0 : (double) plotWidth / bars.size();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "<svg id=\"%s\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
        Html.esc(id), left + plotWidth + 10, height, left + plotWidth + 10, height));
    sb.append(String.format(Locale.ROOT,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#8c959f\"/>", left, top + plotHeight,
        left + plotWidth, top + plotHeight));
    sb.append(String.format(Locale.ROOT,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#8c959f\"/>", left, top, left,
        top + plotHeight));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
        left - 4, top + 10, Html.esc(number(max))));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>",
        left - 4, top + plotHeight));
    int labelEvery = Math.max(1, (int) Math.ceil(bars.size() / 8.0));
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      double h = max <= 0 ? 0 : b.value() / max * plotHeight;
      double x = left + i * step;
      sb.append(String.format(Locale.ROOT,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s"
              + "</title></rect>", x + step * 0.1, top + plotHeight - h, Math.max(0.5, step * 0.8),
          h, BLUE, Html.esc(b.label()), Html.esc(number(b.value()) + unit)));
      if (i % labelEvery == 0 || i == bars.size() - 1) {
        sb.append(String.format(Locale.ROOT,
            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x + step / 2,
            top + plotHeight + 16, Html.esc(b.label())));
      }
    }
    return sb.append("</svg>").toString();
  }

  /** A small bar filled to {@code share} (0..1), red from half up. */
  static String share(double share) {
    double s = Math.max(0, Math.min(1, share));
    return String.format(Locale.ROOT,
        "<svg width=\"100\" height=\"10\" role=\"img\"><rect width=\"100\" height=\"10\" "
            + "fill=\"#eaeef2\"/><rect width=\"%.1f\" height=\"10\" fill=\"%s\"/></svg>",
        s * 100, s >= 0.5 ? "#cf222e" : BLUE);
  }

  /** A figure without a needless ".0". */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return String.format(Locale.ROOT, "%,.1f", v);
  }
}
