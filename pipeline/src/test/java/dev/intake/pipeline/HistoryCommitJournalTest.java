package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import dev.intake.pipeline.spec.SpecLoader;
import dev.intake.transforms.sinks.lake.LakeFiles;
import dev.intake.transforms.sinks.lake.LakeLayout;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history's place in a commit: staged apart, swapped in only by the commit, and only in the
 * history partitions the run rewrote (which need not be the clean data's), replacing their files.
 */
class HistoryCommitJournalTest {
  @Test
  void theCommitSwapsInTheRewrittenHistoryPartitionsOnly(@TempDir Path tmp) throws Exception {
    String text;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("specs/sf311.yaml")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8) + "\nhistory: true\n";
    }
    LakeLayout lake = new LakeLayout(tmp.toString(), "sf311");
    DatasetOutputs outputs = new DatasetOutputs(SpecLoader.parse("sf311.yaml", text), lake);
    assertThat(outputs.history.table.name(), is("sf311_history"));
    assertThat(outputs.history.table.key(), contains("service_request_id", "valid_from"));

    LakeFiles.write(lake.history() + "requested_month=2021-01/part-00000.parquet", "january");
    LakeFiles.write(lake.history() + "requested_month=2021-02/part-00000.parquet", "old feb 0");
    LakeFiles.write(lake.history() + "requested_month=2021-02/part-00001.parquet", "old feb 1");
    String staged = lake.staging("r1").history();
    LakeFiles.write(staged + "requested_month=2021-02/part-00000.parquet", "new feb");
    LakeFiles.write(staged + "requested_month=2021-03/part-00000.parquet", "new march");
    LakeFiles.write(lake.staging("r1").clean() + "requested_month=2021-03/part-00000.parquet",
        "clean march");

    CommitJournal journal = CommitJournal.plan(outputs, "r1",
        List.of("requested_month=2021-03"),
        List.of("requested_month=2021-02", "requested_month=2021-03"));
    assertThat(journal.moves.get("history").files.keySet(),
        contains("requested_month=2021-02", "requested_month=2021-03"));
    assertThat(journal.moves.get("clean").files.keySet(), contains("requested_month=2021-03"));
    assertThat(Files.readString(Path.of(lake.history(), "requested_month=2021-02",
        "part-00000.parquet")), is("old feb 0"));

    journal.swap();
    Path history = Path.of(lake.history());
    assertThat(Files.readString(history.resolve("requested_month=2021-01/part-00000.parquet")),
        is("january"));
    assertThat(Files.readString(history.resolve("requested_month=2021-02/part-00000.parquet")),
        is("new feb"));
    assertThat(Files.exists(history.resolve("requested_month=2021-02/part-00001.parquet")),
        is(false));
    assertThat(Files.readString(history.resolve("requested_month=2021-03/part-00000.parquet")),
        is("new march"));
    assertThat(journal.publishedFiles("history"), contains(
        lake.history() + "requested_month=2021-02/part-00000.parquet",
        lake.history() + "requested_month=2021-03/part-00000.parquet"));
  }
}
