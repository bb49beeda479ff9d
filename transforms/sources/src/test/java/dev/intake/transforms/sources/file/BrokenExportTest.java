package dev.intake.transforms.sources.file;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.model.InputBounds;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.model.WithDeadLetters;
import dev.intake.transforms.parse.ParseRecords;
import dev.intake.transforms.testing.Causes;
import dev.intake.transforms.testing.TestPipelineExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken and hostile export files, read and parsed as a run does (ReadExport then ParseRecords):
 * each ends as exact rows and dead letters with their reasons, or, for a decompression bomb, as a
 * failure naming the file and the bound.
 */
@ExtendWith(TestPipelineExtension.class)
class BrokenExportTest {
  private static final List<FieldDef> FIELDS = List.of(FieldDef.of("id", FieldType.LONG),
      FieldDef.of("status", FieldType.STRING), FieldDef.of("notes", FieldType.STRING));
  private static final RecordFormat CSV = RecordFormat.of("export", RecordFormat.Kind.CSV,
      Map.of("CaseID", "id", "Status", "status", "Notes", "notes"), List.of("yyyy-MM-dd"), "UTC");
  private static final RecordFormat JSON = RecordFormat.of("lines", RecordFormat.Kind.JSON,
      Map.of(), List.of("yyyy-MM-dd"), "UTC");
  private static final Lineage LINEAGE = Lineage.of("cases", "r1", new Instant(0));
  private static final InputBounds BOUNDS = InputBounds.defaults().withMaxRecordBytes(64)
      .withMaxColumns(5).withMaxFieldBytes(12).withMaxJsonDepth(4);
  private static final String HEADER = "CaseID,Status,Notes\n";

  @TempDir Path dir;

  private String write(String name, byte[] content) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, content);
    return file.toString();
  }

  private String write(String name, String content) throws IOException {
    return write(name, content.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      byte[] b = part instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) part;
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  @Test
  void eachBrokenFileEndsAsRowsAndDeadLettersWithTheirReasons(TestPipeline p)
      throws IOException {
    String bom = write("bom.csv", bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        HEADER + "1,Open,a\n"));
    String nul = write("nul.csv", HEADER + "2,Open,x\0y\n3,Open,fine\n");
    String latin1 = write("latin1.csv", bytes(HEADER + "4,Open,caf", new byte[] {(byte) 0xE9},
        "\n5,Closed,ok\n"));
    String unterminated = write("unterminated.csv",
        HEADER + "6,Open,ok\n7,Open,\"never closed\n8,Open,x\n");
    String big = "9,Open,\"" + "n".repeat(30) + "\n" + "m".repeat(40) + "\"";
    String oversized = write("oversized.csv", HEADER + big + "\n10,Open,after\n");
    String wide = write("wide.csv", HEADER + "11,Open,a,b,c,d\n12,Open,a,b\n");
    String longField = write("longfield.csv", HEADER + "13,Open,0123456789abc\n");
    String deep = write("deep.json",
        "{\"id\":14,\"notes\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}}}\n"
            + "{\"id\":15,\"notes\":{\"a\":[1]}}\n");

    WithDeadLetters<KV<SourceRecord, Row>> csv = p
        .apply("ReadCsv", ReadExport.from(dir + "/*.csv").withBounds(BOUNDS).withSplitBytes(16))
        .apply("ParseCsv", ParseRecords.of(FIELDS, CSV, LINEAGE).withBounds(BOUNDS));
    WithDeadLetters<KV<SourceRecord, Row>> json = p
        .apply("ReadJson", ReadExport.from(dir + "/*.json").withKind(RecordFormat.Kind.JSON)
            .withBounds(BOUNDS))
        .apply("ParseJson", ParseRecords.of(FIELDS, JSON, LINEAGE).withBounds(BOUNDS));

    PAssert.that(rows(csv, "CsvRows")).containsInAnyOrder(
        "1|Open|a", "3|Open|fine", "5|Closed|ok", "6|Open|ok", "10|Open|after");
    PAssert.that(deadLetters(csv, "CsvDeadLetters")).containsInAnyOrder(
        nul + ":2 malformed:nul | the record holds a NUL character at character 9 (a binary or"
            + " damaged file?) | 2,Open,x\0y",
        latin1 + ":2 unreadable | the record is not valid UTF-8 (byte 11 of the record, at file"
            + " offset 30); is the file in another encoding? | 4,Open,caf\uFFFD",
        unterminated + ":3 malformed:csv | malformed CSV: unterminated quoted field starting at"
            + " character 8 | 7,Open,\"never closed\n8,Open,x\n",
        oversized + ":2 unreadable | the record is 80 bytes, over the bound maxRecordBytes=64 (the"
            + " text kept is its first 64 bytes) | " + big.substring(0, 64),
        wide + ":2 oversized:columns | the record has 6 fields, over the bound maxColumns=5 |"
            + " 11,Open,a,b,c,d",
        wide + ":3 malformed:csv | malformed CSV: 4 fields where the header has 3 | 12,Open,a,b",
        longField + ":2 oversized:notes | notes: the value is 13 bytes, over the bound"
            + " maxFieldBytes=12 | 13,Open,0123456789abc");
    PAssert.that(rows(json, "JsonRows")).containsInAnyOrder("15|null|{\"a\":[1]}");
    PAssert.that(deadLetters(json, "JsonDeadLetters")).containsInAnyOrder(
        deep + ":1 oversized:depth | the record nests deeper than the bound maxJsonDepth=4 |"
            + " {\"id\":14,\"notes\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}}}");
    p.run();
  }

  @Test
  void aDecompressionBombFailsTheRunNamingTheFileAndTheBound(TestPipeline p) throws IOException {
    Path bomb = dir.resolve("export.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb))) {
      out.write(HEADER.getBytes(StandardCharsets.UTF_8));
      byte[] line = "1,Open,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n".getBytes(
          StandardCharsets.UTF_8);
      for (int i = 0; i < 100_000; i++) {
        out.write(line);
      }
    }
    long size = Files.size(bomb);
    p.apply(ReadExport.from(bomb.toString()).withBounds(InputBounds.defaults()
        .withMaxDecompressionRatio(10)));

    Throwable thrown = assertThrows(Throwable.class, p::run);

    assertThat(Causes.find(thrown, IOException.class).getMessage(), is(bomb + " decompresses to"
        + " more than 10 times its " + size + " bytes (bound maxDecompressionRatio=10): a"
        + " decompression bomb or a damaged file; raise --maxDecompressionRatio if it is"
        + " genuine"));
  }

  private static PCollection<String> rows(WithDeadLetters<KV<SourceRecord, Row>> parsed,
      String name) {
    return parsed.output().apply(name, MapElements.into(TypeDescriptors.strings())
        .via(kv -> kv.getValue().getInt64("id") + "|" + kv.getValue().getString("status") + "|"
            + kv.getValue().getString("notes")));
  }

  private static PCollection<String> deadLetters(WithDeadLetters<KV<SourceRecord, Row>> parsed,
      String name) {
    return parsed.deadLetters().apply(name, MapElements.into(TypeDescriptors.strings())
        .via(d -> d.getSource() + ":" + d.getLine() + " " + d.getReasonCode() + " | "
            + d.getReason() + " | " + d.getRawText()));
  }
}
