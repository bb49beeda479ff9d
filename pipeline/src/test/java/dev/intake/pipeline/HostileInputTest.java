package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.Lake;
import dev.intake.pipeline.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken export files through the real entry point: a UTF-8 byte order mark no longer
 * hides the first column, broken records are dead letters with their reasons, and a header over
 * a bound is refused before anything runs.
 */
class HostileInputTest {
  @TempDir Path tmp;

  /** Case 201 of overlap_a.csv as case {@code id} with other status notes. */
  private static String record(int id, String notes) throws java.io.IOException {
    String first = Files.readAllLines(Path.of(TestData.file("overlap_a.csv"))).get(1);
    return first.replaceFirst("^201,", id + ",").replace("a: accepted", notes) + "\n";
  }

  @Test
  void aFileWithAByteOrderMarkLoadsAndItsBrokenRecordsAreDeadLetters() throws Exception {
    String good = Files.readString(Path.of(TestData.file("overlap_a.csv")));
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    file.writeBytes(good.getBytes(StandardCharsets.UTF_8));
    file.writeBytes(record(206, "a\0b").getBytes(StandardCharsets.UTF_8));
    file.writeBytes(record(207, "x".repeat(3000)).getBytes(StandardCharsets.UTF_8));
    file.writeBytes(record(208, "caf").getBytes(StandardCharsets.UTF_8));
    file.writeBytes(record(209, "y".repeat(1500)).getBytes(StandardCharsets.UTF_8));
    byte[] bytes = file.toByteArray();
    // 208's notes end in a Latin-1 é: not UTF-8.
    int e = new String(bytes, StandardCharsets.ISO_8859_1).lastIndexOf("caf,") + 3;
    byte[] latin1 = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, latin1, 0, e);
    latin1[e] = (byte) 0xE9;
    System.arraycopy(bytes, e, latin1, e + 1, bytes.length - e);
    Path export = tmp.resolve("bom.csv");
    Files.write(export, latin1);
    Lake lake = new Lake(tmp.resolve("lake"));

    Cli cli = Cli.run("run", "--dataset=sf311", "--inputFile=" + export,
        "--lakePath=" + lake.root, "--runId=bom", "--maxRecordBytes=2048",
        "--maxFieldBytes=1000", "--maxRejectedRatio=1");

    assertThat(cli.toString(), cli.exitCode, is(0));
    assertThat(lake.query("SELECT service_request_id FROM " + lake.clean() + " ORDER BY 1"),
        contains("201", "202", "203", "204", "205"));
    RunSummary s = lake.summary("bom");
    assertThat(List.of(s.read, s.written, s.rejected), contains(9L, 5L, 4L));
    assertThat(s.rejectedByReason, equalTo(Map.of("parse/malformed:nul", 1L,
        "parse/unreadable", 2L, "parse/oversized:status_notes", 1L)));
    List<String> deadLetters = lake.query("SELECT line, reason_code, reason, length(raw_text)"
        + " FROM " + lake.deadLetters() + " ORDER BY line");
    assertThat(deadLetters, hasSize(4));
    assertThat(deadLetters.get(0), is("7\tmalformed:nul\tthe record holds a NUL character at"
        + " character 58 (a binary or damaged file?)\t" + (record(206, "a\0b").length() - 1)));
    assertThat(deadLetters.get(1), is("8\tunreadable\tthe record is "
        + (record(207, "x".repeat(3000)).length() - 1) + " bytes, over the bound"
        + " maxRecordBytes=2048 (the text kept is its first 1024 bytes)\t1024"));
    int offset208 = e - record(208, "caf").indexOf("caf,") - 3;
    assertThat(deadLetters.get(2), is("9\tunreadable\tthe record is not valid UTF-8 (byte 60 of"
        + " the record, at file offset " + (offset208 + 59) + "); is the file in another"
        + " encoding?\t" + (record(208, "caf\uFFFD").length() - 1)));
    assertThat(deadLetters.get(3), is("10\toversized:status_notes\tstatus_notes: the value is"
        + " 1500 bytes, over the bound maxFieldBytes=1000\t"
        + (record(209, "y".repeat(1500)).length() - 1)));
  }

  @Test
  void aHeaderWithMoreColumnsThanTheBoundIsRefusedBeforeRunning() {
    String csv = TestData.file("overlap_a.csv");
    Cli cli = Cli.run("run", "--dataset=sf311", "--inputFile=" + csv,
        "--lakePath=" + tmp.resolve("lake"), "--maxColumns=10");
    assertThat(cli.toString(), cli.exitCode, is(2));
    assertThat(cli.errorLines(), contains("intake: error: " + csv + ": the header row has 20"
        + " columns, more than the bound --maxColumns=10"));
    assertThat(Files.exists(tmp.resolve("lake")), is(false));
  }
}
