package dev.intake.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;

/** The tallies file a run's pipeline wrote, read back: amounts per name. */
final class Tally {
  private final Map<String, Long> amounts;

  private Tally(Map<String, Long> amounts) {
    this.amounts = amounts;
  }

  static Tally read(String path) throws IOException {
    Map<String, Long> amounts = new TreeMap<>();
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)))) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isEmpty()) {
          continue;
        }
        int tab = line.lastIndexOf('\t');
        amounts.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
      }
    }
    return new Tally(amounts);
  }

  long get(String name) {
    return amounts.getOrDefault(name, 0L);
  }

  /** Amounts of names "prefix\trest", keyed by rest. */
  Map<String, Long> withPrefix(String prefix) {
    Map<String, Long> out = new TreeMap<>();
    amounts.forEach(
        (k, v) -> {
          if (k.startsWith(prefix + "\t")) {
            out.put(k.substring(prefix.length() + 1), v);
          }
        });
    return out;
  }

  List<String> names(String prefix) {
    return new ArrayList<>(withPrefix(prefix).keySet());
  }
}
