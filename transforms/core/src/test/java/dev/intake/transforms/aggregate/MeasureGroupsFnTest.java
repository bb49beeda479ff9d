package dev.intake.transforms.aggregate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/**
 * {@link MeasureGroupsFn}, the combine behind {@link AggregateRows}: rows accumulated in parts,
 * each part through its coder (as a runner ships partial results), then merged, give the groups
 * and measures of one accumulation of all the rows, in any order; sums do not depend on it.
 */
class MeasureGroupsFnTest {
  private static final Schema READ = Schema.builder()
      .addNullableField("hood", Schema.FieldType.STRING)
      .addNullableField("source", Schema.FieldType.STRING)
      .addNullableField("hours", Schema.FieldType.DOUBLE)
      .build();
  private static final List<Measure> MEASURES = List.of(Measure.count("n"),
      Measure.sum("total", "hours"), Measure.quantile("median", "hours", 0.5));

  private static KV<String, Row> row(String hood, String source, Double hours) {
    return KV.of(hood, Row.withSchema(READ).addValues(hood, source, hours).build());
  }

  // Sums of these in different orders differ in a double's last bits; the exact sum does not.
  private static final List<KV<String, Row>> ROWS = List.of(
      row("a", "Phone", 0.1), row("a", "Web", 0.2), row("a", "Fax", 0.3), row("b", "Phone", 1e16),
      row("b", null, 1.0), row("b", "Phone", -1e16), row("a", "Phone", null),
      row("b", "Web", 2.5));

  private static List<String> results(MeasureGroupsFn fn, MeasureGroupsFn.Groups groups) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, MeasureGroupsFn.Group> e : groups.byKey.entrySet()) {
      StringBuilder b = new StringBuilder(e.getKey());
      for (MeasureValues m : e.getValue().measured) {
        b.append(' ').append(m.values());
      }
      out.add(b.toString());
    }
    return out;
  }

  private static MeasureGroupsFn.Groups shipped(MeasureGroupsFn fn, MeasureGroupsFn.Groups groups)
      throws IOException {
    MeasureGroupsFn.GroupsCoder coder = new MeasureGroupsFn.GroupsCoder(fn);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    coder.encode(groups, bytes);
    return coder.decode(new ByteArrayInputStream(bytes.toByteArray()));
  }

  private static MeasureGroupsFn.Groups accumulate(MeasureGroupsFn fn, List<KV<String, Row>> rows) {
    MeasureGroupsFn.Groups groups = fn.createAccumulator();
    for (KV<String, Row> r : rows) {
      fn.addInput(groups, r);
    }
    return groups;
  }

  @Test
  void partsShippedAndMergedInAnyOrderGiveTheMeasuresOfAllTheRows() throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("Phone", "phone");
    values.put("Web", "web");
    Pivot pivot = Pivot.of("source", values, "other", "null");
    MeasureGroupsFn fn = new MeasureGroupsFn(READ, MEASURES, pivot);
    MeasureGroupsFn.Groups whole = accumulate(fn, ROWS);
    assertThat(whole.pivotOther, is(1L));
    // Columns Phone, Web, other, null: count, exact sum (1e16 - 1e16 leaves the 1.0 and 2.5 of
    // other columns untouched), median.
    assertThat(results(fn, whole), containsInAnyOrder(
        "a [2, 0.1, 0.1] [1, 0.2, 0.2] [1, 0.3, 0.3] [0, null, null]",
        "b [2, 0.0, 0.0] [1, 2.5, 2.5] [0, null, null] [1, 1.0, 1.0]"));

    List<KV<String, Row>> reversed = new ArrayList<>(ROWS);
    Collections.reverse(reversed);
    MeasureGroupsFn.Groups merged = fn.mergeAccumulators(List.of(
        shipped(fn, accumulate(fn, reversed.subList(0, 3))),
        shipped(fn, accumulate(fn, reversed.subList(3, 5))),
        shipped(fn, fn.createAccumulator()),
        shipped(fn, accumulate(fn, reversed.subList(5, 8)))));
    assertThat(results(fn, merged), containsInAnyOrder(results(fn, whole).toArray()));
    assertThat(merged.pivotOther, is(1L));
  }

  @Test
  void aSumIsExactWhateverTheOrderAndAnInfinityDecidesIt() throws IOException {
    MeasureGroupsFn fn = new MeasureGroupsFn(READ, List.of(Measure.sum("total", "hours")), null);
    List<KV<String, Row>> rows = List.of(row("a", null, 1e16), row("a", null, 1.0),
        row("a", null, -1e16), row("a", null, 1.0));
    // In this order doubles give 1.0 (the first 1.0 is lost against 1e16); exactly, it is 2.0.
    assertThat(results(fn, accumulate(fn, rows)), equalTo(List.of("a [2.0]")));
    MeasureGroupsFn.Groups infinite = fn.mergeAccumulators(List.of(
        shipped(fn, accumulate(fn, rows)),
        shipped(fn, accumulate(fn, List.of(row("a", null, Double.POSITIVE_INFINITY))))));
    assertThat(results(fn, infinite), equalTo(List.of("a [Infinity]")));
  }
}
