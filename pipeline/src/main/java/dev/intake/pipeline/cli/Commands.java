package dev.intake.pipeline.cli;

import dev.intake.options.InvalidOptionsException;
import dev.intake.pipeline.Main;
import dev.intake.pipeline.spec.SpecException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The commands besides {@code run}: {@code datasets}, {@code validate-spec}, {@code runs}, {@code
 * status} and {@code help}, each with {@code --help}. Errors are one line on stderr with the exit
 * codes of {@link Main}.
 */
public final class Commands {
  /** The commands and their one-line purpose (the overview lists them). */
  public static final Map<String, String> NAMES = Map.of(
      "datasets", "list specs", "validate-spec", "check spec files", "runs", "run history",
      "status", "a dataset's state", "help", "help");

  private Commands() {}

  /** Whether {@code word} names one of these commands. */
  public static boolean has(String word) {
    return NAMES.containsKey(word);
  }

  /** Runs {@code command} with {@code args}; returns its exit code. */
  public static int run(String command, List<String> args, PrintStream out, PrintStream err) {
    CommandArgs a = CommandArgs.parse(command, args);
    try {
      if (command.equals("help")) {
        return help(a.words.isEmpty() ? null : a.words.get(0), out, err);
      }
      if (a.help()) {
        return help(command, out, err);
      }
      return switch (command) {
        case "datasets" -> DatasetsCommand.run(a, out, err);
        case "validate-spec" -> ValidateSpecCommand.run(a, out, err);
        case "runs" -> RunsCommand.run(a, out);
        case "status" -> StatusCommand.run(a, out);
        default -> throw new InvalidOptionsException("unknown command '" + command + "'");
      };
    } catch (InvalidOptionsException | SpecException e) {
      err.println("intake: error: " + e.getMessage());
      debug(e, err);
      return Main.USAGE;
    } catch (HistoryAccess.HistoryException e) {
      err.println("intake: error: " + e.getMessage());
      debug(e, err);
      return e.exitCode;
    } catch (IOException | RuntimeException e) {
      err.println("intake: error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      debug(e, err);
      return Main.FAILED;
    }
  }

  /** The help of {@code command} (null: the overview) on {@code out}. */
  public static int help(String command, PrintStream out, PrintStream err) {
    if (command == null) {
      out.print(HelpText.overview());
      return Main.COMMITTED;
    }
    String text = switch (command) {
      case "run" -> HelpText.run();
      case "datasets" -> DatasetsCommand.HELP;
      case "validate-spec" -> ValidateSpecCommand.HELP;
      case "runs" -> RunsCommand.help();
      case "status" -> StatusCommand.help();
      case "help" -> HelpText.overview();
      default -> null;
    };
    if (text == null) {
      err.println("intake: error: unknown command '" + command + "' (intake help lists the"
          + " commands)");
      return Main.USAGE;
    }
    out.print(text);
    return Main.COMMITTED;
  }

  private static void debug(Exception e, PrintStream err) {
    if (System.getenv("INTAKE_DEBUG") != null) {
      e.printStackTrace(err);
    }
  }
}
