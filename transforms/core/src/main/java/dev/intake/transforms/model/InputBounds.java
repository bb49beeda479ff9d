package dev.intake.transforms.model;

import static dev.intake.transforms.model.Arguments.check;

import java.io.Serializable;

/**
 * The limits that keep hostile or broken input from exhausting a worker: the bytes of one record
 * and of one field, the columns of a CSV record, the nesting depth of a JSON record, the bytes of
 * one API answer and how many times its size a compressed file may grow when decompressed.
 * Immutable and serializable; {@link #defaults()} then {@code withX()}, each checking its argument.
 *
 * <p>What a reader does when a bound is exceeded is its own contract (a record or field over its
 * bound is a dead letter; an answer or a compressed file over its bound fails the run).
 */
public final class InputBounds implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How many bytes of an oversized record a dead letter keeps. */
  public static final int TRUNCATED_COPY_BYTES = 1024;

  private final int maxRecordBytes;
  private final int maxFieldBytes;
  private final int maxColumns;
  private final int maxJsonDepth;
  private final int maxPageBytes;
  private final int maxDecompressionRatio;

  private InputBounds(int maxRecordBytes, int maxFieldBytes, int maxColumns, int maxJsonDepth,
      int maxPageBytes, int maxDecompressionRatio) {
    this.maxRecordBytes = maxRecordBytes;
    this.maxFieldBytes = maxFieldBytes;
    this.maxColumns = maxColumns;
    this.maxJsonDepth = maxJsonDepth;
    this.maxPageBytes = maxPageBytes;
    this.maxDecompressionRatio = maxDecompressionRatio;
  }

  /**
   * Records of up to 8 MiB, fields of up to 1 MiB, 1,000 columns, JSON nested 64 deep, answers of
   * up to 256 MiB, and a compressed file growing at most 1,000 times its size.
   */
  public static InputBounds defaults() {
    return new InputBounds(8 << 20, 1 << 20, 1000, 64, 256 << 20, 1000);
  }

  public InputBounds withMaxRecordBytes(int bytes) {
    check(bytes > 0, "maxRecordBytes must be > 0, but was %s", bytes);
    return new InputBounds(bytes, maxFieldBytes, maxColumns, maxJsonDepth, maxPageBytes,
        maxDecompressionRatio);
  }

  public InputBounds withMaxFieldBytes(int bytes) {
    check(bytes > 0, "maxFieldBytes must be > 0, but was %s", bytes);
    return new InputBounds(maxRecordBytes, bytes, maxColumns, maxJsonDepth, maxPageBytes,
        maxDecompressionRatio);
  }

  public InputBounds withMaxColumns(int columns) {
    check(columns > 0, "maxColumns must be > 0, but was %s", columns);
    return new InputBounds(maxRecordBytes, maxFieldBytes, columns, maxJsonDepth, maxPageBytes,
        maxDecompressionRatio);
  }

  public InputBounds withMaxJsonDepth(int depth) {
    check(depth > 0, "maxJsonDepth must be > 0, but was %s", depth);
    return new InputBounds(maxRecordBytes, maxFieldBytes, maxColumns, depth, maxPageBytes,
        maxDecompressionRatio);
  }

  public InputBounds withMaxPageBytes(int bytes) {
    check(bytes > 0, "maxPageBytes must be > 0, but was %s", bytes);
    return new InputBounds(maxRecordBytes, maxFieldBytes, maxColumns, maxJsonDepth, bytes,
        maxDecompressionRatio);
  }

  public InputBounds withMaxDecompressionRatio(int ratio) {
    check(ratio > 0, "maxDecompressionRatio must be > 0, but was %s", ratio);
    return new InputBounds(maxRecordBytes, maxFieldBytes, maxColumns, maxJsonDepth, maxPageBytes,
        ratio);
  }

  public int maxRecordBytes() {
    return maxRecordBytes;
  }

  public int maxFieldBytes() {
    return maxFieldBytes;
  }

  public int maxColumns() {
    return maxColumns;
  }

  public int maxJsonDepth() {
    return maxJsonDepth;
  }

  public int maxPageBytes() {
    return maxPageBytes;
  }

  public int maxDecompressionRatio() {
    return maxDecompressionRatio;
  }

  @Override
  public String toString() {
    return "InputBounds{record " + maxRecordBytes + " B, field " + maxFieldBytes + " B, "
        + maxColumns + " columns, JSON depth " + maxJsonDepth + ", page " + maxPageBytes
        + " B, decompression ratio " + maxDecompressionRatio + "}";
  }
}
