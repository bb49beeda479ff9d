package dev.intake.pipeline;

/**
 * The log levels of the libraries Intake runs on. By default ({@code simplelogger.properties})
 * Intake's own lines are shown and the libraries' only at ERROR, Flink's not at all: a failed
 * run's cause reaches the user as Intake's one line. {@code --verbose} shows the libraries' INFO
 * and WARN lines too; it must be applied before the first logger is made, as slf4j-simple reads
 * its levels once (system properties win over the file).
 */
final class Logging {
  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private Logging() {}

  static void verbose() {
    System.setProperty(PREFIX + "defaultLogLevel", "info");
    System.setProperty(PREFIX + "log.org.apache.flink", "info");
    System.setProperty(PREFIX + "log.org.apache.beam.runners.flink", "info");
    System.setProperty(PREFIX + "showThreadName", "true");
  }
}
