package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.spec.SpecException;
import dev.intake.pipeline.spec.SpecLoader;
import dev.intake.transforms.sinks.lake.LakeLayout;
import dev.intake.transforms.sinks.warehouse.SchemaRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Schema versions and the plan from a stored version to a spec's, without a run. */
class SchemaEvolutionTest {
  private static final String SPEC =
      String.join(
          "\n",
          "name: t",
          "zone: UTC",
          "key: [id]",
          "version: updated",
          "fields:",
          "  - {name: id, type: long, required: true}",
          "  - {name: updated, type: timestamp}",
          "  - {name: closed, type: timestamp}",
          "  - {name: kind, type: string}",
          "  - {name: size, type: int}",
          "derived:",
          "  - {name: hours, function: hours_between, args: [updated, closed]}",
          "formats:",
          "  csv1: {kind: csv, timestampPatterns: ['yyyy-MM-dd HH:mm:ss']}",
          "fullLoad: {csv: csv1}",
          "partition: {field: updated, granularity: month, name: updated_month}",
          "aggregates:",
          "  - name: daily",
          "    bucket: {field: updated, unit: day, name: day}",
          "    groupBy: [kind]",
          "    measures:",
          "      - {name: opened, fn: count}",
          "");
  private static final List<String> STORED = List.of("updated_month=2024-01",
      "updated_month=2024-02", "updated_month=2024-03");

  private static DatasetSpec spec(String text) {
    return SpecLoader.parse("t.yaml", text);
  }

  private static SchemaEvolution plan(String text, SchemaRecord stored) {
    DatasetSpec spec = spec(text);
    return SchemaEvolution.plan(spec, new DatasetOutputs(spec, new LakeLayout("/lake", "t")),
        stored, STORED);
  }

  private static SchemaRecord stored(String text, String runId, List<String> touched) {
    return plan(text, null).record(runId, touched);
  }

  @Test
  void theFirstRunRecordsVersionOneWithItsContent() {
    SchemaEvolution e = plan(SPEC, null);
    assertThat(e.version, is(1));
    assertThat(e.changes, empty());
    assertThat(e.tableChanges, empty());
    assertThat(e.current.toJson(), is("{\"key\":[\"id\"],\"partition\":\"{field: updated,"
        + " granularity: month, name: updated_month}\",\"fields\":{\"id\":\"long\",\"updated\":"
        + "\"timestamp\",\"closed\":\"timestamp\",\"kind\":\"string\",\"size\":\"int\"},"
        + "\"derived\":{\"hours\":\"double\"},\"aggregates\":{\"daily\":{\"day\":\"date\",\"kind\":"
        + "\"string\",\"opened\":\"long\"}},\"retired\":[],\"renamedFrom\":{}}"));
  }

  @Test
  void reorderedFieldsAreTheSameVersion() {
    String reordered = SPEC.replace("  - {name: kind, type: string}\n", "")
        .replace("  - {name: id, type: long, required: true}\n",
            "  - {name: kind, type: string}\n  - {name: id, type: long, required: true}\n");
    assertThat(reordered, not(equalTo(SPEC)));
    SchemaEvolution e = plan(reordered, stored(SPEC, "r1", List.of()));
    assertThat(e.version, is(1));
    assertThat(e.changes, empty());
  }

  @Test
  void addedColumnsAreVersionTwoAndPendingUntilTheirPartitionsAreRewritten() {
    String evolved = SPEC.replace("{name: size, type: int}", "{name: size, type: double}")
        .replace("args: [updated, closed]}\n",
            "args: [updated, closed]}\n  - {name: age, function: hours_between, args: [updated,"
                + " updated]}\n")
        .replace("fn: count}\n", "fn: count}\n      - {name: biggest, fn: sum, field: size}\n")
        .replace("  - {name: kind, type: string}\n",
            "  - {name: kind, type: string}\n  - {name: note, type: string}\n");
    SchemaEvolution e = plan(evolved, stored(SPEC, "r1", List.of()));
    assertThat(e.version, is(2));
    assertThat(e.changes, contains("widened field size from int to double",
        "added field note (string)", "added derived column age (double)",
        "added measure daily.biggest (double)"));
    assertThat(e.tableChanges.stream().map(Object::toString).toList(), contains(
        "t: widen column size to double", "t: add column note string",
        "t: add column age double", "t_daily: add column biggest double"));
    assertThat(e.backfill, contains("age"));
    Map<String, List<String>> afterOne = e.pendingAfter(List.of("updated_month=2024-02",
        "updated_month=2024-04"));
    assertThat(afterOne, equalTo(Map.of(
        "t.age", List.of("updated_month=2024-01", "updated_month=2024-03"),
        "t_daily.biggest", List.of("updated_month=2024-01", "updated_month=2024-03"))));

    SchemaRecord v2 = e.record("r2", List.of("updated_month=2024-02"));
    SchemaEvolution next = plan(evolved, v2);
    assertThat(next.version, is(2));
    assertThat(next.changes, empty());
    assertThat(next.backfill, contains("age"));
    assertThat(next.pendingAfter(List.of("updated_month=2024-01", "updated_month=2024-03")),
        equalTo(Map.of()));
  }

  @Test
  void aNewAggregateIsPendingWholeInTheStoredPartitions() {
    String evolved = SPEC + String.join("\n",
        "  - name: monthly",
        "    bucket: {field: updated, unit: month, name: month}",
        "    groupBy: [kind]",
        "    measures:",
        "      - {name: opened, fn: count}",
        "");
    SchemaEvolution e = plan(evolved, stored(SPEC, "r1", List.of()));
    assertThat(e.changes, contains("added aggregate monthly"));
    assertThat(e.tableChanges, empty());
    assertThat(e.pending, equalTo(Map.of("t_monthly", STORED)));
  }

  @Test
  void tablesWrittenBeforeSchemaVersionsGetTheColumnsTheyLack() {
    DatasetSpec spec = spec(SPEC.replace("  - {name: kind, type: string}\n",
        "  - {name: kind, type: string}\n  - {name: note, type: string}\n"));
    SchemaEvolution e = SchemaEvolution.plan(spec,
        new DatasetOutputs(spec, new LakeLayout("/lake", "t")), null, STORED,
        Map.of("t", List.of("id", "updated", "closed", "kind", "size", "hours"),
            "t_daily", List.of("day", "kind")));
    assertThat(e.version, is(1));
    assertThat(e.changes,
        contains("added field note (string)", "added measure daily.opened (long)"));
    assertThat(e.pending, equalTo(Map.of("t_daily.opened", STORED)));
  }

  @Test
  void aTableWithAColumnTheSpecLacksIsLeftToTheTableCheck() {
    DatasetSpec spec = spec(SPEC);
    SchemaEvolution e = SchemaEvolution.plan(spec,
        new DatasetOutputs(spec, new LakeLayout("/lake", "t")), null, STORED,
        Map.of("t", List.of("id", "other")));
    assertThat(e.changes, empty());
    assertThat(e.tableChanges, empty());
  }

  @Test
  void aRemovedAggregateIsRefusedBeforeAnythingIsPlanned() {
    String without = SPEC.substring(0, SPEC.indexOf("aggregates:"));
    SpecException e = assertThrows(SpecException.class,
        () -> plan(without, stored(SPEC, "r1", List.of())));
    assertThat(e.getMessage(), is("t.yaml: refused schema change: aggregate 'daily' is stored but"
        + " no longer in the spec; restore it in aggregates (a stored aggregate cannot be"
        + " removed)"));
  }
}
