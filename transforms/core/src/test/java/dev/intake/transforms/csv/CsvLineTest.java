package dev.intake.transforms.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CsvLineTest {

  static Stream<Arguments> validRecords() {
    return Stream.of(
        Arguments.of("a,b,c", List.of("a", "b", "c")),
        Arguments.of("", List.of("")),
        Arguments.of("a,,c", List.of("a", "", "c")),
        Arguments.of("a,", List.of("a", "")),
        Arguments.of(",", List.of("", "")),
        Arguments.of(" a , b ", List.of(" a ", " b ")),
        Arguments.of("\"a,b\",c", List.of("a,b", "c")),
        Arguments.of("\"say \"\"hi\"\"\",x", List.of("say \"hi\"", "x")),
        Arguments.of("\"\"\"\"", List.of("\"")),
        Arguments.of("\"\",\"\"", List.of("", "")),
        Arguments.of("x,\"\"", List.of("x", "")),
        Arguments.of("\"line1\nline2\",z", List.of("line1\nline2", "z")),
        Arguments.of("\"crlf\r\ninside\"", List.of("crlf\r\ninside")),
        Arguments.of("a\"b,c", List.of("a\"b", "c")),
        Arguments.of(" \"a\",b", List.of(" \"a\"", "b")),
        Arguments.of(
            "101004001,03/15/2019 10:05:00 PM,\"Pier 39, Beach St\",37.808",
            List.of("101004001", "03/15/2019 10:05:00 PM", "Pier 39, Beach St", "37.808")));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("validRecords")
  void splitsIntoUnquotedFields(String record, List<String> fields) throws Exception {
    assertEquals(fields, CsvLine.split(record));
  }

  static Stream<Arguments> malformedRecords() {
    return Stream.of(
        Arguments.of("\"abc", "unterminated quoted field starting at character 1"),
        Arguments.of("a,\"bc", "unterminated quoted field starting at character 3"),
        Arguments.of("a,\"b\"\"", "unterminated quoted field starting at character 3"),
        Arguments.of("\"a\"b,c", "unexpected character 'b' after a closing quote at character 4"),
        Arguments.of(
            "x,\"a\" ,c", "unexpected character ' ' after a closing quote at character 6"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("malformedRecords")
  void malformedRecordSaysWhatAndWhere(String record, String message) {
    CsvLine.MalformedCsvException e =
        assertThrows(CsvLine.MalformedCsvException.class, () -> CsvLine.split(record));
    assertEquals(message, e.getMessage());
  }
}
