package dev.intake.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.intake.transforms.sinks.lake.LakeFiles;
import dev.intake.transforms.sinks.lake.LakeLayout;
import dev.intake.transforms.sinks.lake.PartitionSwap;
import dev.intake.transforms.sinks.warehouse.SchemaRecord;
import dev.intake.transforms.sinks.warehouse.TableChange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;

/**
 * What a run's commit does, written into its staging folder ({@code _COMMIT.json}) before anything
 * is published: per output name, the partition swap; the schema version and its table changes; and
 * the run summary. Once a run has a
 * journal it will commit: the next run completes it if this one is interrupted.
 */
final class CommitJournal {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public String runId;
  /** Output name to its swap. */
  public Map<String, PartitionSwap.Move> moves = new LinkedHashMap<>();
  public String summaryPath;
  public String summary;
  /** The table changes of a newer schema version, applied in the warehouse transaction. */
  public List<TableChange> changes = new java.util.ArrayList<>();
  /** The schema version the warehouse records (null for a run that publishes no data). */
  public SchemaRecord schema;
  /** Where the lake records that version, and the record. */
  public String schemaPath;
  public String schemaFile;

  /** The journal of a run that rewrote {@code touched}, with {@code outputs}' staged files. */
  static CommitJournal plan(DatasetOutputs outputs, String runId, List<String> touched)
      throws IOException {
    return plan(outputs, runId, touched, List.of());
  }

  /**
   * The journal of a run that rewrote {@code touched} (and the history partitions {@code
   * historyTouched}), with {@code outputs}' staged files.
   */
  static CommitJournal plan(DatasetOutputs outputs, String runId, List<String> touched,
      List<String> historyTouched) throws IOException {
    return of(outputs, runId, outputs.all(), touched, historyTouched);
  }

  /** A journal that publishes only the dead letters (for a run refused before its commit). */
  static CommitJournal deadLettersOnly(DatasetOutputs outputs, String runId) throws IOException {
    return of(outputs, runId, List.of(outputs.deadLetters), List.of(), List.of());
  }

  private static CommitJournal of(DatasetOutputs outputs, String runId,
      List<DatasetOutputs.Output> published, List<String> touched, List<String> historyTouched)
      throws IOException {
    CommitJournal j = new CommitJournal();
    j.runId = runId;
    for (DatasetOutputs.Output o : published) {
      j.moves.put(o.name, PartitionSwap.plan(outputs.staged(o, runId), outputs.published(o, runId),
          outputs.swapped(o, touched, historyTouched)));
    }
    j.summaryPath = outputs.lake.runSummary(runId);
    return j;
  }

  /** Writes the journal with the run's summary; from then on the run will commit. */
  void write(LakeLayout lake, String summaryJson) throws IOException {
    summary = summaryJson;
    // Written aside and renamed, so that a full disk never leaves half a journal to be trusted.
    String journal = lake.staging(runId).journal();
    LakeFiles.write(journal + ".tmp", JSON.writeValueAsString(this));
    LakeFiles.rename(List.of(FileSystems.matchNewResource(journal + ".tmp", false)),
        List.of(FileSystems.matchNewResource(journal, false)));
  }

  /** The journal of a staged run, or null if it has none (it failed before its commit). */
  static CommitJournal read(LakeLayout lake, String runId) throws IOException {
    String path = lake.staging(runId).journal();
    return LakeFiles.exists(path)
        ? JSON.readValue(LakeFiles.read(path), CommitJournal.class)
        : null;
  }

  /** Records the schema version in the lake, then swaps every output's partitions in. Repeatable.
   */
  void swap() throws IOException {
    if (schemaPath != null) {
      LakeFiles.write(schemaPath, schemaFile);
    }
    for (PartitionSwap.Move m : moves.values()) {
      PartitionSwap.swap(m);
    }
  }

  /** The published files of {@code output} (none if the journal does not move it). */
  List<String> publishedFiles(String output) {
    PartitionSwap.Move m = moves.get(output);
    return m == null ? List.of() : PartitionSwap.publishedFiles(m);
  }

  /** Writes the run summary and removes the run's staging folder. */
  void finish(LakeLayout lake) throws IOException {
    LakeFiles.write(summaryPath, summary);
    LakeFiles.deleteTree(lake.staging(runId).dir());
    LakeFiles.removeIfEmpty(lake.stagingRoot());
    LakeFiles.removeIfEmpty(lake.root() + "/_staging/");
  }
}
