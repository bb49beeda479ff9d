package dev.intake.transforms.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VersionOrderTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("updated", Schema.FieldType.DATETIME)
          .addNullableField("status", Schema.FieldType.STRING)
          .build();

  private static final VersionOrder ORDER = new VersionOrder("updated");

  private static Row row(long id, Long updatedMillis, String status) {
    return Row.withSchema(SCHEMA)
        .addValues(id, updatedMillis == null ? null : new Instant(updatedMillis), status)
        .build();
  }

  private static final Row MARCH_OPEN = row(7L, 1552712700000L, "Open");
  private static final Row MARCH_CLOSED = row(7L, 1552712700000L, "Closed");
  private static final Row APRIL_OPEN = row(7L, 1554100200000L, "Open");
  private static final Row NO_VERSION_OPEN = row(7L, null, "Open");
  private static final Row NO_VERSION_CLOSED = row(7L, null, "Closed");

  static Stream<Arguments> newerFirst() {
    return Stream.of(
        Arguments.of("later version", APRIL_OPEN, MARCH_OPEN),
        Arguments.of("later version despite smaller text", APRIL_OPEN, MARCH_CLOSED),
        Arguments.of("any version beats a missing one", MARCH_CLOSED, NO_VERSION_OPEN),
        Arguments.of("equal versions: greater text", MARCH_OPEN, MARCH_CLOSED),
        Arguments.of("missing versions: greater text", NO_VERSION_OPEN, NO_VERSION_CLOSED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("newerFirst")
  void ordersNewerAfterOlder(String name, Row newer, Row older) {
    assertTrue(ORDER.compare(newer, older) > 0);
    assertTrue(ORDER.compare(older, newer) < 0);
  }

  @Test
  void equalRowsCompareEqual() {
    assertEquals(0, ORDER.compare(MARCH_OPEN, row(7L, 1552712700000L, "Open")));
  }

  @Test
  void winnerDoesNotDependOnArrivalOrder() {
    List<Row> versions =
        List.of(MARCH_CLOSED, NO_VERSION_OPEN, APRIL_OPEN, MARCH_OPEN, NO_VERSION_CLOSED);
    for (int shift = 0; shift < versions.size(); shift++) {
      List<Row> arrival = new ArrayList<>(versions);
      Collections.rotate(arrival, shift);
      assertSame(APRIL_OPEN, Collections.max(arrival, ORDER));
      Collections.reverse(arrival);
      assertSame(APRIL_OPEN, Collections.max(arrival, ORDER));
    }
  }

  @Test
  void sortsAllVersionsIntoOneTotalOrder() {
    List<Row> arrival =
        new ArrayList<>(
            List.of(APRIL_OPEN, NO_VERSION_OPEN, MARCH_CLOSED, NO_VERSION_CLOSED, MARCH_OPEN));

    arrival.sort(ORDER);

    assertEquals(
        List.of(NO_VERSION_CLOSED, NO_VERSION_OPEN, MARCH_CLOSED, MARCH_OPEN, APRIL_OPEN), arrival);
  }

  @Test
  void numericVersionsCompareAsNumbers() {
    Schema schema =
        Schema.builder()
            .addNullableField("version", Schema.FieldType.INT64)
            .addNullableField("note", Schema.FieldType.STRING)
            .build();
    Row nine = Row.withSchema(schema).addValues(9L, "z").build();
    Row ten = Row.withSchema(schema).addValues(10L, "a").build();

    assertTrue(new VersionOrder("version").compare(ten, nine) > 0);
  }
}
