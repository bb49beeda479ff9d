package dev.intake.pipeline.cli;

import dev.intake.options.InvalidOptionsException;
import dev.intake.pipeline.Main;
import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.spec.SpecLoader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code intake validate-spec FILE…}: loads each spec file as a run would (its references too)
 * and prints each file's error as {@code file:line: message}, exiting 2 when any file has one; or
 * one line saying which datasets are valid, exiting 0. The spec reader stops at a file's first
 * error, so a file shows one error per check; fix it and check again for the next.
 */
final class ValidateSpecCommand {
  static final String HELP = """
      usage: intake validate-spec <spec file>...
      Checks dataset spec files as a run would read them (their reference specs too) without
      running anything. Prints each file's error as file:line: message and exits 2 when any file
      has one (the reader stops at a file's first error); otherwise prints one line naming the
      valid datasets and exits 0.
      """;

  private ValidateSpecCommand() {}

  static int run(CommandArgs args, PrintStream out, PrintStream err) {
    args.check(Set.of("help"));
    if (args.words.isEmpty()) {
      throw new InvalidOptionsException("validate-spec needs the spec file(s) to check"
          + " (intake validate-spec specs/my_dataset.yaml)");
    }
    List<String> valid = new ArrayList<>();
    int errors = 0;
    for (String file : args.words) {
      String problem;
      if (!Files.isRegularFile(Path.of(file))) {
        problem = file + ": no such file";
      } else {
        try {
          DatasetSpec spec = SpecLoader.load(file);
          valid.add(spec.name() + " (" + file + ", " + spec.fields().size() + " fields, key "
              + String.join("+", spec.key()) + ")");
          continue;
        } catch (InvalidOptionsException e) {
          problem = e.getMessage().replaceFirst("^--dataset=", "");
        } catch (RuntimeException e) {
          problem = e.getMessage() == null ? file + ": " + e : e.getMessage();
        }
      }
      errors++;
      out.println(problem);
    }
    if (errors > 0) {
      err.println("intake: error: " + errors + " of " + args.words.size() + " spec file(s) have"
          + " errors");
      return Main.USAGE;
    }
    out.println("OK: " + valid.size() + " spec file(s) valid: " + String.join("; ", valid));
    return Main.COMMITTED;
  }
}
