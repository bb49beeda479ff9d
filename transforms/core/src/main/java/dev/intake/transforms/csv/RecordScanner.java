package dev.intake.transforms.csv;

import dev.intake.transforms.model.InputBounds;
import dev.intake.transforms.model.SourceRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds record boundaries in a byte stream of CSV (RFC 4180) or of JSON lines, without decoding
 * the values.
 *
 * <p>For CSV a line break inside a quoted field belongs to the record; a quote opens a quoted field
 * only at the start of a field, and {@code ""} inside one is an escaped quote. For JSON lines every
 * line break ends a record. A trailing {@code \r} before the line break is dropped. Empty lines are
 * skipped (they are not records). The scanner is the one place that decides where a record ends, so
 * splitting a file and reading a split agree by construction.
 *
 * <p>A UTF-8 byte order mark at the very start of a file (offset 0) is not part of the first
 * record. A record longer than the bound ({@link #RecordScanner(InputStream, boolean, long, long,
 * int)}) is scanned to its end but only its first bytes are kept: {@link #oversized()} says so and
 * {@link #length()} gives its full length, so memory stays bounded whatever the input.
 */
public final class RecordScanner {
  private static final int BUFFER = 1 << 16;

  private final InputStream in;
  private final boolean csv;
  private final int maxRecordBytes;
  private byte[] buf = new byte[BUFFER];
  private int pos;
  private int limit;
  private long bufferStart;
  private long line = 1;
  private byte[] record = new byte[1024];
  private int recordLength;
  private long recordTotal;
  private byte lastByte;
  private long recordOffset;
  private long recordLine;
  private boolean recordUnterminated;
  private long recordEnd;
  private boolean skipByteOrderMark;

  /**
   * @param in the stream, positioned at a record start
   * @param startOffset the byte offset of that position in the file
   * @param startLine the 1-based line number at that position
   */
  public RecordScanner(InputStream in, boolean csv, long startOffset, long startLine) {
    this(in, csv, startOffset, startLine, Integer.MAX_VALUE - 8);
  }

  /**
   * As {@link #RecordScanner(InputStream, boolean, long, long)}, keeping at most {@code
   * maxRecordBytes} bytes of a record.
   */
  public RecordScanner(InputStream in, boolean csv, long startOffset, long startLine,
      int maxRecordBytes) {
    if (maxRecordBytes <= 0) {
      throw new IllegalArgumentException("maxRecordBytes must be > 0, but was " + maxRecordBytes);
    }
    this.in = in;
    this.csv = csv;
    this.bufferStart = startOffset;
    this.line = startLine;
    this.maxRecordBytes = maxRecordBytes;
    this.skipByteOrderMark = startOffset == 0;
  }

  /** Advances to the next non-empty record; false at the end of the stream. */
  public boolean next() throws IOException {
    if (skipByteOrderMark) {
      skipByteOrderMark = false;
      skipBom();
    }
    while (true) {
      if (!fill()) {
        return false;
      }
      recordOffset = bufferStart + pos;
      recordLine = line;
      recordLength = 0;
      recordTotal = 0;
      recordUnterminated = false;
      scanRecord();
      if (recordTotal > 0) {
        return true;
      }
      if (!fill()) {
        return false;
      }
    }
  }

  private void scanRecord() throws IOException {
    boolean inQuotes = false;
    boolean fieldStart = true;
    while (true) {
      if (pos >= limit && !fill()) {
        recordUnterminated = inQuotes;
        recordEnd = bufferStart + pos;
        trimCarriageReturn();
        return;
      }
      byte b = buf[pos++];
      if (b == '\n') {
        line++;
        if (!inQuotes) {
          recordEnd = bufferStart + pos;
          trimCarriageReturn();
          return;
        }
      } else if (csv) {
        if (inQuotes) {
          if (b == '"') {
            if (pos >= limit) {
              fill();
            }
            if (pos < limit && buf[pos] == '"') {
              append(b);
              b = buf[pos++];
            } else {
              inQuotes = false;
            }
          }
        } else if (b == '"' && fieldStart) {
          inQuotes = true;
        }
        fieldStart = !inQuotes && b == ',';
      }
      append(b);
    }
  }

  /** Steps over EF BB BF if the stream starts with it; the bytes stay counted in offsets. */
  private void skipBom() throws IOException {
    if (!fill()) {
      return;
    }
    // The buffer is empty before the first read, so the first fill reads from position 0; a
    // stream that delivers fewer than three bytes at first is read on until it has three.
    while (limit < 3) {
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        break;
      }
      limit += n;
    }
    if (limit >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB
        && (buf[2] & 0xFF) == 0xBF) {
      pos = 3;
    }
  }

  private void trimCarriageReturn() {
    if (recordTotal > 0 && lastByte == '\r') {
      if (recordLength == recordTotal) {
        recordLength--;
      }
      recordTotal--;
    }
  }

  private void append(byte b) {
    recordTotal++;
    lastByte = b;
    if (recordLength >= maxRecordBytes) {
      return;
    }
    if (recordLength == record.length) {
      record = Arrays.copyOf(record, (int) Math.min((long) record.length * 2, maxRecordBytes));
    }
    record[recordLength++] = b;
  }

  /** Makes at least one byte available unless the stream has ended. */
  private boolean fill() throws IOException {
    if (pos < limit) {
      return true;
    }
    bufferStart += limit;
    pos = 0;
    limit = 0;
    int n;
    do {
      n = in.read(buf, 0, buf.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    limit = n;
    return true;
  }

  /**
   * The current record's text (UTF-8 decoded, without its line break); of an {@link #oversized()}
   * record, the bytes kept (at most the bound).
   */
  public String text() {
    return new String(record, 0, recordLength, StandardCharsets.UTF_8);
  }

  /** The first {@code bytes} bytes of the current record (fewer if it is shorter), decoded. */
  public String text(int bytes) {
    return new String(record, 0, Math.min(bytes, recordLength), StandardCharsets.UTF_8);
  }

  /**
   * The offset within the current record (as kept) of its first byte that is not valid UTF-8, or
   * -1 when it all is. Overlong forms, surrogates and code points past U+10FFFF are invalid; a
   * sequence cut by the bound at the end of an oversized record is not reported.
   */
  public int invalidUtf8At() {
    int i = 0;
    while (i < recordLength) {
      int b = record[i] & 0xFF;
      int n;
      int min;
      if (b < 0x80) {
        i++;
        continue;
      } else if (b >= 0xC2 && b <= 0xDF) {
        n = 1;
        min = 0x80;
      } else if (b >= 0xE0 && b <= 0xEF) {
        n = 2;
        min = 0x800;
      } else if (b >= 0xF0 && b <= 0xF4) {
        n = 3;
        min = 0x10000;
      } else {
        return i;
      }
      if (i + n >= recordLength && oversized()) {
        return -1;
      }
      int cp = b & (0x3F >> n);
      for (int k = 1; k <= n; k++) {
        if (i + k >= recordLength || (record[i + k] & 0xC0) != 0x80) {
          return i;
        }
        cp = cp << 6 | record[i + k] & 0x3F;
      }
      if (cp < min || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) {
        return i;
      }
      i += n + 1;
    }
    return -1;
  }

  /**
   * The current record as read from {@code source} (CSV: with its file's {@code header}); refused
   * ({@link SourceRecord#getReadProblem()}) with the first {@link
   * InputBounds#TRUNCATED_COPY_BYTES} bytes (at most the bound) of its text when it is {@link
   * #oversized()}, or with its text (bad bytes as U+FFFD) when it is not valid UTF-8.
   */
  public SourceRecord record(String source, String header) {
    if (oversized()) {
      int kept = Math.min(maxRecordBytes, InputBounds.TRUNCATED_COPY_BYTES);
      return SourceRecord.refused(source, recordLine, recordOffset, text(kept), header,
          "the record is " + recordTotal + " bytes, over the bound maxRecordBytes="
              + maxRecordBytes + " (the text kept is its first " + kept + " bytes)");
    }
    int bad = invalidUtf8At();
    if (bad >= 0) {
      return SourceRecord.refused(source, recordLine, recordOffset, text(), header,
          "the record is not valid UTF-8 (byte " + (bad + 1) + " of the record, at file offset "
              + (recordOffset + bad) + "); is the file in another encoding?");
    }
    return SourceRecord.of(source, recordLine, recordOffset, text(), header);
  }

  /** True when the current record is longer than the bound and only its start was kept. */
  public boolean oversized() {
    return recordTotal > recordLength;
  }

  /** The full length of the current record in bytes, without its line break. */
  public long length() {
    return recordTotal;
  }

  /** Byte offset of the current record's first byte. */
  public long offset() {
    return recordOffset;
  }

  /** Byte offset just after the current record's line break. */
  public long end() {
    return recordEnd;
  }

  /** 1-based line of the current record's first byte. */
  public long line() {
    return recordLine;
  }

  /** The line the next record starts on. */
  public long nextLine() {
    return line;
  }

  /** True when the current record ended inside a quoted field (at the end of the stream). */
  public boolean unterminated() {
    return recordUnterminated;
  }
}
