package dev.intake.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.options.InvalidOptionsException;
import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.spec.SpecLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code intake datasets [--specDir=DIR] [--format=json]}: the bundled specs and the spec files
 * ({@code .yaml}, {@code .yml}, {@code .json}) in DIR, each with its name, source type, key and
 * description. A spec in DIR that does not load is listed with its error, and the exit code is 2.
 */
final class DatasetsCommand {
  static final String HELP = """
      usage: intake datasets [--specDir=<folder>] [--format=text|json]
      Lists the bundled dataset specs and the spec files in a folder: name, source type, key and
      a one-line description.

        --specDir  (default: none)
            A folder whose spec files (.yaml, .yml, .json) are listed after the bundled specs; a
            file that does not load is listed with its error (exit 2).
        --format  (default: text)
            text (a table) or json.
      """;

  private DatasetsCommand() {}

  static int run(CommandArgs args, PrintStream out, PrintStream err) throws IOException {
    args.check(Set.of("specDir", "format", "help"));
    boolean json = args.json();
    List<String> specs = new ArrayList<>(SpecLoader.BUNDLED);
    String dir = args.get("specDir", null);
    if (dir != null) {
      Path folder = Path.of(dir);
      if (!Files.isDirectory(folder)) {
        throw new InvalidOptionsException("--specDir=" + dir + " is not a folder");
      }
      try (Stream<Path> files = Files.list(folder)) {
        files.map(Path::toString).filter(f -> f.matches("(?i).*\\.(ya?ml|json)$")).sorted()
            .forEach(specs::add);
      }
    }
    TextTable table = new TextTable("DATASET", "SOURCE", "KEY", "DESCRIPTION", "SPEC");
    ArrayNode list = new ObjectMapper().createArrayNode();
    int broken = 0;
    for (String s : specs) {
      ObjectNode node = list.addObject();
      try {
        DatasetSpec spec = SpecLoader.load(s);
        String source = spec.api() == null ? "file" : spec.api().type();
        String key = String.join(", ", spec.key());
        String description = spec.description() == null ? "" : spec.description();
        String where = SpecLoader.BUNDLED.contains(s) ? "bundled" : s;
        table.row(spec.name(), source, key, description, where);
        node.put("name", spec.name()).put("source", source).put("description", description)
            .put("spec", where);
        spec.key().forEach(node.putArray("key")::add);
      } catch (RuntimeException e) {
        broken++;
        table.row("-", "-", "-", "error: " + e.getMessage(), s);
        node.put("spec", s).put("error", e.getMessage());
      }
    }
    out.print(json ? list.toPrettyString() + "\n" : table.toString());
    if (broken > 0) {
      err.println("intake: error: " + broken + " spec file(s) in " + dir + " do not load (intake"
          + " validate-spec lists their errors)");
      return dev.intake.pipeline.Main.USAGE;
    }
    return dev.intake.pipeline.Main.COMMITTED;
  }
}
