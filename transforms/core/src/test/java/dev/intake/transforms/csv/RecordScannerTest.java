package dev.intake.transforms.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordScannerTest {

  /** One record as the scanner reports it. */
  record Rec(String text, long line, long offset, long end, boolean unterminated) {
    static Rec of(String text, long line, long offset, long end) {
      return new Rec(text, line, offset, end, false);
    }
  }

  static Stream<Arguments> csvCases() {
    return Stream.of(
        Arguments.of(
            "plain records", "a,b\nc,d\n", List.of(Rec.of("a,b", 1, 0, 4), Rec.of("c,d", 2, 4, 8))),
        Arguments.of(
            "last record without a line break",
            "a\nb",
            List.of(Rec.of("a", 1, 0, 2), Rec.of("b", 2, 2, 3))),
        Arguments.of(
            "quoted newline stays in its record",
            "id,note\n1,\"two\nlines\"\n2,x\n",
            List.of(
                Rec.of("id,note", 1, 0, 8),
                Rec.of("1,\"two\nlines\"", 2, 8, 22),
                Rec.of("2,x", 4, 22, 26))),
        Arguments.of(
            "several quoted newlines in one field",
            "\"a\n\nb\n\",c\nd\n",
            List.of(Rec.of("\"a\n\nb\n\",c", 1, 0, 10), Rec.of("d", 5, 10, 12))),
        Arguments.of(
            "escaped quotes then a quoted newline",
            "1,\"say \"\"hi\"\"\nthere\"\n2,y\n",
            List.of(Rec.of("1,\"say \"\"hi\"\"\nthere\"", 1, 0, 21), Rec.of("2,y", 3, 21, 25))),
        Arguments.of(
            "escaped quote right before the closing quote",
            "1,\"x\"\"\"\n2,z\n",
            List.of(Rec.of("1,\"x\"\"\"", 1, 0, 8), Rec.of("2,z", 2, 8, 12))),
        Arguments.of(
            "field that is a quoted line break between escaped quotes",
            "1,\"\"\"\n\"\"\"\n2\n",
            List.of(Rec.of("1,\"\"\"\n\"\"\"", 1, 0, 10), Rec.of("2", 3, 10, 12))),
        Arguments.of(
            "empty quoted field does not open a quote",
            "a,\"\",b\nc\n",
            List.of(Rec.of("a,\"\",b", 1, 0, 7), Rec.of("c", 2, 7, 9))),
        Arguments.of(
            "quote inside an unquoted field is a plain character",
            "ab\"c,d\ne\n",
            List.of(Rec.of("ab\"c,d", 1, 0, 7), Rec.of("e", 2, 7, 9))),
        Arguments.of(
            "CRLF line breaks are dropped",
            "a,b\r\nc,d\r\n",
            List.of(Rec.of("a,b", 1, 0, 5), Rec.of("c,d", 2, 5, 10))),
        Arguments.of(
            "CRLF inside a quoted field is kept",
            "1,\"x\r\ny\"\r\n2\r\n",
            List.of(Rec.of("1,\"x\r\ny\"", 1, 0, 10), Rec.of("2", 3, 10, 13))),
        Arguments.of(
            "empty lines are skipped but counted",
            "\na\n\n\r\nb\n\n",
            List.of(Rec.of("a", 2, 1, 3), Rec.of("b", 5, 6, 8))),
        Arguments.of("only empty lines", "\n\r\n\n", List.of()),
        Arguments.of("empty input", "", List.of()),
        Arguments.of(
            "offsets count bytes, not characters",
            "é,ü\nx\n",
            List.of(Rec.of("é,ü", 1, 0, 6), Rec.of("x", 2, 6, 8))),
        Arguments.of(
            "unterminated quote at the end swallows the rest and is flagged",
            "a\n\"open,\nmore\n",
            List.of(Rec.of("a", 1, 0, 2), new Rec("\"open,\nmore\n", 2, 2, 14, true))),
        Arguments.of(
            "unterminated quote right after an escaped quote",
            "\"x\"\"",
            List.of(new Rec("\"x\"\"", 1, 0, 4, true))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("csvCases")
  void csvRecordsEndOnlyOutsideQuotes(String name, String input, List<Rec> expected)
      throws IOException {
    assertEquals(expected, scan(whole(input), true, 0, 1));
    assertEquals(expected, scan(oneByteAtATime(input), true, 0, 1));
  }

  static Stream<Arguments> jsonCases() {
    return Stream.of(
        Arguments.of(
            "every line break ends a record",
            "{\"a\":\"1\"}\n{\"a\":\"2\"}\n",
            List.of(Rec.of("{\"a\":\"1\"}", 1, 0, 10), Rec.of("{\"a\":\"2\"}", 2, 10, 20))),
        Arguments.of(
            "quotes do not join lines",
            "\"open\n{\"a\":1}\n",
            List.of(Rec.of("\"open", 1, 0, 6), Rec.of("{\"a\":1}", 2, 6, 14))),
        Arguments.of(
            "commas and escaped quotes are plain characters",
            "{\"s\":\"x,\\\"y\"}\n",
            List.of(Rec.of("{\"s\":\"x,\\\"y\"}", 1, 0, 14))),
        Arguments.of(
            "CRLF and empty lines",
            "{}\r\n\r\n{\"b\":2}",
            List.of(Rec.of("{}", 1, 0, 4), Rec.of("{\"b\":2}", 3, 6, 13))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jsonCases")
  void jsonLinesEndAtEveryLineBreak(String name, String input, List<Rec> expected)
      throws IOException {
    assertEquals(expected, scan(whole(input), false, 0, 1));
    assertEquals(expected, scan(oneByteAtATime(input), false, 0, 1));
  }

  @Test
  void sameInputIsOneRecordAsCsvButTwoAsJsonLines() throws IOException {
    String input = "\"a\nb\"\n";

    assertEquals(List.of(Rec.of("\"a\nb\"", 1, 0, 6)), scan(whole(input), true, 0, 1));
    assertEquals(
        List.of(Rec.of("\"a", 1, 0, 3), Rec.of("b\"", 2, 3, 6)), scan(whole(input), false, 0, 1));
  }

  @Test
  void offsetsAndLinesContinueFromTheStartPosition() throws IOException {
    assertEquals(
        List.of(Rec.of("x,\"1\n2\"", 7, 100, 108), Rec.of("y", 9, 108, 110)),
        scan(whole("x,\"1\n2\"\ny\n"), true, 100, 7));
  }

  @Test
  void nextLineIsTheLineAfterTheCurrentRecord() throws IOException {
    RecordScanner scanner = new RecordScanner(whole("h\n\"a\nb\"\nc\n"), true, 0, 1);

    scanner.next();
    assertEquals(2, scanner.nextLine());
    scanner.next();
    assertEquals(4, scanner.nextLine());
    scanner.next();
    assertEquals(5, scanner.nextLine());
    assertFalse(scanner.next());
  }

  @Test
  void recordsLongerThanTheReadBufferAreWhole() throws IOException {
    String big = "x".repeat(200_000);
    String input = "1,\"" + big + "\n" + big + "\"\n2\n";

    List<Rec> records = scan(whole(input), true, 0, 1);

    assertEquals(
        List.of(
            Rec.of("1,\"" + big + "\n" + big + "\"", 1, 0, 400_006),
            Rec.of("2", 3, 400_006, 400_008)),
        records);
  }

  private static List<Rec> scan(InputStream in, boolean csv, long startOffset, long startLine)
      throws IOException {
    RecordScanner scanner = new RecordScanner(in, csv, startOffset, startLine);
    List<Rec> records = new ArrayList<>();
    while (scanner.next()) {
      records.add(
          new Rec(
              scanner.text(),
              scanner.line(),
              scanner.offset(),
              scanner.end(),
              scanner.unterminated()));
    }
    return records;
  }

  private static InputStream whole(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Hands out one byte per read, so every buffer boundary falls inside some record. */
  private static InputStream oneByteAtATime(String text) {
    return new FilterInputStream(whole(text)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 1));
      }
    };
  }
}
