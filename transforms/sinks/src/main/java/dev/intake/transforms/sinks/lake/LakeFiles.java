package dev.intake.transforms.sinks.lake;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/** File operations on the lake through Beam's filesystems, so local folders and s3:// both work. */
public final class LakeFiles {
  private LakeFiles() {}

  public static boolean isLocal(String path) {
    return !path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || path.startsWith("file://");
  }

  /** Files matching a glob; none is not an error. */
  public static List<ResourceId> list(String glob) throws IOException {
    MatchResult r = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    List<ResourceId> out = new ArrayList<>();
    if (r.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata m : r.metadata()) {
        out.add(m.resourceId());
      }
    }
    out.sort(Comparator.comparing(ResourceId::toString));
    return out;
  }

  public static boolean exists(String file) throws IOException {
    return !list(file).isEmpty();
  }

  public static void write(String file, String text) throws IOException {
    ResourceId id = FileSystems.matchNewResource(file, false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(id, "application/json"))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  public static String read(String file) throws IOException {
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(file, false)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public static void rename(List<ResourceId> from, List<ResourceId> to) throws IOException {
    if (!from.isEmpty()) {
      FileSystems.rename(from, to, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  public static void delete(List<ResourceId> files) throws IOException {
    if (!files.isEmpty()) {
      FileSystems.delete(files, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  /** Deletes every file under {@code dir} and, on local disk, the emptied folders. */
  public static void deleteTree(String dir) throws IOException {
    delete(list(dir + "**"));
    if (isLocal(dir)) {
      Path root = Path.of(dir.replaceFirst("^file://", ""));
      if (Files.isDirectory(root)) {
        try (Stream<Path> walk = Files.walk(root)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  /** On local disk, removes {@code dir} if it is an empty folder. */
  public static void removeIfEmpty(String dir) throws IOException {
    if (isLocal(dir)) {
      Path p = Path.of(dir.replaceFirst("^file://", ""));
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          if (s.findAny().isEmpty()) {
            Files.delete(p);
          }
        }
      }
    }
  }

  /** Immediate sub-folder names of {@code dir} on local disk, or the first path segment below it. */
  public static List<String> children(String dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (ResourceId f : list(dir + "*/**")) {
      String rel = f.toString().substring(f.toString().indexOf(dir) + dir.length());
      String first = rel.split("/")[0];
      if (!names.contains(first)) {
        names.add(first);
      }
    }
    if (isLocal(dir)) {
      Path p = Path.of(dir.replaceFirst("^file://", ""));
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(Files::isDirectory)
              .map(x -> x.getFileName().toString())
              .filter(n -> !names.contains(n))
              .forEach(names::add);
        }
      }
    }
    names.sort(null);
    return names;
  }
}
