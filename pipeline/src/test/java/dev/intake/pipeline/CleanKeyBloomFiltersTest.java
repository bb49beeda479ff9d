package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.Lake;
import dev.intake.pipeline.testing.TestData;
import dev.intake.transforms.sinks.lake.LakeFile;
import dev.intake.transforms.sinks.lake.LakeInputFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clean files a run writes carry a Bloom filter of sf311's key (service_request_id) that holds
 * every key of the file, and the aggregates carry none; the next run, which moves a stored case to
 * another month, finds the partition that holds it through those filters and rewrites it without
 * the case, so the case is stored once, in its new month.
 */
class CleanKeyBloomFiltersTest {
  private static final String KEY = "service_request_id";
  private static final String HEADER = "CaseID,Opened,Closed,Updated,Status,Status Notes,"
      + "Responsible Agency,Category,Request Type,Request Details,Address,Street,"
      + "Supervisor District,Neighborhood,Analysis Neighborhood,Police District,Latitude,"
      + "Longitude,Source,Media URL\n";
  /** Case 10622276, opened in March 2019 in the export, corrected into January 2021. */
  private static final String MOVED = "10622276,01/10/2021 08:00:00 AM,,06/01/2021 09:00:00 AM,"
      + "Open,moved,DPW BSM Queue,Sidewalk or Curb,Sidewalk_Defect,Collapsed_sidewalk,"
      + "\"361 MISSISSIPPI ST, SAN FRANCISCO, CA, 94107\",MISSISSIPPI ST,10,Potrero Hill,"
      + "Potrero Hill,BAYVIEW,37.76156,-122.394172,Web,\n";

  @TempDir Path tmp;

  private Lake lake() {
    return new Lake(tmp.resolve("lake"));
  }

  private void load(String input, String runId) {
    Cli cli = Cli.run("run", "--dataset=sf311", "--inputFile=" + input,
        "--lakePath=" + lake().root, "--runId=" + runId);
    assertThat(cli.toString(), cli.exitCode, is(0));
  }

  private List<Path> parquetFiles(String folder) throws Exception {
    try (Stream<Path> files = Files.walk(lake().root.resolve(folder))) {
      return files.filter(f -> f.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  /** The columns of {@code file} that have a Bloom filter in some row group. */
  private static List<String> filteredColumns(Path file) throws Exception {
    List<String> columns = new ArrayList<>();
    try (ParquetFileReader reader = ParquetFileReader.open(LakeInputFile.of(file.toString()))) {
      for (BlockMetaData group : reader.getRowGroups()) {
        for (ColumnChunkMetaData chunk : group.getColumns()) {
          if (reader.getBloomFilterDataReader(group).readBloomFilter(chunk) != null) {
            columns.add(chunk.getPath().toDotString());
          }
        }
      }
    }
    return columns;
  }

  /** Every key stored in {@code file} is in the Bloom filter of its row group. */
  private static void assertTheFilterHoldsEveryKey(Path file) throws Exception {
    BloomFilter filter;
    try (ParquetFileReader reader = ParquetFileReader.open(LakeInputFile.of(file.toString()))) {
      assertThat(reader.getRowGroups().size(), is(1));
      BlockMetaData group = reader.getRowGroups().get(0);
      ColumnChunkMetaData ids = group.getColumns().stream()
          .filter(c -> c.getPath().toDotString().equals(KEY)).findFirst().orElseThrow();
      filter = reader.getBloomFilterDataReader(group).readBloomFilter(ids);
    }
    assertThat(file.toString(), filter, notNullValue());
    List<Long> keys = new ArrayList<>();
    Schema key = Schema.builder().addNullableField(KEY, Schema.FieldType.INT64).build();
    try (LakeFile f = LakeFile.open(FileSystems.matchSingleFileSpec(file.toString()))) {
      f.readColumns(key, row -> keys.add(row.getInt64(KEY)));
    }
    assertThat(keys, not(empty()));
    for (long k : keys) {
      assertThat(file + " " + k, filter.findHash(filter.hash(k)), is(true));
    }
  }

  @Test
  void cleanFilesCarryAFilterOfTheKeyByWhichTheNextRunFindsAStoredCase() throws Exception {
    load(TestData.file("export_2021-05_first1000.csv"), "export");
    List<Path> clean = parquetFiles("clean/sf311");
    assertThat(clean, not(empty()));
    for (Path f : clean) {
      assertThat(f.toString(), filteredColumns(f), contains(KEY));
      assertTheFilterHoldsEveryKey(f);
    }
    List<Path> aggregates = parquetFiles("aggregates");
    assertThat(aggregates, not(empty()));
    for (Path f : aggregates) {
      assertThat(f.toString(), filteredColumns(f), empty());
    }
    assertThat(lake().query("SELECT requested_month FROM " + lake().clean()
        + " WHERE service_request_id = 10622276"), contains("2019-03"));
    long stored = lake().count("SELECT count(*) FROM " + lake().clean());

    load(Files.writeString(tmp.resolve("moved.csv"), HEADER + MOVED).toString(), "moved");
    assertThat(lake().query("SELECT requested_month, status_notes FROM " + lake().clean()
        + " WHERE service_request_id = 10622276"), contains("2021-01\tmoved"));
    assertThat(lake().count("SELECT count(*) FROM " + lake().clean()), is(stored));
    RunSummary moved = lake().summary("moved");
    assertThat(moved.partitions,
        containsInAnyOrder("requested_month=2019-03", "requested_month=2021-01"));
    assertThat(moved.replacedStored, is(1L));
  }
}
