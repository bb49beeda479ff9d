package dev.intake.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Bounds on hostile or broken input: what one record, field, API answer or compressed file may
 * hold before it is refused (a record or field as a dead letter, an answer or a file by failing
 * the run).
 */
public interface BoundsOptions extends PipelineOptions {
  @Description(
      "Largest record of an input file, in bytes (e.g. 8388608 for 8 MiB); a longer record is a "
          + "dead letter holding its first 1024 bytes.")
  @Default.Integer(8 << 20)
  Integer getMaxRecordBytes();

  void setMaxRecordBytes(Integer value);

  @Description(
      "Largest value of one field of a record, in bytes (e.g. 1048576 for 1 MiB); a record with a "
          + "longer value is a dead letter.")
  @Default.Integer(1 << 20)
  Integer getMaxFieldBytes();

  void setMaxFieldBytes(Integer value);

  @Description(
      "Most fields a CSV record may have, a count (e.g. 1000); a header row with more fails the "
          + "run, a record with more is a dead letter.")
  @Default.Integer(1000)
  Integer getMaxColumns();

  void setMaxColumns(Integer value);

  @Description(
      "Deepest nesting of objects and arrays in a JSON record, a count of levels (e.g. 64); a "
          + "deeper record is a dead letter.")
  @Default.Integer(64)
  Integer getMaxJsonDepth();

  void setMaxJsonDepth(Integer value);

  @Description(
      "Largest body of one API answer (one page), in bytes (e.g. 268435456 for 256 MiB); a larger "
          + "answer fails the run (lower --pageSize).")
  @Default.Integer(256 << 20)
  Integer getMaxPageBytes();

  void setMaxPageBytes(Integer value);

  @Description(
      "How many times its compressed size a .gz (or other compressed) input file may grow when "
          + "decompressed, a ratio (e.g. 1000; plus 1 MiB of slack); more fails the run as a "
          + "decompression bomb.")
  @Default.Integer(1000)
  Integer getMaxDecompressionRatio();

  void setMaxDecompressionRatio(Integer value);
}
