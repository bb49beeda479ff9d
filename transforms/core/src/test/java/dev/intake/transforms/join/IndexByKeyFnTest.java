package dev.intake.transforms.join;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/** The reference index, without Beam: duplicates are found within and across accumulators. */
class IndexByKeyFnTest {
  private static final Schema HOODS = Schema.builder()
      .addNullableField("id", Schema.FieldType.INT64)
      .addNullableField("name", Schema.FieldType.STRING)
      .build();
  private final IndexByKeyFn fn = new IndexByKeyFn("hoods", "id", HOODS);

  private static Row hood(Long id, String name) {
    return Row.withSchema(HOODS).addValues(id, name).build();
  }

  @Test
  void rowsAreIndexedByTheTextOfTheirKeyAndNullKeysAreLeftOut() {
    Map<String, Row> index = fn.createAccumulator();
    fn.addInput(index, hood(32L, "South of Market"));
    fn.addInput(index, hood(null, "Nowhere"));
    Map<String, Row> other = fn.addInput(fn.createAccumulator(), hood(53L, "Mission"));

    Map<String, Row> merged = fn.extractOutput(fn.mergeAccumulators(List.of(index, other)));

    assertThat(merged, equalTo(Map.of(
        "32", hood(32L, "South of Market"), "53", hood(53L, "Mission"))));
  }

  @Test
  void aKeySeenTwiceFailsWithinOrAcrossAccumulators() {
    Map<String, Row> index = fn.addInput(fn.createAccumulator(), hood(32L, "South of Market"));
    DuplicateReferenceKeyException within = assertThrows(DuplicateReferenceKeyException.class,
        () -> fn.addInput(index, hood(32L, "SoMa")));
    assertThat(within.getMessage(), is("reference hoods has more than one row with id '32'; a"
        + " reference needs one row per key"));

    Map<String, Row> a = fn.addInput(fn.createAccumulator(), hood(53L, "Mission"));
    Map<String, Row> b = fn.addInput(fn.createAccumulator(), hood(53L, "Mission Dolores"));
    assertThrows(DuplicateReferenceKeyException.class,
        () -> fn.mergeAccumulators(List.of(a, b)));
  }
}
