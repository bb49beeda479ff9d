package dev.intake.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.sinks.lake.Partitioner;
import java.util.List;
import java.util.Locale;

/**
 * Reads a spec's {@code partition}: the timestamp field, granularity (day, month, year) and folder
 * name of the lake's partitions.
 */
final class PartitionParser {
  final Partitioner partitioner;
  final Partitioner.Granularity granularity;

  private PartitionParser(Partitioner partitioner, Partitioner.Granularity granularity) {
    this.partitioner = partitioner;
    this.granularity = granularity;
  }

  /** Reads {@code root.partition}; the field must be a timestamp that is not dropped. */
  static PartitionParser parse(
      SpecNodes nodes, JsonNode root, String zone, List<FieldDef> fields, List<String> dropped) {
    JsonNode p = root.get("partition");
    if (p == null) {
      throw nodes.error(
          root, "missing 'partition' (field, granularity and name of the lake partitions)");
    }
    nodes.known(p, "field", "granularity", "name");
    String field = nodes.text(p, "field", true);
    FieldDef def = SpecNodes.byName(fields, field);
    if (def == null || def.type() != FieldType.TIMESTAMP) {
      throw nodes.error(p.get("field"), "partition field '" + field + "' is not a timestamp field");
    }
    String g = nodes.text(p, "granularity", true);
    Partitioner.Granularity granularity;
    try {
      granularity = Partitioner.Granularity.valueOf(g.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw nodes.error(
          p.get("granularity"), "granularity must be day, month or year, not '" + g + "'");
    }
    String name = nodes.text(p, "name", true);
    if (dropped.contains(field)) {
      throw nodes.error(p, "partition field '" + field + "' is dropped (pii: drop)");
    }
    return new PartitionParser(Partitioner.of(name, field, granularity, zone), granularity);
  }
}
