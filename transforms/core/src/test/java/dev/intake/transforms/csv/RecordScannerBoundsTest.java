package dev.intake.transforms.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scanner on a byte order mark and on records over the record-size bound. */
class RecordScannerBoundsTest {
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** One record as the scanner reports it, with its full length and whether it was cut. */
  record Rec(String text, long line, long offset, long end, long length, boolean oversized) {}

  @Test
  void aByteOrderMarkAtTheStartIsNotPartOfTheHeader() throws IOException {
    assertEquals(
        List.of(new Rec("CaseID,Status", 1, 3, 17, 13, false), new Rec("1,Open", 2, 17, 24, 6,
            false)),
        scan(withBom("CaseID,Status\n1,Open\n"), true, 0, Integer.MAX_VALUE));
  }

  @Test
  void aByteOrderMarkIsFoundEvenWhenTheStreamDeliversOneByteAtATime() throws IOException {
    assertEquals(
        List.of(new Rec("{\"a\":1}", 1, 3, 11, 7, false)),
        scan(oneByteAtATime(withBom("{\"a\":1}\n")), false, 0, Integer.MAX_VALUE));
  }

  @Test
  void aByteOrderMarkInsideTheFileOrAfterTheStartOffsetIsKept() throws IOException {
    byte[] input = concat(BOM, "x\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("\uFEFFx", scan(new ByteArrayInputStream(input), true, 10, 1000).get(0).text);
    byte[] later = concat("a\n".getBytes(StandardCharsets.UTF_8), input);
    assertEquals("\uFEFFx", scan(new ByteArrayInputStream(later), true, 0, 1000).get(1).text);
  }

  @Test
  void aFileThatIsOnlyAByteOrderMarkHasNoRecords() throws IOException {
    assertEquals(List.of(), scan(new ByteArrayInputStream(BOM), true, 0, 1000));
  }

  @Test
  void aRecordOverTheBoundKeepsOnlyItsStartAndTheNextRecordIsWhole() throws IOException {
    String big = "1,\"" + "y".repeat(100) + "\n" + "z".repeat(100) + "\"";
    String input = "h\n" + big + "\r\n2,ok\n";

    List<Rec> records = scan(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        true, 0, 50);

    assertEquals(
        List.of(
            new Rec("h", 1, 0, 2, 1, false),
            new Rec(big.substring(0, 50), 2, 2, 2 + big.length() + 2, big.length(), true),
            new Rec("2,ok", 4, 2 + big.length() + 2, input.length(), 4, false)),
        records);
  }

  @Test
  void aRecordExactlyAtTheBoundIsWhole() throws IOException {
    List<Rec> records = scan(new ByteArrayInputStream("abcde\r\nf\n".getBytes(
        StandardCharsets.UTF_8)), false, 0, 5);
    assertEquals(List.of(new Rec("abcde", 1, 0, 7, 5, false), new Rec("f", 2, 7, 9, 1, false)),
        records);
  }

  @Test
  void anUnterminatedQuoteAtTheEndIsOneOversizedRecordNotAnOutOfMemory() throws IOException {
    // 6 MiB of lines after an opening quote: without the bound all of it would be one buffer.
    byte[] tail = "a,b,c\n".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
    byte[] input = concat("h\n1,\"open\n".getBytes(StandardCharsets.UTF_8), tail);
    RecordScanner scanner = new RecordScanner(new ByteArrayInputStream(input), true, 0, 1, 64);

    assertTrue(scanner.next());
    assertTrue(scanner.next());
    assertTrue(scanner.oversized());
    assertTrue(scanner.unterminated());
    assertEquals(input.length - 2, scanner.length());
    assertEquals("1,\"open\na,b,c\n", scanner.text(14));
    assertFalse(scanner.next());
  }

  @Test
  void theBoundMustBePositive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RecordScanner(new ByteArrayInputStream(new byte[0]), true, 0, 1, 0));
    assertEquals("maxRecordBytes must be > 0, but was 0", e.getMessage());
  }

  private static List<Rec> scan(InputStream in, boolean csv, long start, int max)
      throws IOException {
    RecordScanner scanner = new RecordScanner(in, csv, start, 1, max);
    List<Rec> records = new ArrayList<>();
    while (scanner.next()) {
      records.add(new Rec(scanner.text(), scanner.line(), scanner.offset(), scanner.end(),
          scanner.length(), scanner.oversized()));
    }
    return records;
  }

  private static InputStream withBom(String text) {
    return new ByteArrayInputStream(concat(BOM, text.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static InputStream oneByteAtATime(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 1));
      }
    };
  }
}
