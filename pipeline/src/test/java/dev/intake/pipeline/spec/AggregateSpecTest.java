package dev.intake.pipeline.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.pipeline.IntakePipeline;
import dev.intake.transforms.aggregate.TimeBucket;
import dev.intake.transforms.sinks.lake.Partitioner;
import java.time.LocalDate;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The aggregates section: buckets, measures, derived columns, and alignment with partitions. */
class AggregateSpecTest {
  private static final String SPEC =
      String.join(
          "\n",
          "name: t",
          "zone: America/Los_Angeles",
          "key: [id]",
          "version: updated",
          "fields:",
          "  - {name: id, type: long}",
          "  - {name: opened, type: timestamp}",
          "  - {name: closed, type: timestamp}",
          "  - {name: updated, type: timestamp}",
          "  - {name: kind, type: string}",
          "derived:",
          "  - {name: hours, function: hours_between, args: [opened, closed]}",
          "formats:",
          "  j: {kind: json, timestampPatterns: [\"yyyy-MM-dd'T'HH:mm:ss\"]}",
          "partition: {field: opened, granularity: month, name: opened_month}",
          "aggregates:",
          "  - name: agg",
          "    bucket: {field: opened, unit: week, name: week}",
          "    groupBy: [kind]",
          "    measures:",
          "      - {name: n, fn: count}",
          "      - {name: p50, fn: median, field: hours}",
          "");

  private static DatasetSpec parse(String from, String to) {
    return SpecLoader.parse("t.yaml", SPEC.replace(from, to));
  }

  /** The aggregate's lake partitioning, with the spec's own clean partitioner. */
  private static Partitioner lake(DatasetSpec spec) {
    return spec.aggregates().get(0).lakePartitioner(spec.partitioner());
  }

  @ParameterizedTest(name = "{0} in {1} partitions: {2}")
  @CsvSource({
    "DAY, DAY, true",
    "DAY, MONTH, true",
    "DAY, YEAR, true",
    "MONTH, DAY, false",
    "MONTH, MONTH, true",
    "MONTH, YEAR, true",
    "WEEK, DAY, false",
    "WEEK, MONTH, false",
    "WEEK, YEAR, false",
  })
  void aBucketOfThePartitionFieldIsAlignedWhenItLiesInOnePartition(
      TimeBucket.Unit unit, Partitioner.Granularity granularity, boolean aligned) {
    TimeBucket bucket = TimeBucket.of("opened", unit, "b", "UTC");
    assertThat(AggregatesParser.aligned(bucket, "opened", granularity), is(aligned));
  }

  @Test
  void noBucketOrABucketOfAnotherFieldIsNeverAligned() {
    TimeBucket onClosed = TimeBucket.of("closed", TimeBucket.Unit.DAY, "b", "UTC");
    assertThat(AggregatesParser.aligned(null, "opened", Partitioner.Granularity.YEAR), is(false));
    assertThat(
        AggregatesParser.aligned(onClosed, "opened", Partitioner.Granularity.YEAR), is(false));
  }

  @Test
  void alignedAggregateIsPartitionedLikeTheCleanRowsOnItsBucketColumn() {
    DatasetSpec spec = parse("unit: week, name: week", "unit: day, name: d");
    DatasetSpec.Aggregate daily = spec.aggregates().get(0);
    Schema out = daily.transform().outputSchema(IntakePipeline.cleanSchema(spec));
    Row row = Row.withSchema(out).addValues(LocalDate.of(2019, 3, 31), "a", 1L, null).build();

    assertThat(daily.bucketColumn(), is("d"));
    assertThat(lake(spec).name(), is("opened_month"));
    assertThat(lake(spec).field(), is("d"));
    assertThat(lake(spec).folderOf(row), is("opened_month=2019-03"));
  }

  @Test
  void monthBucketInMonthPartitionsIsAligned() {
    DatasetSpec spec = parse("unit: week, name: week", "unit: month, name: month");

    assertThat(lake(spec).field(), is("month"));
  }

