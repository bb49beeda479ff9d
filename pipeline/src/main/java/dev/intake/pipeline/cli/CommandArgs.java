package dev.intake.pipeline.cli;

import dev.intake.options.InvalidOptionsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one command: {@code --name=value} options (a bare {@code --name} is "true")
 * and the other words, in order. {@link #check} refuses an option the command does not know, with
 * a line that names it and where the command's options are listed.
 */
final class CommandArgs {
  final String command;
  final Map<String, String> options = new LinkedHashMap<>();
  final List<String> words = new ArrayList<>();

  private CommandArgs(String command) {
    this.command = command;
  }

  static CommandArgs parse(String command, List<String> args) {
    CommandArgs a = new CommandArgs(command);
    for (String arg : args) {
      if (arg.startsWith("--") && arg.length() > 2) {
        int eq = arg.indexOf('=');
        a.options.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq),
            eq < 0 ? "true" : arg.substring(eq + 1));
      } else {
        a.words.add(arg);
      }
    }
    return a;
  }

  boolean help() {
    return options.containsKey("help") || words.contains("-h");
  }

  /** Throws for an option not in {@code known}. */
  CommandArgs check(Set<String> known) {
    for (String name : options.keySet()) {
      if (!known.contains(name)) {
        throw new InvalidOptionsException("unknown option --" + name + " for intake " + command
            + " (intake " + command + " --help lists its options)");
      }
    }
    return this;
  }

  String get(String name, String otherwise) {
    return options.getOrDefault(name, otherwise);
  }

  /** A positive whole number, or {@code otherwise} when not given. */
  int positive(String name, int otherwise) {
    String v = options.get(name);
    if (v == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidOptionsException("--" + name + "=" + v + " must be a whole number > 0");
  }

  /** {@code text} (the default) or {@code json}. */
  boolean json() {
    String f = get("format", "text");
    if (!f.equals("text") && !f.equals("json")) {
      throw new InvalidOptionsException("--format=" + f + " must be text or json");
    }
    return f.equals("json");
  }

  /** The options given, as Beam's {@code --name=value} arguments, except {@code own}. */
  String[] passThrough(Set<String> own) {
    List<String> out = new ArrayList<>();
    options.forEach((k, v) -> {
      if (!own.contains(k)) {
        out.add("--" + k + "=" + v);
      }
    });
    return out.toArray(String[]::new);
  }
}
