package dev.intake.transforms.sinks.lake;

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
 * Publishes one output's staged Parquet files into the lake, partition by partition: the staged
 * files are moved in (a rename on local disk; copy then delete on S3) and the partition's other
 * files are deleted, so the partition then holds exactly the new content. A {@link Move} records
 * which files make up each partition's new content before anything moves, so a swap can be
 * repeated after a crash and ends in the same state.
 */
public final class PartitionSwap {
  private PartitionSwap() {}

  /** One output's swap: staged and target folders, and the new files per partition folder. */
  public static final class Move {
    public String staged;
    public String target;
    /** Partition folder ("" for an unpartitioned output) to the names of its new files. */
    public Map<String, List<String>> files = new LinkedHashMap<>();
  }

  /** The move of {@code partitions} ("" for the whole folder) from {@code staged} to {@code target}. */
  public static Move plan(String staged, String target, List<String> partitions)
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

  /** Swaps every partition of {@code move} in. Repeatable. */
  public static void swap(Move move) throws IOException {
    for (Map.Entry<String, List<String>> e : move.files.entrySet()) {
      swap(folder(move.staged, e.getKey()), folder(move.target, e.getKey()), e.getValue());
    }
  }

  /** The full paths of the move's new files, once swapped in. */
  public static List<String> publishedFiles(Move move) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : move.files.entrySet()) {
      for (String name : e.getValue()) {
        out.add(folder(move.target, e.getKey()) + name);
      }
    }
    return out;
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
