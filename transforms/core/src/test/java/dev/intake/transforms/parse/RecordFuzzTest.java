package dev.intake.transforms.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.intake.transforms.csv.RecordScanner;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.model.InputBounds;
import dev.intake.transforms.model.RecordFormat;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.testing.Fuzzing;
import dev.intake.transforms.testing.Mutator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the record scanner and the record parser with mutated real records (the SF 311 export's
 * CSV and the API's JSON lines from testdata/): every record the scanner finds becomes a row or a
 * dead letter with a code and a reason, the counts reconcile, and nothing throws. Seed and time
 * budget: {@link Fuzzing}.
 */
class RecordFuzzTest {
  private static final InputBounds BOUNDS = InputBounds.defaults().withMaxRecordBytes(4096)
      .withMaxFieldBytes(512).withMaxColumns(60).withMaxJsonDepth(16);

  private static final RecordFormat CSV = RecordFormat.of("export", RecordFormat.Kind.CSV,
      Map.of("CaseID", "id", "Opened", "opened", "Updated", "updated", "Status", "status",
          "Status Notes", "notes", "Supervisor District", "district", "Latitude", "lat",
          "Longitude", "lon"),
      List.of("MM/dd/yyyy hh:mm:ss a"), "America/Los_Angeles");

  private static final RecordFormat JSON = RecordFormat.of("api", RecordFormat.Kind.JSON,
      Map.of("service_request_id", "id", "requested_datetime", "opened", "updated_datetime",
          "updated", "status_description", "status", "status_notes", "notes",
          "supervisor_district", "district", "lat", "lat", "long", "lon"),
      List.of("yyyy-MM-dd'T'HH:mm:ss.SSS"), "America/Los_Angeles");

  private static final List<FieldDef> FIELDS = List.of(FieldDef.of("id", FieldType.LONG),
      FieldDef.of("opened", FieldType.TIMESTAMP), FieldDef.of("updated", FieldType.TIMESTAMP),
      FieldDef.of("status", FieldType.STRING), FieldDef.of("notes", FieldType.STRING),
      FieldDef.of("district", FieldType.INT), FieldDef.of("lat", FieldType.DOUBLE),
      FieldDef.of("lon", FieldType.DOUBLE));

  /** Counts over a whole fuzz run. */
  private static final class Tally {
    long records;
    long rows;
    long deadLetters;
    long filesRefused;

    @Override
    public String toString() {
      return records + " records = " + rows + " rows + " + deadLetters + " dead letters"
          + (filesRefused > 0 ? "; " + filesRefused + " files refused (no header, or one over"
              + " the bound)" : "");
    }
  }

  @Test
  void mutatedCsvExportsBecomeRowsOrDeadLetters() throws IOException {
    fuzz("csv", "sf311/export_2021-05_first1000.csv", true, CSV);
  }

  @Test
  void mutatedJsonLinesBecomeRowsOrDeadLetters() throws IOException {
    fuzz("json-lines", "sf311/api_2021-07_first50.jsonl", false, JSON);
  }

  @Test
  void theSameSeedMakesTheSameInputs() throws IOException {
    byte[] sample = Fuzzing.sample("sf311/overlap_a.csv");
    byte[] a = new Mutator(Fuzzing.inputRandom(42, 7)).mutate(sample);
    byte[] b = new Mutator(Fuzzing.inputRandom(42, 7)).mutate(sample);
    byte[] c = new Mutator(Fuzzing.inputRandom(42, 8)).mutate(sample);
    assertEquals(Fuzzing.show(a), Fuzzing.show(b));
    assertFalse(java.util.Arrays.equals(a, c) && java.util.Arrays.equals(a, sample));
  }

  private static void fuzz(String name, String sampleFile, boolean csv, RecordFormat format)
      throws IOException {
    byte[] sample = Fuzzing.sample(sampleFile);
    List<byte[]> records = records(sample, csv);
    byte[] header = csv ? records.remove(0) : new byte[0];
    RecordParser parser = new RecordParser(FIELDS, format, BOUNDS);
    Tally total = new Tally();
    long seed = Fuzzing.seed();
    long tried = Fuzzing.run(name, seed, i -> {
      Random r = Fuzzing.inputRandom(seed, i);
      byte[] input = input(r, header, records);
      Tally one = new Tally();
      try {
        readAndParse(input, csv, parser, one);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      assertEquals(one.records, one.rows + one.deadLetters, () -> Fuzzing.show(input));
      total.records += one.records;
      total.rows += one.rows;
      total.deadLetters += one.deadLetters;
      total.filesRefused += one.filesRefused;
    }, total::toString);
    assertTrue(tried > 0);
    assertEquals(total.records, total.rows + total.deadLetters);
  }

  /** A file of one to five consecutive sample records, mutated (the header too, now and then). */
  private static byte[] input(Random r, byte[] header, List<byte[]> records) {
    Mutator mutator = new Mutator(r);
    int from = r.nextInt(records.size());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int k = from; k < Math.min(records.size(), from + 1 + r.nextInt(5)); k++) {
      body.writeBytes(records.get(k));
      body.write('\n');
    }
    byte[] mutated = mutator.mutate(body.toByteArray());
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    if (header.length > 0) {
      file.writeBytes(r.nextInt(10) == 0 ? mutator.mutate(header) : header);
      file.write('\n');
    }
    file.writeBytes(mutated);
    return file.toByteArray();
  }

  /** Reads a file as the split reader does and parses each record, counting the outcomes. */
  private static void readAndParse(byte[] input, boolean csv, RecordParser parser, Tally t)
      throws IOException {
    RecordScanner scanner = new RecordScanner(new ByteArrayInputStream(input), csv, 0, 1,
        BOUNDS.maxRecordBytes());
    String header = null;
    if (csv) {
      if (!scanner.next() || scanner.oversized()) {
        t.filesRefused++;
        return;
      }
      header = scanner.text();
    }
    while (scanner.next()) {
      SourceRecord record = scanner.record("fuzz", header);
      t.records++;
      assertTrue(record.getText().length() <= BOUNDS.maxRecordBytes());
      RecordParser.Outcome outcome = parser.parse(record);
      if (outcome.ok()) {
        t.rows++;
      } else {
        assertFalse(outcome.codes.isEmpty(), record.getText());
        assertFalse(outcome.reasons.isEmpty(), record.getText());
        for (String reason : outcome.reasons) {
          assertFalse(reason.isBlank(), record.getText());
        }
        t.deadLetters++;
      }
    }
  }

  /** The records of the sample, as bytes, as the scanner cuts them. */
  private static List<byte[]> records(byte[] sample, boolean csv) throws IOException {
    RecordScanner scanner = new RecordScanner(new ByteArrayInputStream(sample), csv, 0, 1);
    List<byte[]> out = new ArrayList<>();
    while (scanner.next()) {
      out.add(scanner.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return out;
  }
}
