package dev.intake.transforms.sources.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.transforms.testing.Fuzzing;
import dev.intake.transforms.testing.Mutator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the API page parser ({@link RecordSelector}) with mutated real answers (a Crunchbase
 * search page and SF 311 records as a JSON array, from testdata/): every body is either cut into
 * records, each a JSON object with one value slot per asked field, or refused with {@link
 * MalformedAnswerException} (which the requester retries and then reports as a failed run), and
 * nothing else is thrown. Seed and time budget: {@link Fuzzing}.
 */
class RecordSelectorFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Counts over a whole fuzz run. */
  private static final class Tally {
    long pages;
    long records;
    long malformed;

    @Override
    public String toString() {
      return pages + " pages = " + (pages - malformed) + " cut into " + records + " records + "
          + malformed + " refused as malformed";
    }
  }

  @Test
  void mutatedAnswersAreCutIntoRecordsOrRefusedAsMalformed() throws IOException {
    byte[] search = Fuzzing.sample("crunchbase/search_updated_since_2020-05-05_first100.json");
    byte[] array = jsonArray(Fuzzing.sample("sf311/api_2021-07_first50.jsonl"));
    RecordSelector entities = RecordSelector.at("entities");
    RecordSelector root = RecordSelector.rootArray();
    List<String> searchFields = List.of("uuid", "properties.updated_at");
    List<String> rootFields = List.of("updated_datetime", "service_request_id");
    Tally total = new Tally();
    long seed = Fuzzing.seed();
    List<String> organizations = entities.records(search);
    List<String> cases = root.records(array);
    Fuzzing.run("api-pages", seed, i -> {
      Random r = Fuzzing.inputRandom(seed, i);
      boolean useSearch = r.nextBoolean();
      byte[] body = new Mutator(r).mutate(page(r, useSearch ? organizations : cases, useSearch));
      select(useSearch ? entities : root, body, useSearch ? searchFields : rootFields, total);
    }, total::toString);
    assertTrue(total.pages > 0);
  }

  private static void select(RecordSelector selector, byte[] body, List<String> fields,
      Tally t) {
    t.pages++;
    RecordSelector.Selection page;
    try {
      page = selector.select(body, fields);
    } catch (MalformedAnswerException e) {
      assertFalse(e.getMessage().isBlank());
      t.malformed++;
      return;
    }
    for (int k = 0; k < page.size(); k++) {
      String record = page.records().get(k);
      try {
        assertTrue(JSON.readTree(record).isObject(), record);
      } catch (IOException e) {
        throw new AssertionError("record " + k + " is not a JSON object: " + record, e);
      }
      for (String f : fields) {
        page.value(k, f);
      }
    }
    assertEquals(page.size(), page.values(fields.get(0)).size());
    t.records += page.size();
  }

  /** An answer of one to five consecutive sample records, as a search object or a bare array. */
  private static byte[] page(Random r, List<String> records, boolean search) {
    int from = r.nextInt(records.size());
    int to = Math.min(records.size(), from + 1 + r.nextInt(5));
    String array = "[" + String.join(",", records.subList(from, to)) + "]";
    String body = search ? "{\"count\":" + (to - from) + ",\"entities\":" + array + "}" : array;
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] jsonArray(byte[] lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write('[');
    String[] records = new String(lines, StandardCharsets.UTF_8).strip().split("\n");
    for (int i = 0; i < records.length; i++) {
      out.writeBytes(((i > 0 ? "," : "") + records[i]).getBytes(StandardCharsets.UTF_8));
    }
    out.write(']');
    return out.toByteArray();
  }
}
