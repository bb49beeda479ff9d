package dev.intake.pipeline.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs volume mounted for one test, to fill up on purpose. Mounting needs root: as
 * another user, or where mounting is not allowed, {@link #mount} skips the test with a message
 * that says so.
 */
public final class SmallVolume implements AutoCloseable {
  public final Path dir;
  private final Path filler;

  private SmallVolume(Path dir) {
    this.dir = dir;
    this.filler = dir.resolve("filler.bin");
  }

  /** Mounts a tmpfs of {@code megabytes} at {@code dir} (created), or skips the test. */
  public static SmallVolume mount(Path dir, int megabytes) throws IOException,
      InterruptedException {
    String uid = run("id", "-u").trim();
    Assumptions.assumeTrue(uid.equals("0"), "skipped: mounting a small tmpfs volume to fill"
        + " needs root, and this test runs as uid " + uid);
    Files.createDirectories(dir);
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m",
        "tmpfs", dir.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assumptions.assumeTrue(p.waitFor() == 0,
        "skipped: cannot mount a tmpfs volume here (" + output.trim() + ")");
    return new SmallVolume(dir);
  }

  /** Writes a filler file until the volume has no space left. */
  public void fill() throws IOException {
    try (OutputStream out = Files.newOutputStream(filler)) {
      for (int chunk : new int[] {1 << 20, 4096, 1}) {
        byte[] bytes = new byte[chunk];
        try {
          while (true) {
            out.write(bytes);
            out.flush();
          }
        } catch (IOException full) {
          // The volume is full at this chunk size; go on with smaller ones.
        }
      }
    } catch (IOException closingWhenFull) {
      // Closing a file on a full volume may fail too; the filler stays as written.
    }
  }

  /** Removes the filler, so the volume has its space again. */
  public void free() throws IOException {
    Files.deleteIfExists(filler);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    new ProcessBuilder("umount", "-l", dir.toString()).start().waitFor();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