  @Test
  void weekMonthInDayPartitionsAnotherFieldAndNoBucketAreUnaligned() {
    DatasetSpec week = parse("", "");
    DatasetSpec monthInDays =
        SpecLoader.parse(
            "t.yaml",
            SPEC.replace("granularity: month", "granularity: day")
                .replace("unit: week, name: week", "unit: month, name: month"));
    DatasetSpec onClosed = parse("field: opened, unit: week", "field: closed, unit: day");
    DatasetSpec none = parse("    bucket: {field: opened, unit: week, name: week}\n", "");

    assertThat(lake(week), nullValue());
    assertThat(lake(monthInDays), nullValue());
    assertThat(lake(onClosed), nullValue());
    assertThat(lake(none), nullValue());
    assertThat(none.aggregates().get(0).bucketColumn(), nullValue());
    assertThat(
        none.aggregates().get(0).transform().outputSchema(IntakePipeline.cleanSchema(none))
            .getFieldNames(),
        contains("kind", "n", "p50"));
  }

  @Test
  void dayIsShortForADayBucketNamedDay() {
    DatasetSpec shorthand = parse("bucket: {field: opened, unit: week, name: week}", "day: opened");
    DatasetSpec longhand = parse("unit: week, name: week", "unit: day, name: day");
    DatasetSpec.Aggregate s = shorthand.aggregates().get(0);
    DatasetSpec.Aggregate l = longhand.aggregates().get(0);

    assertThat(s.bucketColumn(), is("day"));
    assertThat(s.transform().bucket().toString(), is(l.transform().bucket().toString()));
    assertThat(
        s.transform().outputSchema(IntakePipeline.cleanSchema(shorthand)),
        is(l.transform().outputSchema(IntakePipeline.cleanSchema(longhand))));
    assertThat(lake(shorthand).field(), is("day"));
  }

  @Test
  void bucketNameDefaultsToTheUnit() {
    DatasetSpec spec = parse("unit: week, name: week", "unit: month");
    Schema.Field first =
        spec.aggregates().get(0).transform().outputSchema(IntakePipeline.cleanSchema(spec))
            .getField(0);

    assertThat(spec.aggregates().get(0).bucketColumn(), is("month"));
    assertThat(first.getName(), is("month"));
    assertThat(first.getType(), is(Schema.FieldType.logicalType(SqlTypes.DATE)));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "function: hours_between|function: minutes_between|t.yaml:12: unknown function 'minutes_between' (known: hours_between, days_between, date_part, date_trunc, coalesce, trim, lower, upper, collapse_whitespace, normalize, lookup, condition)",
        "args: [opened, closed]|args: [opened, kind]|t.yaml:12: hours_between: 'kind' is not a timestamp field",
        "fn: median|fn: mean|t.yaml:22: unknown measure function 'mean' (known: count, median, quantile, sum)",
        "{name: n, fn: count}|{name: n, fn: sum}|t.yaml:21: measure n: sum needs a field",
        "fn: median, field: hours|fn: median, field: kind|t.yaml:22: measure p50: median needs a numeric field",
        "fn: median, field: hours|fn: quantile, field: hours|t.yaml:22: measure p50: quantile needs q between 0 and 1",
        "fn: median, field: hours|fn: median, field: nope|t.yaml:22: aggregate agg: 'nope' is not a column",
        "groupBy: [kind]|groupBy: [nope]|t.yaml:19: aggregate agg: groupBy field 'nope' is not a column",
        "groupBy: [kind]|groupby: [kind]|t.yaml:19: unknown setting 'groupby' (known here: name, bucket, day, groupBy, pivot, measures)",
        "groupBy: [kind]|day: opened|t.yaml:19: aggregate agg: day is short for a bucket, so give day or bucket, not both",
        "bucket: {field: opened, unit: week, name: week}|day: kind|t.yaml:18: aggregate agg: day 'kind' is not a timestamp field",
        "unit: week|unit: fortnight|t.yaml:18: aggregate agg: bucket unit must be day, week, month or year, not 'fortnight'",
        "field: opened, unit|field: kind, unit|t.yaml:18: aggregate agg: bucket field 'kind' is not a timestamp or date field",
        "field: opened, unit|field: media, unit|t.yaml:18: aggregate agg: bucket field 'media' is not a timestamp or date field",
        "name: week}|name: week, size: 2}|t.yaml:18: unknown setting 'size' (known here: field, unit, name)",
        "name: week}|name: 2nd}|t.yaml:18: aggregate agg: bucket name '2nd' must be letters, digits and '_'",
        "name: week}|name: kind}|t.yaml:17: aggregate agg: column kind appears twice in the output",
        "unit: week, name: week|name: week|t.yaml:18: missing 'unit'",
      })
  void aggregateErrorsNameFileAndLine(String from, String to, String message) {
    String text = SPEC.replace(from, to);
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.parse("t.yaml", text));
    assertThat(e.getMessage(), is(message));
  }
}
