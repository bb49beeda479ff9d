package dev.intake.pipeline.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.transforms.sinks.lake.LakeFiles;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures the runs index shows of each run ({@link RunIndex}), kept beside the summaries in
 * {@code runs/<dataset>/index.jsonl}, one line per summary with that summary's size in bytes: a
 * run's end then reads only the summaries that are new (or whose size changed) since the last
 * index, not every summary the dataset ever wrote. A missing or unreadable file is no error: the
 * index is rebuilt from the summaries, as before the file existed.
 */
final class IndexLines {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The summary fields the index shows. */
  static final List<String> FIELDS = List.of("runId", "status", "startedAt", "durationSeconds",
      "read", "written", "rejected", "watermark", "error");

  private final String path;
  private final Map<String, Line> lines = new LinkedHashMap<>();
  private boolean changed;

  private record Line(long bytes, JsonNode figures) {}

  private IndexLines(String path) {
    this.path = path;
  }

  /** The lines kept at {@code path}; none when it is missing or unreadable. */
  static IndexLines read(String path) {
    IndexLines out = new IndexLines(path);
    try {
      if (!LakeFiles.exists(path)) {
        return out;
      }
      for (String line : LakeFiles.read(path).split("\n")) {
        if (!line.isBlank()) {
          JsonNode n = JSON.readTree(line);
          out.lines.put(n.get("file").asText(), new Line(n.get("bytes").asLong(), n.get("run")));
        }
      }
    } catch (IOException | RuntimeException e) {
      out.lines.clear();
    }
    return out;
  }

  /** The figures of summary {@code file} of {@code bytes} bytes, or null if not kept. */
  JsonNode figures(String file, long bytes) {
    Line l = lines.get(file);
    return l != null && l.bytes == bytes ? l.figures : null;
  }

  /** Keeps the figures of {@code summary}, read from {@code file} of {@code bytes} bytes. */
  JsonNode keep(String file, long bytes, JsonNode summary) {
    ObjectNode figures = JSON.createObjectNode();
    for (String f : FIELDS) {
      if (summary.has(f)) {
        figures.set(f, summary.get(f));
      }
    }
    Line old = lines.put(file, new Line(bytes, figures));
    changed |= old == null || old.bytes != bytes || !old.figures.equals(figures);
    return figures;
  }

  /** Keeps only the lines of {@code files} (summaries removed since drop out). */
  void retain(java.util.Collection<String> files) {
    changed |= lines.keySet().retainAll(files);
  }

  /** Writes the lines back if any changed. */
  void write() throws IOException {
    if (!changed) {
      return;
    }
    StringBuilder sb = new StringBuilder(lines.size() * 256);
    for (Map.Entry<String, Line> e : lines.entrySet()) {
      ObjectNode n = JSON.createObjectNode();
      n.put("file", e.getKey());
      n.put("bytes", e.getValue().bytes);
      n.set("run", e.getValue().figures);
      try {
        sb.append(JSON.writeValueAsString(n)).append('\n');
      } catch (JsonProcessingException ex) {
        throw new IOException(ex);
      }
    }
    LakeFiles.write(path, sb.toString());
    changed = false;
  }
}
