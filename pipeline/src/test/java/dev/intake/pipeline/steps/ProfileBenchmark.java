package dev.intake.pipeline.steps;

import dev.intake.pipeline.IntakePipeline;
import dev.intake.pipeline.spec.SpecLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * What the run profile costs: folds N rows of the sf311 clean schema (unique keys and times,
 * small vocabularies elsewhere, 5% null locations) into {@link ProfileColumns.Profile}, then
 * merges two halves, and prints the seconds and rows/s beside a reference pass that only reads
 * every value of the same rows, in the same JVM. Usage: {@code ProfileBenchmark [rows]}.
 */
public final class ProfileBenchmark {
  private ProfileBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Schema schema = IntakePipeline.cleanSchema(SpecLoader.load("sf311"));
    List<Row> rows = rows(schema, n);
    for (int round = 1; round <= 3; round++) {
      long t0 = System.nanoTime();
      long seen = 0;
      for (Row r : rows) {
        for (int i = 0; i < schema.getFieldCount(); i++) {
          seen += r.getValue(i) == null ? 0 : 1;
        }
      }
      long t1 = System.nanoTime();
      // Rows per day of the first timestamp column, as a run counts them.
      int day = -1;
      for (int i = schema.getFieldCount() - 1; i >= 0; i--) {
        if (schema.getField(i).getType().getTypeName() == Schema.TypeName.DATETIME) {
          day = i;
        }
      }
      ProfileColumns.Profile a = new ProfileColumns.Profile(schema.getFieldCount(), day);
      ProfileColumns.Profile b = new ProfileColumns.Profile(schema.getFieldCount(), day);
      for (int i = 0; i < rows.size(); i++) {
        (i % 2 == 0 ? a : b).add(rows.get(i));
      }
      a.merge(b);
      long t2 = System.nanoTime();
      double ref = (t1 - t0) / 1e9;
      double prof = (t2 - t1) / 1e9;
      System.out.printf(Locale.ROOT, "profile round %d: %d rows x %d columns: %.2f s (%,.0f rows/s);"
              + " reference read of every value %.2f s; ratio %.1f; distinct ids %d (approx %s),"
              + " values seen %d%n", round, n, schema.getFieldCount(), prof, n / prof, ref,
          prof / ref, a.distinct[0].estimate(), a.distinct[0].approximate(), seen);
    }
  }

  private static List<Row> rows(Schema schema, int n) {
    Random random = new Random(42);
    List<Row> out = new ArrayList<>(n);
    long base = Instant.parse("2020-01-01T00:00:00Z").getMillis();
    for (int i = 0; i < n; i++) {
      Row.Builder b = Row.withSchema(schema);
      for (Schema.Field f : schema.getFields()) {
        b.addValue(value(f, i, random, base));
      }
      out.add(b.build());
    }
    return out;
  }

  private static Object value(Schema.Field f, int i, Random random, long base) {
    if (f.getType().getNullable() && random.nextInt(20) == 0) {
      return null;
    }
    return switch (f.getType().getTypeName()) {
      case INT64 -> f.getName().equals("service_request_id") ? 10_000_000L + i
          : (long) random.nextInt(11) + 1;
      case INT32 -> random.nextInt(24);
      case DOUBLE -> 37.7 + random.nextInt(100_000) / 1e6;
      case BOOLEAN -> random.nextBoolean();
      case DATETIME -> new Instant(base + i * 1000L + random.nextInt(1000));
      case STRING -> "value " + random.nextInt(f.getName().equals("address") ? 50_000 : 40);
      default -> null;
    };
  }
}
