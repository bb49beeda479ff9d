package dev.intake.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.pipeline.steps.TallyKey;
import dev.intake.transforms.sinks.lake.LakeFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The counts a run's pipeline wrote ({@code Tallies}), read back by key. */
final class RunTally {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<TallyKey, Long> amounts;

  private RunTally(Map<TallyKey, Long> amounts) {
    this.amounts = amounts;
  }

  /** The counts of a run that read nothing: every one zero. */
  static RunTally none() {
    return new RunTally(Map.of());
  }

  static RunTally read(String path) throws IOException {
    Map<TallyKey, Long> amounts = new LinkedHashMap<>();
    for (String line : LakeFiles.read(path).split("\n")) {
      if (!line.isBlank()) {
        JsonNode n = JSON.readTree(line);
        amounts.put(
            TallyKey.create(n.get("kind").asText(), n.get("output").asText(),
                n.get("stage").asText(), n.get("reason").asText(), n.get("partition").asText()),
            n.get("amount").asLong());
      }
    }
    return new RunTally(amounts);
  }

  /**
   * These counts with {@code rows} as the rows of {@code output}'s files (counted outside the
   * pipeline, such as the clean files' rows from their footers).
   */
  RunTally withRows(String output, long rows) {
    Map<TallyKey, Long> amounts = new LinkedHashMap<>(this.amounts);
    amounts.put(TallyKey.of(TallyKey.Kind.ROWS, output), rows);
    return new RunTally(amounts);
  }

  long get(TallyKey key) {
    return amounts.getOrDefault(key, 0L);
  }

  long get(TallyKey.Kind kind) {
    return get(TallyKey.of(kind));
  }

  /** Rows written to the files of {@code output}. */
  long rows(String output) {
    return get(TallyKey.of(TallyKey.Kind.ROWS, output));
  }

  /** The newest value of {@code name} (version or watermark), or null. */
  Long newest(String name) {
    return amounts.get(TallyKey.of(TallyKey.Kind.NEWEST, name));
  }

  /** Rejected records by "stage/reason", sorted. */
  Map<String, Long> rejectedByReason() {
    Map<String, Long> out = new TreeMap<>();
    amounts.forEach((k, v) -> {
      if (k.kind() == TallyKey.Kind.REJECTED) {
        out.put(k.getStage() + "/" + k.getReason(), v);
      }
    });
    return out;
  }

  /** Kept reference misses by reference name, sorted. */
  Map<String, Long> referenceMisses() {
    Map<String, Long> out = new TreeMap<>();
    amounts.forEach((k, v) -> {
      if (k.kind() == TallyKey.Kind.REFERENCE_MISS) {
        out.put(k.getOutput(), v);
      }
    });
    return out;
  }

  /** Amounts of {@code kind} by output name (a column of the profile), in first-seen order. */
  Map<String, Long> byOutput(TallyKey.Kind kind) {
    Map<String, Long> out = new LinkedHashMap<>();
    amounts.forEach((k, v) -> {
      if (k.kind() == kind) {
        out.put(k.getOutput(), v);
      }
    });
    return out;
  }

  /** Rows written per UTC day ("YYYY-MM-DD"), ascending. */
  Map<String, Long> rowsPerDay() {
    Map<String, Long> out = new TreeMap<>();
    amounts.forEach((k, v) -> {
      if (k.kind() == TallyKey.Kind.DAY_ROWS) {
        out.put(k.getPartition(), v);
      }
    });
    return out;
  }

  /** The partitions the run rewrites, sorted. */
  List<String> partitions() {
    return partitions(TallyKey.Kind.PARTITION);
  }

  /** The partitions counted under {@code kind} (PARTITION or HISTORY_PARTITION), sorted. */
  List<String> partitions(TallyKey.Kind kind) {
    List<String> out = new ArrayList<>();
    amounts.keySet().forEach(k -> {
      if (k.kind() == kind) {
        out.add(k.getPartition());
      }
    });
    out.sort(null);
    return out;
  }
}
