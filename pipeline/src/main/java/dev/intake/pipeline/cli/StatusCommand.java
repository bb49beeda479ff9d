package dev.intake.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.options.InvalidOptionsException;
import dev.intake.options.IntakeOptions;
import dev.intake.pipeline.Main;
import dev.intake.pipeline.WarehouseChoice;
import dev.intake.transforms.sinks.lake.LakeFiles;
import dev.intake.transforms.sinks.lake.LakeLayout;
import dev.intake.transforms.sinks.warehouse.RunHistory;
import dev.intake.transforms.sinks.warehouse.RunLock;
import dev.intake.transforms.sinks.warehouse.RunRecord;
import dev.intake.transforms.sinks.warehouse.WarehouseConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code intake status --dataset=X [--format=json] [warehouse options]}: the dataset's watermark,
 * its last successful run, its last run that did not succeed and why, who holds its lock, and any
 * commit left incomplete in the lake (which the next run completes). Exits 0 when the newest run
 * succeeded (or there is none), 1 when it did not, 3 when a commit is pending.
 */
final class StatusCommand {
  private static final Set<String> OWN = Set.of("dataset", "format", "help", "verbose");

  static String help() {
    return """
        usage: intake status --dataset=<name or spec file> [--format=text|json]
                             [--jdbcUrl=… | --lakePath=…]
        A dataset's watermark, last success, last failure and its reason, whether a run holds its
        lock, and whether a commit is pending in the lake. Exit 0: the newest run succeeded (or
        none ran yet); 1: it did not (or the warehouse cannot be read); 3: a commit is incomplete
        (the next run completes it); 2: bad usage.

          --dataset  (default: required)
              The dataset: a bundled name or a spec file.
          --format  (default: text)
              text or json.
        """ + HistoryAccess.optionsHelp() + "\n" + HelpText.EXIT_CODES;
  }

  private StatusCommand() {}

  static int run(CommandArgs args, PrintStream out) throws IOException {
    args.check(HistoryAccess.known(OWN.toArray(String[]::new)));
    boolean json = args.json();
    if (args.get("dataset", null) == null) {
      throw new InvalidOptionsException("intake status needs --dataset (e.g. --dataset=sf311)");
    }
    String dataset = HistoryAccess.datasetName(args.get("dataset", null));
    IntakeOptions options = HistoryAccess.options(args, OWN);
    WarehouseConfig config = WarehouseChoice.of(options);
    Timestamp watermark;
    Optional<RunRecord> success;
    Optional<RunRecord> failure;
    Optional<RunLock.Holder> lock;
    try (RunHistory history = HistoryAccess.open(config)) {
      watermark = history.watermark(dataset);
      success = history.lastSucceeded(dataset);
      failure = history.lastFailed(dataset);
      lock = history.lockHolder(dataset);
    } catch (SQLException e) {
      throw HistoryAccess.failure(config, e);
    }
    List<String> pending = pendingCommits(options.getLakePath(), dataset);
    boolean failedLast = failure.isPresent() && (success.isEmpty()
        || failure.get().startedAt.compareTo(success.get().startedAt) > 0);
    if (json) {
      ObjectNode node = new ObjectMapper().createObjectNode().put("dataset", dataset)
          .put("warehouse", config.url())
          .put("watermark", watermark == null ? null : watermark.toInstant().toString());
      success.ifPresent(r -> run(node.putObject("lastSuccess"), r));
      failure.ifPresent(r -> run(node.putObject("lastFailure"), r));
      lock.ifPresentOrElse(h -> node.putObject("lock").put("runId", h.runId())
          .put("host", h.host()).put("pid", h.pid()).put("since", h.acquiredAt())
          .put("heartbeat", h.heartbeatAt()), () -> node.putNull("lock"));
      pending.forEach(node.putArray("pendingCommits")::add);
      out.println(node.toPrettyString());
    } else {
      TextTable t = new TextTable("", "");
      t.row("dataset", dataset);
      t.row("warehouse", config.url());
      t.row("watermark", watermark == null ? "none (no committed run yet)"
          : watermark.toInstant().toString());
      t.row("last success", success.map(StatusCommand::describe).orElse("none"));
      t.row("last failure", failure.map(r -> describe(r) + ": " + r.error).orElse("none"));
      t.row("lock", lock.map(h -> "held by " + h.describe()).orElse("free"));
      t.row("pending commit", pending.isEmpty() ? "none"
          : "run(s) " + String.join(", ", pending) + ": the commit is incomplete; the next run"
              + " of " + dataset + " completes it");
      out.print(t.toString().lines().skip(1).map(l -> l + "\n").reduce("", String::concat));
    }
    if (!pending.isEmpty() && lock.isEmpty()) {
      return Main.INCOMPLETE;
    }
    return failedLast ? Main.FAILED : Main.COMMITTED;
  }

  private static String describe(RunRecord r) {
    Double s = RunsCommand.seconds(r);
    return r.runId + " (" + r.status + ", " + r.mode + ", started " + r.startedAt
        + (s == null ? "" : String.format(java.util.Locale.ROOT, ", %.1f s", s)) + ", read "
        + r.read + ", written " + r.written + ", rejected " + r.rejected + ")";
  }

  private static void run(ObjectNode node, RunRecord r) {
    node.put("runId", r.runId).put("status", r.status).put("mode", r.mode)
        .put("startedAt", r.startedAt).put("finishedAt", r.finishedAt).put("read", r.read)
        .put("written", r.written).put("rejected", r.rejected).put("watermark", r.watermark)
        .put("error", r.error);
  }

  /** The runs whose commit journal is still in the lake's staging folder. */
  private static List<String> pendingCommits(String lakePath, String dataset) throws IOException {
    String root = LakeFiles.isLocal(lakePath)
        ? Path.of(lakePath.replaceFirst("^file://", "")).toAbsolutePath().normalize().toString()
        : lakePath;
    LakeLayout lake = new LakeLayout(root, dataset);
    List<String> runs = new ArrayList<>();
    for (String runId : LakeFiles.children(lake.stagingRoot())) {
      if (LakeFiles.exists(lake.staging(runId).journal())) {
        runs.add(runId);
      }
    }
    return runs;
  }
}
