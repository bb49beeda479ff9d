package dev.intake.pipeline.steps;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Counts the distinct values of one column with bounded memory: it keeps the {@link #CAPACITY}
 * smallest 64-bit hashes of the values seen (a k-minimum-values sketch). While fewer distinct
 * hashes than that were seen, the count is exact; past it, the count is estimated from the
 * largest kept hash (standard error about 1/sqrt(k), 1.6%). Merging is order-independent, so a
 * combine gives the same figure however the rows were split.
 */
final class DistinctSketch {
  static final int CAPACITY = 4096;

  /** Kept hashes, sorted ascending as unsigned values; only the first {@code size} are used. */
  private long[] hashes = new long[16];
  private int size;
  private boolean full;

  long[] hashes() {
    return Arrays.copyOf(hashes, size);
  }

  boolean full() {
    return full;
  }

  static DistinctSketch of(long[] sortedHashes, boolean full) {
    DistinctSketch s = new DistinctSketch();
    s.hashes = Arrays.copyOf(sortedHashes, Math.max(16, sortedHashes.length));
    s.size = sortedHashes.length;
    s.full = full;
    return s;
  }

  void addValue(Object value) {
    if (value != null) {
      add(hash(String.valueOf(value)));
    }
  }

  void add(long hash) {
    int at = search(hash);
    if (at >= 0) {
      return;
    }
    int insert = -at - 1;
    if (size == CAPACITY) {
      full = true;
      if (insert == size) {
        return;
      }
      size--;
    }
    if (size == hashes.length) {
      hashes = Arrays.copyOf(hashes, Math.min(CAPACITY, hashes.length * 2));
    }
    System.arraycopy(hashes, insert, hashes, insert + 1, size - insert);
    hashes[insert] = hash;
    size++;
  }

  void merge(DistinctSketch other) {
    for (int i = 0; i < other.size; i++) {
      add(other.hashes[i]);
    }
    full |= other.full;
  }

  /** Whether {@link #estimate} is an estimate rather than an exact count. */
  boolean approximate() {
    return full;
  }

  long estimate() {
    if (!full) {
      return size;
    }
    double largest = unsignedFraction(hashes[size - 1]);
    return Math.round((size - 1) / largest);
  }

  private static double unsignedFraction(long h) {
    double d = (double) (h >>> 1) * 2.0 + (h & 1);
    return d / 18446744073709551616.0;
  }

  private int search(long hash) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Long.compareUnsigned(hashes[mid], hash);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  /** A 64-bit FNV-1a hash of the text's UTF-8 bytes, finished with a SplitMix64 mix. */
  static long hash(String text) {
    long h = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
