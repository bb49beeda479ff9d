package dev.intake.transforms.history;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class VersionHistoryTest {
  private static final Schema CLEAN =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("updated", Schema.FieldType.DATETIME)
          .addNullableField("status", Schema.FieldType.STRING)
          .build();
  private static final VersionHistory HISTORY = VersionHistory.of("updated");

  private static Row row(String updated, String status) {
    return Row.withSchema(CLEAN).addValues(1L, Instant.parse(updated), status).build();
  }

  private static final Row MAR_01 = row("2021-03-01T10:00:00Z", "Open");
  private static final Row MAR_05 = row("2021-03-05T12:00:00Z", "Open, assigned");
  private static final Row MAR_09 = row("2021-03-09T08:30:00Z", "Closed");

  /** Each interval as "from → to (status)", "…" for an open end. */
  private static List<String> text(List<VersionHistory.Interval> intervals) {
    List<String> out = new ArrayList<>();
    for (VersionHistory.Interval i : intervals) {
      out.add(i.validFrom() + " → " + (i.validTo() == null ? "…" : i.validTo()) + " ("
          + i.version().getString("status") + (i.isCurrent() ? ", current" : "") + ")");
    }
    return out;
  }

  private static List<String> history(List<Row> versions, Instant... deletions) {
    return text(HISTORY.intervals(versions, List.of(deletions)));
  }

  @Test
  void versionsInOrderTileTimeAndTheLastIsCurrent() {
    assertThat(history(List.of(MAR_01, MAR_05, MAR_09)), contains(
        "2021-03-01T10:00:00.000Z → 2021-03-05T12:00:00.000Z (Open)",
        "2021-03-05T12:00:00.000Z → 2021-03-09T08:30:00.000Z (Open, assigned)",
        "2021-03-09T08:30:00.000Z → … (Closed, current)"));
  }

  @Test
  void aLateVersionIsSlottedIntoItsPlace() {
    List<String> expected = history(List.of(MAR_01, MAR_05, MAR_09));
    assertThat(history(List.of(MAR_09, MAR_01, MAR_05)), is(expected));
    assertThat(history(List.of(MAR_05, MAR_09, MAR_01)), is(expected));
  }

  @Test
  void theSameVersionReadTwiceIsOneVersion() {
    assertThat(history(List.of(MAR_01, MAR_05, MAR_01, MAR_05, MAR_05)), contains(
        "2021-03-01T10:00:00.000Z → 2021-03-05T12:00:00.000Z (Open)",
        "2021-03-05T12:00:00.000Z → … (Open, assigned, current)"));
  }

  @Test
  void twoContentsOfOneVersionAreOneVersionChosenByTheDedupTieBreak() {
    Row reopened = row("2021-03-05T12:00:00Z", "Reopened");
    // As text, "Reopened" > "Open, assigned": the dedup keeps it, whatever the order.
    List<String> expected = List.of(
        "2021-03-01T10:00:00.000Z → 2021-03-05T12:00:00.000Z (Open)",
        "2021-03-05T12:00:00.000Z → … (Reopened, current)");
    assertThat(history(List.of(MAR_01, MAR_05, reopened)), is(expected));
    assertThat(history(List.of(reopened, MAR_01, MAR_05)), is(expected));
  }

  @Test
  void aDeletionClosesTheLastInterval() {
    assertThat(history(List.of(MAR_01, MAR_05), Instant.parse("2021-03-07T00:00:00Z")), contains(
        "2021-03-01T10:00:00.000Z → 2021-03-05T12:00:00.000Z (Open)",
        "2021-03-05T12:00:00.000Z → 2021-03-07T00:00:00.000Z (Open, assigned)"));
  }

  @Test
  void aDeletionFollowedByANewerVersionLeavesAGapUntilTheKeyComesBack() {
    assertThat(
        history(List.of(MAR_09, MAR_01), Instant.parse("2021-03-07T00:00:00Z")),
        contains(
            "2021-03-01T10:00:00.000Z → 2021-03-07T00:00:00.000Z (Open)",
            "2021-03-09T08:30:00.000Z → … (Closed, current)"));
  }

  @Test
  void aDeletionAtAVersionsInstantLeavesItEmptyAndOnlyTheFirstDeletionCounts() {
    assertThat(
        history(List.of(MAR_01, MAR_05), Instant.parse("2021-03-06T00:00:00Z"),
            Instant.parse("2021-03-05T12:00:00Z"), Instant.parse("2021-02-01T00:00:00Z")),
        contains(
            "2021-03-01T10:00:00.000Z → 2021-03-05T12:00:00.000Z (Open)",
            "2021-03-05T12:00:00.000Z → 2021-03-05T12:00:00.000Z (Open, assigned)"));
  }

  @Test
  void rowsCarryTheIntervalAfterTheCleanFieldsAndBack() {
    Schema schema = VersionHistory.schema(CLEAN);
    List<VersionHistory.Interval> intervals = HISTORY.intervals(List.of(MAR_05, MAR_01), List.of());
    Row first = VersionHistory.toRow(schema, intervals.get(0));
    assertThat(first.getValues(), contains(1L, MAR_01.getDateTime("updated"), "Open",
        MAR_01.getDateTime("updated"), MAR_05.getDateTime("updated"), false));
    Row last = VersionHistory.toRow(schema, intervals.get(1));
    assertThat(last.getValue(VersionHistory.VALID_TO), is((Object) null));
    assertThat(last.getBoolean(VersionHistory.IS_CURRENT), is(true));
    assertThat(VersionHistory.version(CLEAN, first), is(MAR_01));
  }

  @Test
  void addedCountsNewVersionsAndThoseOlderThanTheNewestStored() {
    List<VersionHistory.Interval> intervals =
        HISTORY.intervals(List.of(MAR_01, MAR_05, MAR_09), List.of());
    VersionHistory.Added afterMar09 =
        VersionHistory.added(intervals, List.of(MAR_09.getDateTime("updated")));
    assertThat(afterMar09.versions, is(2L));
    assertThat(afterMar09.late, is(2L));
    VersionHistory.Added afterMar01 =
        VersionHistory.added(intervals, List.of(MAR_01.getDateTime("updated")));
    assertThat(afterMar01.versions, is(2L));
    assertThat(afterMar01.late, is(0L));
    assertThat(VersionHistory.added(intervals, List.of()).versions, is(3L));
  }

  @Test
  void aRowWithoutAVersionIsRefused() {
    Row undated = Row.withSchema(CLEAN).addValues(1L, null, "Open").build();
    assertThrows(IllegalArgumentException.class,
        () -> HISTORY.intervals(List.of(MAR_01, undated), List.of()));
  }
}
