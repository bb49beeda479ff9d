package dev.intake.pipeline;

import dev.intake.transforms.sinks.lake.LakeFiles;
import dev.intake.transforms.sinks.lake.LakeLayout;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Publishes a run's staged Parquet files, and cleans up after runs that did not finish.
 *
 * <p>The commit first writes a journal into the run's staging folder listing, per output and
 * touched partition, the files that make up the partition's new content. Then each partition is
 * swapped: the staged files are moved in (a rename on local disk; copy then delete on S3) and the
 * partition's other files are deleted. Finally the dead letters and the run summary are written and
 * the staging folder is removed. Every step can be repeated, so a run interrupted anywhere in the
 * commit is completed at the start of the next run ({@link RunCommit}); a staging folder without a
 * journal belongs to a run that failed before its commit, and is deleted. Readers may see a
 * partition half-swapped while a commit is in progress; once it has finished, every partition holds
 * exactly one version of each key.
 */
final class LakeCommit {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One output's swap: staged and target folders, and the new files per partition folder. */
  public static final class Move {
    public String staged;
    public String target;
    public Map<String, List<String>> files = new LinkedHashMap<>();
  }

  /** What a commit does, written before it starts. */
  public static final class Journal {
    public String runId;
    public List<Move> moves = new ArrayList<>();
    public String summaryPath;
    public String summary;
  }

  private LakeCommit() {}

  /** Builds the journal of a run that touched {@code partitions}, from its staged files. */
  static Journal plan(
      LakeLayout lake, String runId, List<String> partitions, List<String> aggregates)
      throws IOException {
    LakeLayout.Staging staging = lake.staging(runId);
    Journal j = new Journal();
    j.runId = runId;
    j.moves.add(move(staging.clean(), lake.clean(), partitions));
    for (String a : aggregates) {
      j.moves.add(move(staging.aggregate(a), lake.aggregate(a), partitions));
    }
    j.moves.add(move(staging.deadLetters(), lake.deadLetters(runId), List.of("")));
    j.summaryPath = lake.runSummary(runId);
    return j;
  }

  /** A journal that publishes only the dead letters (for a run refused before its commit). */
  static Journal deadLettersOnly(LakeLayout lake, String runId) throws IOException {
    Journal j = new Journal();
    j.runId = runId;
    j.moves.add(move(lake.staging(runId).deadLetters(), lake.deadLetters(runId), List.of("")));
    j.summaryPath = lake.runSummary(runId);
    return j;
  }

  private static Move move(String staged, String target, List<String> partitions)
      throws IOException {
    Move m = new Move();
    m.staged = staged;
    m.target = target;
    for (String p : partitions) {
      List<String> names = new ArrayList<>();
      for (ResourceId f : LakeFiles.list(folder(staged, p) + "*.parquet")) {
        names.add(f.getFilename());
      }
      m.files.put(p, names);
    }
    return m;
  }

  /** Writes the journal into the run's staging folder; from then on the run will commit. */
  static void writeJournal(LakeLayout lake, Journal journal, String summaryJson) throws IOException {
    journal.summary = summaryJson;
    LakeFiles.write(lake.staging(journal.runId).journal(), JSON.writeValueAsString(journal));
  }

  /** The journal of a staged run, or null if it has none (it failed before its commit). */
  static Journal readJournal(LakeLayout lake, String runId) throws IOException {
    String path = lake.staging(runId).journal();
    return LakeFiles.exists(path) ? JSON.readValue(LakeFiles.read(path), Journal.class) : null;
  }

  /** Swaps every partition of the journal in. Repeatable. */
  static void swap(Journal journal) throws IOException {
    for (Move m : journal.moves) {
      for (Map.Entry<String, List<String>> e : m.files.entrySet()) {
        swap(folder(m.staged, e.getKey()), folder(m.target, e.getKey()), e.getValue());
      }
    }
  }

  /** The published files of one move, after the swap: full paths of its new files. */
  static List<String> publishedFiles(Move m) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : m.files.entrySet()) {
      for (String name : e.getValue()) {
        out.add(folder(m.target, e.getKey()) + name);
      }
    }
    return out;
  }

  /** Writes the run summary and removes the run's staging folder. */
  static void finish(LakeLayout lake, Journal journal) throws IOException {
    LakeFiles.write(journal.summaryPath, journal.summary);
    LakeFiles.deleteTree(lake.staging(journal.runId).dir());
    LakeFiles.removeIfEmpty(lake.stagingRoot());
    LakeFiles.removeIfEmpty(lake.root() + "/_staging/");
  }

  private static void swap(String stagedDir, String targetDir, List<String> names)
      throws IOException {
    List<ResourceId> from = new ArrayList<>();
    List<ResourceId> to = new ArrayList<>();
    ResourceId target = FileSystems.matchNewResource(targetDir, true);
    for (ResourceId f : LakeFiles.list(stagedDir + "*.parquet")) {
      if (names.contains(f.getFilename())) {
        from.add(f);
        to.add(target.resolve(f.getFilename(), ResolveOptions.StandardResolveOptions.RESOLVE_FILE));
      }
    }
    LakeFiles.rename(from, to);
    Set<String> keep = new HashSet<>(names);
    List<ResourceId> stale = new ArrayList<>();
    for (ResourceId f : LakeFiles.list(targetDir + "*.parquet")) {
      if (!keep.contains(f.getFilename())) {
        stale.add(f);
      }
    }
    LakeFiles.delete(stale);
    LakeFiles.removeIfEmpty(targetDir);
  }

  private static String folder(String dir, String partition) {
    return partition.isEmpty() ? dir : dir + partition + "/";
  }
}
