package dev.intake.transforms.sinks.lake;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * A channel for one Parquet file that makes its footer depend only on the file's content: on close
 * it sorts every column chunk's list of encodings, which parquet-mr (1.13) fills from a {@code
 * HashSet} of enum constants, whose order follows identity hash codes and so differs between JVMs
 * (the same rows gave files that differed in a few footer bytes). The sorted list has the same
 * elements, so the footer keeps its length and every offset stays valid.
 *
 * <p>The last {@value #TAIL_BYTES} bytes are held back until close, so that the footer can be
 * rewritten before it reaches the underlying channel; a footer longer than that fails the write.
 */
final class StableFooterChannel implements WritableByteChannel {
  static final int TAIL_BYTES = 8 << 20;
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private final WritableByteChannel out;
  private byte[] tail = new byte[1 << 16];
  private int held;
  private boolean open = true;

  StableFooterChannel(WritableByteChannel out) {
    this.out = out;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int n = src.remaining();
    while (src.hasRemaining()) {
      if (held == tail.length && tail.length < 2 * TAIL_BYTES) {
        tail = Arrays.copyOf(tail, tail.length * 2);
      } else if (held == tail.length) {
        passOn(held - TAIL_BYTES);
      }
      int chunk = Math.min(src.remaining(), tail.length - held);
      src.get(tail, held, chunk);
      held += chunk;
    }
    return n;
  }

  /** Writes the oldest {@code bytes} held bytes to the underlying channel. */
  private void passOn(int bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(tail, 0, bytes);
    while (b.hasRemaining()) {
      out.write(b);
    }
    System.arraycopy(tail, bytes, tail, 0, held - bytes);
    held -= bytes;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    if (!open) {
      return;
    }
    open = false;
    try {
      sortFooterEncodings();
      passOn(held);
    } finally {
      tail = null;
      out.close();
    }
  }

  private void sortFooterEncodings() throws IOException {
    if (held < 8 || !Arrays.equals(tail, held - 4, held, MAGIC, 0, 4)) {
      throw new IOException("not a Parquet file: it does not end in PAR1");
    }
    int length = ByteBuffer.wrap(tail, held - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int start = held - 8 - length;
    if (length < 0 || start < 0) {
      throw new IOException("the Parquet footer (" + length + " bytes) is longer than the "
          + TAIL_BYTES + " bytes held back to make it stable");
    }
    FileMetaData footer = Util.readFileMetaData(new ByteArrayInputStream(tail, start, length));
    for (RowGroup g : footer.getRow_groups()) {
      for (ColumnChunk c : g.getColumns()) {
        ColumnMetaData m = c.getMeta_data();
        if (m != null && m.getEncodings() != null) {
          m.getEncodings().sort(Comparator.comparingInt(Encoding::getValue));
        }
      }
    }
    ByteArrayOutputStream rewritten = new ByteArrayOutputStream(length);
    Util.writeFileMetaData(footer, rewritten);
    if (rewritten.size() != length) {
      throw new IOException("the rewritten Parquet footer has " + rewritten.size()
          + " bytes instead of " + length);
    }
    System.arraycopy(rewritten.toByteArray(), 0, tail, start, length);
  }
}
