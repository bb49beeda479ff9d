package dev.intake.transforms.sources.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.model.InputBounds;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.testing.Causes;
import dev.intake.transforms.testing.TestPipelineExtension;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(TestPipelineExtension.class)
class ReadExportTest {
  private static final String HEADER = "CaseID,Status,Notes";

  /**
   * Byte offsets: header 0-19, 101 at 20, 102 at 35 (quoted newline), 103 at 58 (escaped quotes and
   * an empty line inside quotes), an empty line at 99, 104 at 100, end of file at 114.
   */
  private static final String CASES =
      "CaseID,Status,Notes\n"
          + "101,Open,plain\n"
          + "102,Closed,\"two\nlines\"\n"
          + "103,Open,\"say \"\"hi\"\", then\nleave\n\nlater\"\n"
          + "\n"
          + "104,Open,last\n";

  @TempDir Path dir;

  private String write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file.toString();
  }

  private static List<SourceRecord> casesIn(String file) {
    return List.of(
        SourceRecord.of(file, 2, 20, "101,Open,plain", HEADER),
        SourceRecord.of(file, 3, 35, "102,Closed,\"two\nlines\"", HEADER),
        SourceRecord.of(file, 5, 58, "103,Open,\"say \"\"hi\"\", then\nleave\n\nlater\"", HEADER),
        SourceRecord.of(file, 10, 100, "104,Open,last", HEADER));
  }

  @ParameterizedTest(name = "splitBytes={0}")
  @ValueSource(longs = {1, 7, 20, 40, 1 << 20})
  void everyRecordIsReadExactlyOnceWhateverTheSplitSize(long splitBytes, TestPipeline p)
      throws IOException {
    String file = write("cases.csv", CASES);

    PCollection<SourceRecord> records =
        p.apply(ReadExport.from(dir + "/*.csv").withSplitBytes(splitBytes));

    PAssert.that(records).containsInAnyOrder(casesIn(file));
    p.run();
  }

  @Test
  void quotedNewlineIsNeverCutBetweenSplits(TestPipeline p) throws IOException {
    String file = write("cases.csv", CASES);

    // With 20-byte splits a byte-range cut would land at 40, inside record 102's quoted field, and
    // at 78, inside 103's: the plan moves each cut to the end of the record instead.
    PCollection<FileSplit> splits = planSplits(p, dir + "/cases.csv", 20);

    PAssert.that(splits)
        .containsInAnyOrder(
            FileSplit.of(file, 20, 58, 2, HEADER),
            FileSplit.of(file, 58, 99, 5, HEADER),
            FileSplit.of(file, 99, -1, 9, HEADER));
    p.run();
  }

  @Test
  void oneByteSplitsHoldOneRecordEach(TestPipeline p) throws IOException {
    String file = write("cases.csv", CASES);

    PCollection<FileSplit> splits = planSplits(p, dir + "/cases.csv", 1);

    PAssert.that(splits)
        .containsInAnyOrder(
            FileSplit.of(file, 20, 35, 2, HEADER),
            FileSplit.of(file, 35, 58, 3, HEADER),
            FileSplit.of(file, 58, 99, 5, HEADER),
            FileSplit.of(file, 99, 114, 9, HEADER),
            FileSplit.of(file, 114, -1, 11, HEADER));
    p.run();
  }

  private static PCollection<FileSplit> planSplits(Pipeline p, String pattern, long splitBytes) {
    return p.apply(FileIO.match().filepattern(pattern))
        .apply(FileIO.readMatches())
        .apply(ParDo.of(new PlanSplitsFn(true, splitBytes, InputBounds.defaults())));
  }

  @Test
  void eachFileKeepsItsOwnHeaderAndLineNumbers(TestPipeline p) throws IOException {
    String cases = write("cases.csv", CASES);
    String other = write("other.csv", "Status,CaseID\nOpen,201\r\nClosed,202");

    PCollection<SourceRecord> records = p.apply(ReadExport.from(dir + "/*.csv").withSplitBytes(16));

    PAssert.that(records)
        .containsInAnyOrder(
            SourceRecord.of(cases, 2, 20, "101,Open,plain", HEADER),
            SourceRecord.of(cases, 3, 35, "102,Closed,\"two\nlines\"", HEADER),
            SourceRecord.of(
                cases, 5, 58, "103,Open,\"say \"\"hi\"\", then\nleave\n\nlater\"", HEADER),
            SourceRecord.of(cases, 10, 100, "104,Open,last", HEADER),
            SourceRecord.of(other, 2, 14, "Open,201", "Status,CaseID"),
            SourceRecord.of(other, 3, 24, "Closed,202", "Status,CaseID"));
    p.run();
  }

  @Test
  void jsonLinesHaveNoHeaderAndEveryLineIsARecord(TestPipeline p) throws IOException {
    String file =
        write("page.jsonl", "{\"id\":\"1\"}\n\n{\"id\":\"2\",\"note\":\"a\\nb\"}\n{\"id\":\"3\"}");

    PCollection<SourceRecord> records =
        p.apply(
            ReadExport.from(dir + "/*.jsonl").withKind(RecordFormat.Kind.JSON).withSplitBytes(5));

    PAssert.that(records)
        .containsInAnyOrder(
            SourceRecord.of(file, 1, 0, "{\"id\":\"1\"}", null),
            SourceRecord.of(file, 3, 12, "{\"id\":\"2\",\"note\":\"a\\nb\"}", null),
            SourceRecord.of(file, 4, 37, "{\"id\":\"3\"}", null));
    p.run();
  }

  @Test
  void compressedFileIsReadWhole(TestPipeline p) throws IOException {
    Path file = dir.resolve("cases.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write("CaseID,Status\n301,Open\n302,\"x\ny\"\n".getBytes(StandardCharsets.UTF_8));
    }

    PCollection<SourceRecord> records = p.apply(ReadExport.from(dir + "/*.gz").withSplitBytes(1));

    PAssert.that(records)
        .containsInAnyOrder(
            SourceRecord.of(file.toString(), 2, 14, "301,Open", "CaseID,Status"),
            SourceRecord.of(file.toString(), 3, 23, "302,\"x\ny\"", "CaseID,Status"));
    p.run();
  }

  @Test
  void headerOnlyFileHasNoRecords(TestPipeline p) throws IOException {
    write("empty.csv", "CaseID,Status\n");

    PAssert.that(p.apply(ReadExport.from(dir + "/*.csv"))).empty();
    p.run();
  }

  @Test
  void patternMatchingNothingFailsTheRun(TestPipeline p) {
    p.apply(ReadExport.from(dir + "/*.csv"));

    RuntimeException e = assertThrows(RuntimeException.class, p::run);
    assertEquals(
        "No files matched spec: " + dir + "/*.csv",
        Causes.find(e, FileNotFoundException.class).getMessage());
  }

  @Test
  void splitBytesMustBePositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReadExport.from("x").withSplitBytes(0));
    assertEquals("splitBytes must be > 0, but was 0", e.getMessage());
  }
}
