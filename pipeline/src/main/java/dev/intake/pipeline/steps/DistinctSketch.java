package dev.intake.pipeline.steps;

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
      add(hashValue(value));
    }
  }

  /**
   * A 64-bit hash of a column value, by its type without making text of numbers and times (the
   * profile hashes every value of every row written: this is its main cost). Values of one
   * column share a type, so only equal values of it share a hash, but for 64-bit collisions.
   */
  static long hashValue(Object value) {
    if (value instanceof String text) {
      return hash(text);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      return mix(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      return mix(Double.doubleToLongBits(((Number) value).doubleValue()));
    } else if (value instanceof Boolean b) {
      return mix(b ? 1 : 2);
    } else if (value instanceof org.joda.time.ReadableInstant t) {
      return mix(t.getMillis());
    }
    return hash(String.valueOf(value));
  }

  void add(long hash) {
    if (size == CAPACITY && Long.compareUnsigned(hash, hashes[size - 1]) > 0) {
      full = true;
      return;
    }
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

  /** A 64-bit FNV-1a hash of the text's UTF-16 code units, finished with {@link #mix}. */
  static long hash(String text) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** SplitMix64's finalizer: spreads every input bit over the whole hash. */
  static long mix(long value) {
    long h = value;
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
