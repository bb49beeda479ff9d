package dev.intake.transforms.sinks.warehouse;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * Beam {@link Row}s in PostgreSQL's binary COPY format, for columns of {@link Dialect#typeOf}'s
 * types: BIGINT, INTEGER, DOUBLE PRECISION, BOOLEAN, TEXT, TIMESTAMP WITH TIME ZONE, DATE and
 * one-dimensional arrays of them. The server stores these values as sent, without parsing text,
 * which is what makes binary COPY cheaper than CSV for it.
 *
 * <p>A string holding a NUL character cannot be stored in a PostgreSQL text column; parsing already
 * refuses such records (as dead letters), and one that still gets here fails with an {@link
 * IllegalArgumentException} naming the field, rather than a server error about encodings. Not
 * thread-safe: one encoder per loading DoFn instance.
 */
final class BinaryCopyEncoder {
  /** The signature, flags and header extension length every binary COPY stream starts with. */
  static final byte[] HEADER = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  /** The field count -1 that ends a binary COPY stream. */
  static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};

  /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in Unix milliseconds and in epoch days. */
  private static final long PG_EPOCH_MILLIS = 946_684_800_000L;

  private static final long PG_EPOCH_DAYS = 10_957L;

  private final Schema schema;
  private final Kind[] kinds;
  private final Kind[] elementKinds;
  private byte[] buf = new byte[1 << 16];
  private int len;

  /** The kinds of values a column can hold, with their element type oid for arrays. */
  private enum Kind {
    INT8(20),
    INT4(23),
    FLOAT8(701),
    BOOL(16),
    TEXT(25),
    TIMESTAMPTZ(1184),
    DATE(1082),
    ARRAY(0);

    final int oid;

    Kind(int oid) {
      this.oid = oid;
    }
  }

  /**
   * An encoder of rows of {@code schema}.
   *
   * @throws IllegalArgumentException for a field type that has no PostgreSQL column type here
   */
  BinaryCopyEncoder(Schema schema) {
    this.schema = schema;
    int n = schema.getFieldCount();
    kinds = new Kind[n];
    elementKinds = new Kind[n];
    for (int i = 0; i < n; i++) {
      Schema.FieldType type = schema.getField(i).getType();
      kinds[i] = kindOf(type);
      if (kinds[i] == Kind.ARRAY) {
        elementKinds[i] = kindOf(type.getCollectionElementType());
        if (elementKinds[i] == Kind.ARRAY) {
          throw new IllegalArgumentException("no binary COPY encoding for nested list field "
              + schema.getField(i).getName() + " (" + type + ")");
        }
      }
    }
  }

  private static Kind kindOf(Schema.FieldType type) {
    switch (type.getTypeName()) {
      case INT64:
        return Kind.INT8;
      case INT32:
        return Kind.INT4;
      case DOUBLE:
        return Kind.FLOAT8;
      case BOOLEAN:
        return Kind.BOOL;
      case STRING:
        return Kind.TEXT;
      case DATETIME:
        return Kind.TIMESTAMPTZ;
      case ARRAY:
      case ITERABLE:
        return Kind.ARRAY;
      case LOGICAL_TYPE:
        if (type.getLogicalType().getIdentifier().contains("date")) {
          return Kind.DATE;
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException("no binary COPY encoding for " + type);
  }

  /** Appends {@code row} (of this encoder's schema) to the pending bytes. */
  void add(Row row) {
    putShort(kinds.length);
    for (int i = 0; i < kinds.length; i++) {
      Object v = row.getValue(i);
      if (v == null) {
        putInt(-1);
      } else if (kinds[i] == Kind.ARRAY) {
        putArray(i, (Collection<?>) v);
      } else {
        putValue(i, kinds[i], v);
      }
    }
  }

  /**
   * Starts a row whose values, one per field of the schema, follow through the {@code put…}
   * methods below in field order (for a reader that encodes values as it decodes them, without a
   * {@link Row}).
   */
  void startRow() {
    putShort(kinds.length);
  }

  void putNull() {
    putInt(-1);
  }

  void putInt8(long v) {
    putInt(8);
    putLong(v);
  }

  void putInt4(int v) {
    putInt(4);
    putInt(v);
  }

  void putFloat8(double v) {
    putInt(8);
    putLong(Double.doubleToLongBits(v));
  }

  void putBool(boolean v) {
    putInt(1);
    ensure(1);
    buf[len++] = (byte) (v ? 1 : 0);
  }

  /** A TIMESTAMP WITH TIME ZONE of {@code millis} since the Unix epoch. */
  void putTimestampMillis(long millis) {
    putInt(8);
    putLong(Math.multiplyExact(millis - PG_EPOCH_MILLIS, 1000L));
  }

  /** A DATE of {@code days} since the Unix epoch. */
  void putDateDays(int days) {
    putInt(4);
    putInt(Math.toIntExact(days - PG_EPOCH_DAYS));
  }

  /**
   * A TEXT value of field {@code field} given as its UTF-8 bytes, the buffer's remaining ones (its
   * position is left as it was); a NUL is refused as {@link #add} refuses it.
   */
  void putUtf8(int field, java.nio.ByteBuffer utf8) {
    int n = utf8.remaining();
    putInt(n);
    ensure(n);
    int at = len;
    if (utf8.hasArray()) {
      System.arraycopy(utf8.array(), utf8.arrayOffset() + utf8.position(), buf, at, n);
    } else {
      utf8.duplicate().get(buf, at, n);
    }
    for (int i = at; i < at + n; i++) {
      if (buf[i] == 0) {
        len = at - 4;
        throw new IllegalArgumentException("field " + schema.getField(field).getName()
            + " holds a NUL character, which PostgreSQL text cannot store");
      }
    }
    len = at + n;
  }

  /** The pending bytes: {@code bytes()[0 .. length())}; valid until the next call. */
  byte[] bytes() {
    return buf;
  }

  int length() {
    return len;
  }

  /** Forgets the pending bytes (after they were sent). */
  void clear() {
    len = 0;
  }

  /** {@code rows} as one whole binary COPY stream: header, rows, trailer. */
  static byte[] encode(Schema schema, List<Row> rows) {
    BinaryCopyEncoder e = new BinaryCopyEncoder(schema);
    e.putBytes(HEADER);
    rows.forEach(e::add);
    e.putBytes(TRAILER);
    return Arrays.copyOf(e.buf, e.len);
  }

  private void putValue(int field, Kind kind, Object v) {
    switch (kind) {
      case INT8:
        putInt(8);
        putLong(((Number) v).longValue());
        break;
      case INT4:
        putInt(4);
        putInt(((Number) v).intValue());
        break;
      case FLOAT8:
        putInt(8);
        putLong(Double.doubleToLongBits(((Number) v).doubleValue()));
        break;
      case BOOL:
        putInt(1);
        ensure(1);
        buf[len++] = (byte) (((Boolean) v) ? 1 : 0);
        break;
      case TEXT:
        putText(field, (String) v);
        break;
      case TIMESTAMPTZ:
        putInt(8);
        putLong(Math.multiplyExact(((ReadableInstant) v).getMillis() - PG_EPOCH_MILLIS, 1000L));
        break;
      case DATE:
        putInt(4);
        putInt(Math.toIntExact(((LocalDate) v).toEpochDay() - PG_EPOCH_DAYS));
        break;
      default:
        throw new IllegalStateException("not a scalar kind: " + kind);
    }
  }

  /** An array value: dimensions, null flag, element oid, size and lower bound, elements. */
  private void putArray(int field, Collection<?> list) {
    int lengthAt = len;
    putInt(0);
    Kind element = elementKinds[field];
    boolean hasNull = list.contains(null);
    putInt(list.isEmpty() ? 0 : 1);
    putInt(hasNull ? 1 : 0);
    putInt(element.oid);
    if (!list.isEmpty()) {
      putInt(list.size());
      putInt(1);
      for (Object e : list) {
        if (e == null) {
          putInt(-1);
        } else {
          putValue(field, element, e);
        }
      }
    }
    int size = len - lengthAt - 4;
    writeInt(lengthAt, size);
  }

  private void putText(int field, String s) {
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("field " + schema.getField(field).getName()
          + " holds a NUL character, which PostgreSQL text cannot store");
    }
    int lengthAt = len;
    putInt(0);
    int n = s.length();
    ensure(n);
    int i = 0;
    // ASCII is copied byte for byte; the first other character hands the rest to the JDK encoder.
    while (i < n) {
      char ch = s.charAt(i);
      if (ch >= 0x80) {
        break;
      }
      buf[len++] = (byte) ch;
      i++;
    }
    if (i < n) {
      putBytes(s.substring(i).getBytes(StandardCharsets.UTF_8));
    }
    writeInt(lengthAt, len - lengthAt - 4);
  }

  private void putBytes(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  private void putShort(int v) {
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }

  private void putInt(int v) {
    ensure(4);
    writeInt(len, v);
    len += 4;
  }

  private void writeInt(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  private void putLong(long v) {
    putInt((int) (v >>> 32));
    putInt((int) v);
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}
