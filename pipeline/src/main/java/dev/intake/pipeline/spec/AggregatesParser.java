package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.aggregate.AggregateRows;
import dev.intake.transforms.aggregate.Measure;
import dev.intake.transforms.aggregate.Pivot;
import dev.intake.transforms.aggregate.TimeBucket;
import dev.intake.transforms.sinks.lake.Partitioner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Reads a spec's {@code aggregates}: each has a name, an optional time bucket, group fields,
 * measures ({@link MeasuresParser}) and an optional pivot of the measures ({@link PivotParser}):
 *
 * <pre>
 * - name: weekly
 *   bucket: {field: requested_datetime, unit: week, name: week}   # day, week, month or year
 *   groupBy: [service_name]
 *   measures: [{name: opened, fn: count}]
 * </pre>
 *
 * <p>The bucket's field is a timestamp or a date field. A list field in {@code groupBy} is
 * exploded: a row counts once under each distinct element (an empty or null list: under null).
 * The bucket's {@code name} (its DATE column) defaults to the unit. {@code day: <field>} is
 * short for {@code bucket: {field: <field>, unit: day, name: day}}. Each aggregate is checked
 * against the clean schema, and classified as aligned with the lake's partitions or not ({@link
 * #aligned}).
 */
final class AggregatesParser {
  private final SpecNodes nodes;
  private final String zone;
  private final Schema cleanSchema;
  private final PartitionParser partition;

  private AggregatesParser(
      SpecNodes nodes, String zone, Schema cleanSchema, PartitionParser partition) {
    this.nodes = nodes;
    this.zone = zone;
    this.cleanSchema = cleanSchema;
    this.partition = partition;
  }

  /** The aggregates of {@code root.aggregates} (none when absent). */
  static List<DatasetSpec.Aggregate> parse(
      SpecNodes nodes, JsonNode root, String zone, Schema cleanSchema, PartitionParser partition) {
    AggregatesParser parser = new AggregatesParser(nodes, zone, cleanSchema, partition);
    List<DatasetSpec.Aggregate> aggregates = new ArrayList<>();
    JsonNode aggList = nodes.list(root, "aggregates", false);
    if (aggList != null) {
      for (JsonNode a : aggList) {
        aggregates.add(parser.aggregate(a));
      }
    }
    return aggregates;
  }

  /**
   * Whether every bucket lies inside one partition of the lake, so that an aggregate can be
   * written partitioned like the clean rows and recomputed with the partitions a run touches: the
   * bucket is of the partition field, and a day lies in any partition, a month in a month or a
   * year, a year in a year, a week in none (weeks cross months and years).
   */
  static boolean aligned(
      TimeBucket bucket, String partitionField, Partitioner.Granularity granularity) {
    if (bucket == null || !bucket.field().equals(partitionField)) {
      return false;
    }
    switch (bucket.unit()) {
      case DAY:
        return true;
      case MONTH:
        return granularity != Partitioner.Granularity.DAY;
      case YEAR:
        return granularity == Partitioner.Granularity.YEAR;
      default:
        return false;
    }
  }

  private DatasetSpec.Aggregate aggregate(JsonNode a) {
    nodes.known(a, "name", "bucket", "day", "groupBy", "pivot", "measures");
    String name = nodes.text(a, "name", true);
    TimeBucket bucket = bucket(a, name);
    List<String> groups = new ArrayList<>();
    JsonNode g = nodes.list(a, "groupBy", false);
    if (g != null) {
      for (JsonNode f : g) {
        if (!cleanSchema.hasField(f.asText())) {
          throw nodes.error(
              f, "aggregate " + name + ": groupBy field '" + f.asText() + "' is not a column");
        }
        groups.add(f.asText());
      }
    }
    List<Measure> measures = new ArrayList<>();
    for (JsonNode m : nodes.list(a, "measures", true)) {
      measures.add(MeasuresParser.parse(nodes, m, name, cleanSchema));
    }
    if (measures.isEmpty()) {
      throw nodes.error(a, "aggregate " + name + " has no measures");
    }
    AggregateRows transform = AggregateRows.of(groups, measures);
    if (bucket != null) {
      transform = transform.withBucket(bucket);
    }
    Pivot pivot = PivotParser.parse(nodes, a, name, cleanSchema, groups);
    if (pivot != null) {
      transform = transform.withPivot(pivot);
    }
    try {
      transform.outputSchema(cleanSchema);
    } catch (IllegalArgumentException e) {
      throw nodes.error(a, "aggregate " + name + ": " + e.getMessage());
    }
    return new DatasetSpec.Aggregate(
        name, transform, aligned(bucket, partition.partitioner.field(), partition.granularity));
  }

  private TimeBucket bucket(JsonNode a, String aggregate) {
    JsonNode b = a.get("bucket");
    if (a.has("day")) {
      if (b != null) {
        throw nodes.error(a.get("day"), "aggregate " + aggregate
            + ": day is short for a bucket, so give day or bucket, not both");
      }
      String day = nodes.text(a, "day", true);
      if (!isTimestamp(day)) {
        throw nodes.error(a.get("day"),
            "aggregate " + aggregate + ": day '" + day + "' is not a timestamp field");
      }
      return TimeBucket.of(day, TimeBucket.Unit.DAY, "day", zone);
    }
    if (b == null) {
      return null;
    }
    nodes.known(b, "field", "unit", "name");
    String field = nodes.text(b, "field", true);
    if (!cleanSchema.hasField(field)
        || !TimeBucket.accepts(cleanSchema.getField(field).getType())) {
      throw nodes.error(b.get("field"), "aggregate " + aggregate + ": bucket field '" + field
          + "' is not a timestamp or date field");
    }
    String unitName = nodes.text(b, "unit", true);
    TimeBucket.Unit unit = TimeBucket.Unit.named(unitName);
    if (unit == null) {
      throw nodes.error(b.get("unit"), "aggregate " + aggregate
          + ": bucket unit must be day, week, month or year, not '" + unitName + "'");
    }
    String column = nodes.text(b, "name", false);
    if (column == null) {
      column = unit.name().toLowerCase(Locale.ROOT);
    } else if (!column.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw nodes.error(b.get("name"), "aggregate " + aggregate + ": bucket name '" + column
          + "' must be letters, digits and '_'");
    }
    return TimeBucket.of(field, unit, column, zone);
  }

  private boolean isTimestamp(String column) {
    return cleanSchema.hasField(column)
        && cleanSchema.getField(column).getType().getTypeName() == Schema.TypeName.DATETIME;
  }
}
