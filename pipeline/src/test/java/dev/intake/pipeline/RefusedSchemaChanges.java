package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.Lake;
import dev.intake.pipeline.testing.TestData;
import dev.intake.pipeline.testing.Warehouses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each refused schema change, tried through the command line on a lake and warehouse that hold the
 * older sf311 spec: exit 2, its one line, and nothing written (the same lake files, the same run
 * history). Called by {@link SchemaEvolutionRunsTest} between its runs.
 */
final class RefusedSchemaChanges {
  private RefusedSchemaChanges() {}

  /**
   * Per case: the message it is refused with (after the spec file), then the edits of the older
   * spec that make it, as pairs of text and replacement.
   */
  static Map<String, String[]> cases() {
    String removedField = "refused schema change: field 'police_district' is stored but no longer"
        + " in the spec; keep it with retired: true (null from now on), or, if it was renamed,"
        + " declare renamedFrom: police_district on its new name";
    Map<String, String[]> c = new LinkedHashMap<>();
    c.put("key", new String[] {
        "refused schema change: the key changed from [service_request_id] to [service_request_id,"
            + " requested_datetime]: a stored dataset keeps its key; restore key:"
            + " [service_request_id], or load the data as a new dataset (another name)",
        "key: [service_request_id]", "key: [service_request_id, requested_datetime]"});
    c.put("partition", new String[] {
        "refused schema change: the partition changed from {field: requested_datetime,"
            + " granularity: month, name: requested_month} to {field: requested_datetime,"
            + " granularity: year, name: requested_month}: stored partitions are not re-cut;"
            + " restore partition: {field: requested_datetime, granularity: month, name:"
            + " requested_month}, or load the data as a new dataset (another name)",
        "granularity: month, name: requested_month", "granularity: year, name: requested_month"});
    c.put("narrowed", new String[] {
        "refused schema change: field 'lat' is stored as double and the spec says long: a type"
            + " can only widen (int → long → double); restore type: double, or add a new field of"
            + " type long",
        "{name: lat, type: double,", "{name: lat, type: long,"});
    c.put("incompatible", new String[] {
        "refused schema change: field 'status_notes' is stored as string and the spec says"
            + " timestamp: a type can only widen (int → long → double); restore type: string, or"
            + " add a new field of type timestamp",
        "{name: status_notes, type: string}", "{name: status_notes, type: timestamp}"});
    c.put("removed", new String[] {removedField,
        "  - {name: police_district, type: string}\n", "",
        "      Police District: police_district\n", ""});
    c.put("renamed", new String[] {removedField,
        "{name: police_district, type: string}", "{name: police_area, type: string}",
        "Police District: police_district", "Police District: police_area"});
    c.put("measure", new String[] {
        "refused schema change: column 'p90_hours_to_close' of aggregate 'daily' is stored but no"
            + " longer in the spec; restore it (a stored measure or group cannot be removed)",
        "      - {name: p90_hours_to_close, fn: quantile, field: hours_to_close, q: 0.9}\n", ""});
    c.put("derived", new String[] {
        "refused schema change: derived column 'hours_to_close' is stored but no longer in the"
            + " spec; restore it in derived (a stored derived column cannot be removed)",
        "{name: hours_to_close, function:", "{name: hours_open, function:",
        "field: hours_to_close", "field: hours_open"});
    return c;
  }

  static void assertEachIsRefusedAndChangesNothing(Path tmp, Lake lake, Warehouses db,
      Path older) throws Exception {
    String olderText = Files.readString(older);
    List<String> files = lake.files();
    List<String> runs = db.query("SELECT run_id, status FROM " + db.raw("intake_runs"));
    List<String> schemas = db.query("SELECT * FROM " + db.raw("intake_schemas"));
    for (Map.Entry<String, String[]> e : cases().entrySet()) {
      String[] edit = e.getValue();
      String text = olderText;
      for (int i = 1; i < edit.length; i += 2) {
        text = SchemaEvolutionRunsTest.replace(text, edit[i], edit[i + 1]);
      }
      Path spec = tmp.resolve("refused-" + e.getKey() + ".yaml");
      Files.writeString(spec, text);
      List<String> args = new ArrayList<>(List.of("run", "--dataset=" + spec,
          "--lakePath=" + lake.root,
          "--inputFile=" + TestData.file("export_2021-05_first1000.csv")));
      args.addAll(db.options());
      Cli cli = Cli.run(args.toArray(new String[0]));
      assertThat(e.getKey() + ": " + cli, cli.exitCode, is(Main.USAGE));
      assertThat(e.getKey(), cli.errorLines(),
          contains("intake: error: " + spec + ": " + edit[0]));
      assertThat(e.getKey(), lake.files(), equalTo(files));
      assertThat(e.getKey(), db.query("SELECT run_id, status FROM " + db.raw("intake_runs")),
          equalTo(runs));
      assertThat(e.getKey(), db.query("SELECT * FROM " + db.raw("intake_schemas")),
          equalTo(schemas));
    }
  }
}
