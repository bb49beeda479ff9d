package dev.intake.pipeline.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.pipeline.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The help, {@code intake datasets} and {@code intake validate-spec}, through {@code Main}. */
class CommandsTest {
  @TempDir Path tmp;

  private static final String GOOD = String.join("\n",
      "name: tiny",
      "description: A tiny dataset for the tests",
      "zone: UTC",
      "key: [id]",
      "version: updated",
      "fields:",
      "  - {name: id, type: long}",
      "  - {name: updated, type: timestamp}",
      "formats:",
      "  j: {kind: json, timestampPatterns: [\"yyyy-MM-dd'T'HH:mm:ssXXX\"]}",
      "partition: {field: updated, granularity: year, name: y}",
      "");

  @Test
  void helpListsEveryOptionOfEveryGroupWithItsDefault() {
    Cli help = Cli.run("--help");
    assertThat(help.exitCode, is(0));
    for (var group : HelpText.RUN_GROUPS.entrySet()) {
      assertThat(help.out, containsString("\n" + group.getValue() + ":\n"));
      for (String name : HelpText.names(group.getKey())) {
        assertThat(name, help.out, containsString("\n  --" + name + "  (default: "));
      }
    }
    assertThat(help.out, containsString("  --maxRejectedRatio  (default: 0.05)\n"));
    assertThat(help.out, containsString("  --progressInterval  (default: 30s)\n"));
    assertThat(help.out, containsString("  --dataset  (default: required)\n"));
    assertThat(help.out, containsString("\n  3  the commit is incomplete"));
    assertThat("Beam's own options are not dumped", help.out, not(containsString("--stableUniqueNames")));
    assertThat(Cli.run("help").out, is(help.out));
    assertThat(Cli.run("run", "--help").out, startsWith("usage: intake run --dataset="));
  }

  @Test
  void eachCommandHasItsHelpAndAnUnknownOneIsUsage() {
    for (String command : List.of("datasets", "validate-spec", "runs", "status")) {
      Cli help = Cli.run(command, "--help");
      assertThat(command, help.exitCode, is(0));
      assertThat(help.out, startsWith("usage: intake " + command));
      assertThat(Cli.run("help", command).out, is(help.out));
    }
    assertThat(Cli.run("runs", "--help").out, containsString("  --jdbcUrl  (default: "));
    Cli unknown = Cli.run("help", "load");
    assertThat(unknown.exitCode, is(2));
    assertThat(unknown.errorLines(), contains("intake: error: unknown command 'load' (intake help"
        + " lists the commands)"));
    Cli nothing = Cli.run();
    assertThat(nothing.exitCode, is(2));
    assertThat(nothing.err, startsWith("usage: intake <command> [options]"));
  }

  @Test
  void datasetsListsTheBundledSpecsAndThoseOfAFolder() throws Exception {
    Files.writeString(tmp.resolve("tiny.yaml"), GOOD);
    Files.writeString(tmp.resolve("notes.txt"), "not a spec");
    Cli cli = Cli.run("datasets", "--specDir=" + tmp);
    assertThat(cli.toString(), cli.exitCode, is(0));
    List<String> lines = cli.out.lines().toList();
    assertThat(lines.size(), is(4));
    assertThat(lines.get(1).split("\\s{2,}"), is(new String[] {"sf311", "socrata",
        "service_request_id", "San Francisco 311 service requests (DataSF, Socrata dataset"
            + " vw6y-z8j6)", "bundled"}));
    assertThat(lines.get(2), startsWith("crunchbase_organizations  http "));
    assertThat(lines.get(3).split("\\s{2,}"), is(new String[] {"tiny", "file", "id",
        "A tiny dataset for the tests", tmp.resolve("tiny.yaml").toString()}));

    JsonNode json = new ObjectMapper().readTree(Cli.run("datasets", "--format=json").out);
    assertThat(json.get(0).get("name").asText(), is("sf311"));
    assertThat(json.get(0).get("key").get(0).asText(), is("service_request_id"));
    assertThat(json.get(1).get("source").asText(), is("http"));
  }

  @Test
  void aBrokenSpecInTheFolderIsListedWithItsErrorAndExitTwo() throws Exception {
    Files.writeString(tmp.resolve("bad.yaml"), GOOD.replace("type: timestamp", "type: datetime"));
    Cli cli = Cli.run("datasets", "--specDir=" + tmp);
    assertThat(cli.exitCode, is(2));
    assertThat(cli.out, containsString("error: " + tmp.resolve("bad.yaml")
        + ":8: unknown type 'datetime' for field 'updated'"));
    assertThat(cli.errorLines(), contains("intake: error: 1 spec file(s) in " + tmp
        + " do not load (intake validate-spec lists their errors)"));
  }

  @Test
  void validateSpecPrintsEachFilesErrorWithItsLineAndExitsTwo() throws Exception {
    Path good = tmp.resolve("good.yaml");
    Path badType = tmp.resolve("bad_type.yaml");
    Path badKey = tmp.resolve("bad_key.yaml");
    Files.writeString(good, GOOD);
    Files.writeString(badType, GOOD.replace("type: timestamp", "type: datetime"));
    Files.writeString(badKey, GOOD.replace("key: [id]", "key: [nosuch]"));
    Cli cli = Cli.run("validate-spec", good.toString(), badType.toString(), badKey.toString(),
        tmp.resolve("missing.yaml").toString());
    assertThat(cli.toString(), cli.exitCode, is(2));
    List<String> lines = cli.out.lines().toList();
    assertThat(lines.get(0), startsWith(badType + ":8: unknown type 'datetime' for field 'updated'"
        + " (known: string, long,"));
    assertThat(lines.get(1), startsWith(badKey + ":"));
    assertThat(lines.get(1), containsString("nosuch"));
    assertThat(lines.get(2), is(tmp.resolve("missing.yaml") + ": no such file"));
    assertThat(lines.size(), is(3));
    assertThat(cli.errorLines(), contains("intake: error: 3 of 4 spec file(s) have errors"));

    Cli ok = Cli.run("validate-spec", good.toString());
    assertThat(ok.exitCode, is(0));
    assertThat(ok.out, is("OK: 1 spec file(s) valid: tiny (" + good + ", 2 fields, key id)\n"));
    Cli none = Cli.run("validate-spec");
    assertThat(none.exitCode, is(2));
    assertThat(none.errorLines().get(0), containsString("validate-spec needs the spec file(s)"));
  }
}
