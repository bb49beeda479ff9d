package dev.intake.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MeasureTest {

  static Stream<Arguments> quantiles() {
    double[] oneToTen = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    return Stream.of(
        Arguments.of(new double[] {1, 2, 3, 4}, 0.5, 2.5),
        Arguments.of(new double[] {1, 2, 3, 4, 5}, 0.5, 3.0),
        Arguments.of(oneToTen, 0.9, 9.1),
        Arguments.of(oneToTen, 0.5, 5.5),
        Arguments.of(oneToTen, 0.0, 1.0),
        Arguments.of(oneToTen, 1.0, 10.0),
        Arguments.of(new double[] {10, 20}, 0.25, 12.5),
        Arguments.of(new double[] {1, 2}, 0.9, 1.9),
        Arguments.of(new double[] {0.5, 2, 4, 100}, 0.5, 3.0),
        Arguments.of(new double[] {42}, 0.9, 42.0),
        Arguments.of(new double[] {-3, -1}, 0.5, -2.0));
  }

  @ParameterizedTest(name = "[{index}] q={1} -> {2}")
  @MethodSource("quantiles")
  void quantileInterpolatesLikePercentileCont(double[] sorted, double q, double expected) {
    assertEquals(expected, Measure.quantileOf(sorted, q));
  }

  @Test
  void quantileOfNoValuesIsNull() {
    assertNull(Measure.quantileOf(new double[0], 0.5));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 1.5, Double.NaN})
  void quantileOutsideZeroToOneIsRejected(double q) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Measure.quantile("p", "hours", q));
    assertEquals("quantile must be within [0, 1], but was " + q, e.getMessage());
  }

  @Test
  void factoriesSetKindFieldAndQ() {
    Measure count = Measure.count("opened");
    Measure countOf = Measure.countOf("closed", "closed_date");
    Measure p90 = Measure.quantile("p90", "hours", 0.9);

    assertEquals(Measure.Kind.COUNT, count.kind());
    assertNull(count.field());
    assertEquals(Measure.Kind.COUNT, countOf.kind());
    assertEquals("closed_date", countOf.field());
    assertEquals(Measure.Kind.QUANTILE, p90.kind());
    assertEquals("hours", p90.field());
    assertEquals(0.9, p90.q());
    assertEquals("p90", p90.name());
  }

  @Test
  void sumAddsTheValuesThatArePresentAndIsNullWithoutAny() {
    Schema schema = Schema.builder()
        .addNullableField("usd", Schema.FieldType.DOUBLE)
        .addNullableField("n", Schema.FieldType.INT64)
        .build();
    MeasureValues some = new MeasureValues(
        List.of(Measure.sum("total", "usd"), Measure.sum("ns", "n"), Measure.count("c")));
    some.add(Row.withSchema(schema).addValues(1.5, 2L).build());
    some.add(Row.withSchema(schema).addValues(null, 3L).build());
    some.add(Row.withSchema(schema).addValues(2.25, null).build());
    assertEquals(Arrays.asList(3.75, 5.0, 3L), some.values());

    MeasureValues none = new MeasureValues(List.of(Measure.sum("total", "usd")));
    none.add(Row.withSchema(schema).addValues(null, 1L).build());
    assertEquals(Arrays.asList((Object) null), none.values());
  }
}
