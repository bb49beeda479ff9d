package dev.intake.transforms.sources.http;

import dev.intake.transforms.sources.TimeWindow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Stores API pages exactly as received, gzip-compressed, under a run's raw folder (local or any
 * Beam filesystem), and reads them back checking their sha256. A page's file name depends only on
 * its window and number, so a retried fetch overwrites rather than adds.
 */
final class RawPageStore implements Serializable {
  private final String directory;

  RawPageStore(String directory) {
    this.directory = directory.endsWith("/") ? directory : directory + "/";
  }

  String directory() {
    return directory;
  }

  /** Deletes pages written by an attempt that is being redone. */
  void delete(List<RawPage> pages) throws IOException {
    List<ResourceId> files = new ArrayList<>();
    for (RawPage p : pages) {
      files.add(FileSystems.matchNewResource(p.getPath(), false));
    }
    if (!files.isEmpty()) {
      FileSystems.delete(files, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  RawPage write(TimeWindow window, int number, String request, byte[] body, int records,
      String fetchedAt) throws IOException {
    String name =
        String.format(Locale.ROOT, "page-%d-%d-%05d.json.gz",
            window.getFrom().getMillis(), window.getTo().getMillis(), number);
    ResourceId file =
        FileSystems.matchNewResource(directory, true)
            .resolve(name, ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream out = new GZIPOutputStream(
        Channels.newOutputStream(FileSystems.create(file, "application/gzip")))) {
      out.write(body);
    }
    return RawPage.of(window.toString(), number, request, file.toString(), sha256(body),
        body.length, records, fetchedAt);
  }

  /** The page's body, after checking it against the manifest's sha256. */
  static byte[] read(RawPage page) throws IOException {
    byte[] body;
    try (InputStream in =
        new GZIPInputStream(
            Channels.newInputStream(
                FileSystems.open(FileSystems.matchNewResource(page.getPath(), false))))) {
      body = in.readAllBytes();
    }
    String sha = sha256(body);
    if (!sha.equals(page.getSha256())) {
      throw new RawPageCorruptedException(
          "raw page " + page.getPath() + " does not match its manifest (sha256 " + sha
              + ", manifest says " + page.getSha256() + "); refusing to replay it");
    }
    return body;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A stored page whose content is not what was fetched. */
  static final class RawPageCorruptedException extends IOException {
    RawPageCorruptedException(String message) {
      super(message);
    }
  }
}
