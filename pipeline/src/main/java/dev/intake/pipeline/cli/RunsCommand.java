package dev.intake.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.intake.options.IntakeOptions;
import dev.intake.pipeline.Main;
import dev.intake.pipeline.WarehouseChoice;
import dev.intake.transforms.sinks.warehouse.RunHistory;
import dev.intake.transforms.sinks.warehouse.RunRecord;
import dev.intake.transforms.sinks.warehouse.WarehouseConfig;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code intake runs [--dataset=X] [--last=N] [--format=json] [warehouse options]}: the newest runs
 * recorded in the warehouse's {@code intake_runs}, newest first: run id, status, start, duration,
 * records read, written and rejected, the watermark; then the reason of each run that did not
 * succeed.
 */
final class RunsCommand {
  private static final Set<String> OWN = Set.of("dataset", "last", "format", "help", "verbose");

  static String help() {
    return """
        usage: intake runs [--dataset=<name or spec file>] [--last=N] [--format=text|json]
                           [--jdbcUrl=… | --lakePath=…]
        The run history recorded in the warehouse (intake_runs in the raw layer), newest first.

          --dataset  (default: every dataset)
              Only the runs of this dataset.
          --last  (default: 20)
              How many runs to show.
          --format  (default: text)
              text (a table, then the reason of each run that did not succeed) or json.
        """ + HistoryAccess.optionsHelp() + "\n" + HelpText.EXIT_CODES;
  }

  private RunsCommand() {}

  static int run(CommandArgs args, PrintStream out) {
    args.check(HistoryAccess.known(OWN.toArray(String[]::new)));
    boolean json = args.json();
    int last = args.positive("last", 20);
    String dataset = HistoryAccess.datasetName(args.get("dataset", null));
    IntakeOptions options = HistoryAccess.options(args, OWN);
    WarehouseConfig config = WarehouseChoice.of(options);
    List<RunRecord> runs;
    try (RunHistory history = HistoryAccess.open(config)) {
      runs = history.runs(dataset, last);
      if (json) {
        ArrayNode list = new ObjectMapper().createArrayNode();
        for (RunRecord r : runs) {
          list.addObject().put("runId", r.runId).put("dataset", r.dataset).put("mode", r.mode)
              .put("status", r.status).put("startedAt", r.startedAt)
              .put("finishedAt", r.finishedAt).put("durationSeconds", seconds(r))
              .put("read", r.read).put("written", r.written).put("superseded", r.superseded)
              .put("rejected", r.rejected).put("watermark", r.watermark).put("error", r.error);
        }
        out.println(list.toPrettyString());
        return Main.COMMITTED;
      }
      if (runs.isEmpty()) {
        out.println("no runs" + (dataset == null ? "" : " of " + dataset) + " recorded in "
            + config.url() + (history.missing() == null ? "" : " (" + history.missing() + ")"));
        return Main.COMMITTED;
      }
    } catch (SQLException e) {
      throw HistoryAccess.failure(config, e);
    }
    TextTable table = new TextTable("RUN ID", "DATASET", "MODE", "STATUS", "STARTED", "DURATION",
        "READ", "WRITTEN", "REJECTED", "WATERMARK");
    for (RunRecord r : runs) {
      Double s = seconds(r);
      table.row(r.runId, r.dataset, r.mode, r.status, shortTime(r.startedAt),
          s == null ? "" : String.format(Locale.ROOT, "%.1f s", s),
          String.format(Locale.ROOT, "%,d", r.read), String.format(Locale.ROOT, "%,d", r.written),
          String.format(Locale.ROOT, "%,d", r.rejected), shortTime(r.watermark));
    }
    out.print(table);
    for (RunRecord r : runs) {
      if (!"succeeded".equals(r.status) && r.error != null) {
        out.println(r.runId + " " + r.status + ": " + r.error);
      }
    }
    return Main.COMMITTED;
  }

  static Double seconds(RunRecord r) {
    if (r.startedAt == null || r.finishedAt == null) {
      return null;
    }
    return Duration.between(Instant.parse(r.startedAt), Instant.parse(r.finishedAt)).toMillis()
        / 1000.0;
  }

  /** An instant to the second, "2026-12-05 04:20:13Z". */
  static String shortTime(String instant) {
    if (instant == null) {
      return "";
    }
    String s = Instant.parse(instant).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        .toString();
    return s.replace('T', ' ');
  }
}
