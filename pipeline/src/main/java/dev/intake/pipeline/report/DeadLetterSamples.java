package dev.intake.pipeline.report;

import dev.intake.transforms.sinks.lake.LakeInputFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * Reads a few dead letters per reason from a run's dead-letter Parquet files (local or S3, through
 * Beam's file systems), keyed like the run summary's {@code rejectedByReason}: "stage/reason code".
 * Stops after {@code maxScanned} records, so a run with millions of rejects stays cheap.
 */
public final class DeadLetterSamples {
  /** One dead letter as the report shows it; {@code rawText} is cut to a readable length. */
  public record Sample(String reason, String rawText, String source, long line) {}

  static final int RAW_TEXT_CHARS = 400;

  private DeadLetterSamples() {}

  /** Up to {@code perReason} samples per reason from the Parquet files matching {@code glob}. */
  public static Map<String, List<Sample>> read(String glob, int perReason, int maxScanned)
      throws IOException {
    Map<String, List<Sample>> out = new LinkedHashMap<>();
    MatchResult match = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    if (match.status() != MatchResult.Status.OK) {
      return out;
    }
    List<MatchResult.Metadata> files = new ArrayList<>(match.metadata());
    files.sort((a, b) -> a.resourceId().toString().compareTo(b.resourceId().toString()));
    int scanned = 0;
    for (MatchResult.Metadata file : files) {
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
              new LakeInputFile(file)).withDataModel(GenericData.get()).build()) {
        for (GenericRecord r = reader.read(); r != null && scanned < maxScanned;
            r = reader.read()) {
          scanned++;
          String key = field(r, "stage") + "/" + field(r, "reason_code");
          List<Sample> samples = out.computeIfAbsent(key, k -> new ArrayList<>());
          if (samples.size() < perReason) {
            Object line = r.get("line");
            samples.add(new Sample(field(r, "reason"),
                Html.truncate(field(r, "raw_text"), RAW_TEXT_CHARS), field(r, "source"),
                line instanceof Number n ? n.longValue() : 0));
          }
        }
      }
      if (scanned >= maxScanned) {
        break;
      }
    }
    return out;
  }

  private static String field(GenericRecord r, String name) {
    Object v = r.getSchema().getField(name) == null ? null : r.get(name);
    return v == null ? "" : v.toString();
  }
}
