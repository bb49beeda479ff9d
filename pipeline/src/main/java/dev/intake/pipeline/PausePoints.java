package dev.intake.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Named places where a test can hold a run still, to do something to the world meanwhile (start a
 * second run, fill the disk): when the system property {@value #PROPERTY} names the point, the run
 * creates {@code <name>.paused} in the folder {@value #DIRECTORY} names and waits until that file
 * is deleted. Unarmed, a pause point costs a property lookup.
 */
final class PausePoints {
  static final String PROPERTY = "intake.pausepoint";
  static final String DIRECTORY = "intake.pausedir";
  private static final long MAX_WAIT_MILLIS = 600_000;

  private PausePoints() {}

  static void pause(String name) {
    if (!name.equals(System.getProperty(PROPERTY))) {
      return;
    }
    Path marker = Path.of(System.getProperty(DIRECTORY, ".")).resolve(name + ".paused");
    try {
      Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
      long deadline = System.currentTimeMillis() + MAX_WAIT_MILLIS;
      while (Files.exists(marker) && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
