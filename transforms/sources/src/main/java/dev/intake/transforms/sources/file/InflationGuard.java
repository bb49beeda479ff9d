package dev.intake.transforms.sources.file;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The decompressed stream of a compressed file, failing once it has yielded more than {@code
 * ratio} times the file's compressed size (plus 1 MiB, so that a tiny file of repeated bytes is
 * not mistaken for a bomb). A decompression bomb thus stops with a clear {@link IOException}
 * instead of filling the disk or the memory.
 */
final class InflationGuard extends FilterInputStream {
  static final long SLACK_BYTES = 1L << 20;

  private final String file;
  private final long compressedBytes;
  private final int ratio;
  private final long limit;
  private long read;

  InflationGuard(InputStream in, String file, long compressedBytes, int ratio) {
    super(in);
    this.file = file;
    this.compressedBytes = compressedBytes;
    this.ratio = ratio;
    this.limit = compressedBytes * ratio + SLACK_BYTES;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    if (skipped > 0) {
      count(skipped);
    }
    return skipped;
  }

  private void count(long n) throws IOException {
    read += n;
    if (read > limit) {
      throw new IOException(file + " decompresses to more than " + ratio + " times its "
          + compressedBytes + " bytes (bound maxDecompressionRatio=" + ratio + "): a"
          + " decompression bomb or a damaged file; raise --maxDecompressionRatio if it is"
          + " genuine");
    }
  }
}
