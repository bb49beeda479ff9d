package dev.intake.transforms.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Mutates real input the way broken and hostile files are broken: flipped bits, truncation,
 * inserted quotes, line breaks, NULs, invalid UTF-8 and byte order marks, duplicated or deleted
 * fields, spliced chunks, long runs and deep JSON nesting. Deterministic for a given {@link
 * Random}.
 */
public final class Mutator {
  private static final byte[][] INSERTS = {
    {'"'}, {'\n'}, {'\r', '\n'}, {0}, {','}, {'"', '"'}, {(byte) 0xFF}, {(byte) 0xC3},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {'{'},
    {'}'}, {'['}, {']'}, {':'}, {'\\'}, {'\\', 'u', '0', '0', '0', '0'}
  };

  private final Random random;

  public Mutator(Random random) {
    this.random = random;
  }

  /** {@code sample} with one to four mutations. */
  public byte[] mutate(byte[] sample) {
    byte[] b = sample;
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      b = mutateOnce(b);
    }
    return b;
  }

  private byte[] mutateOnce(byte[] b) {
    int at = b.length == 0 ? 0 : random.nextInt(b.length + 1);
    switch (random.nextInt(10)) {
      case 0:
        if (b.length > 0) {
          b = b.clone();
          b[Math.min(at, b.length - 1)] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
      case 1:
        return slice(b, 0, at);
      case 2:
      case 3:
        return insert(b, at, INSERTS[random.nextInt(INSERTS.length)]);
      case 4:
        return duplicateOrDeleteField(b, at, random.nextBoolean());
      case 5:
        return insert(b, at, nesting(1 + random.nextInt(300)));
      case 6:
        int from = b.length == 0 ? 0 : random.nextInt(b.length);
        return insert(b, at, slice(b, from, Math.min(b.length, from + random.nextInt(200))));
      case 7:
        byte[] run = new byte[1 + random.nextInt(5000)];
        java.util.Arrays.fill(run, (byte) ("x\",\n".charAt(random.nextInt(4))));
        return insert(b, at, run);
      case 8:
        return slice(b, Math.min(at, b.length), b.length);
      default:
        return insert(b, at, INSERTS[random.nextInt(4)]);
    }
  }

  /** Duplicates (or deletes) the comma-separated field around {@code at}. */
  private static byte[] duplicateOrDeleteField(byte[] b, int at, boolean duplicate) {
    int start = at;
    while (start > 0 && b[start - 1] != ',' && b[start - 1] != '\n') {
      start--;
    }
    int end = at;
    while (end < b.length && b[end] != ',' && b[end] != '\n') {
      end++;
    }
    if (end < b.length && b[end] == ',') {
      end++;
    }
    byte[] field = slice(b, start, end);
    return duplicate ? insert(b, start, field)
        : concat(slice(b, 0, start), slice(b, end, b.length));
  }

  private byte[] nesting(int depth) {
    String open = random.nextBoolean() ? "[" : "{\"a\":";
    StringBuilder s = new StringBuilder(open.repeat(depth)).append('1');
    if (random.nextBoolean()) {
      s.append((open.equals("[") ? "]" : "}").repeat(depth));
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] insert(byte[] b, int at, byte[] what) {
    return concat(concat(slice(b, 0, at), what), slice(b, at, b.length));
  }

  private static byte[] slice(byte[] b, int from, int to) {
    return java.util.Arrays.copyOfRange(b, Math.min(from, b.length), Math.min(to, b.length));
  }

  private static byte[] concat(byte[] a, byte[] c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + c.length);
    out.write(a, 0, a.length);
    out.write(c, 0, c.length);
    return out.toByteArray();
  }
}
