package dev.intake.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.pipeline.spec.DatasetSpec;
import dev.intake.pipeline.spec.SpecException;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.sinks.warehouse.SchemaRecord;
import dev.intake.transforms.sinks.warehouse.TableChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a run moves the dataset from the schema version its lake and warehouse hold to the one its
 * spec describes. Allowed changes become {@link TableChange}s applied inside the run's commit and
 * one line each in the run summary: a new field, a type widened (int → long → double), a field
 * retired or renamed as the spec declares, a new derived column, measure or aggregate. A derived
 * column, measure or aligned aggregate added to a dataset with stored partitions is back-filled
 * in the partitions a run rewrites; until then those partitions are <em>pending</em> and listed.
 *
 * <p>Refused changes throw a {@link SpecException} naming the spec file and what to do, before
 * anything is written: a changed key or partition, a narrowed or incompatible type, a removed
 * field (unless retired, or renamed with {@code renamedFrom}), a removed derived column, measure
 * or aggregate.
 *
 * <p>Tables written before schema versions were recorded have no stored version: the spec's
 * columns they lack are added as above, and the spec is recorded as version 1.
 */
final class SchemaEvolution {
  private static final ObjectMapper JSON = new ObjectMapper();

  final SchemaVersion current;
  /** The version number this run records: the stored one, or the next when the schema changed. */
  final int version;
  /** Every allowed change, as the run summary lists it. */
  final List<String> changes = new ArrayList<>();
  /** The warehouse changes, in order. */
  final List<TableChange> tableChanges = new ArrayList<>();
  /** Column ("table.column", or a new aggregate's table) to the partitions that lack it. */
  final Map<String, List<String>> pending = new LinkedHashMap<>();
  /** Derived columns to compute again on the stored rows a run rewrites. */
  final List<String> backfill = new ArrayList<>();

  private final DatasetSpec spec;
  private final DatasetOutputs outputs;

  private SchemaEvolution(DatasetSpec spec, DatasetOutputs outputs, SchemaVersion current,
      int version) {
    this.spec = spec;
    this.outputs = outputs;
    this.current = current;
    this.version = version;
  }

  /**
   * Plans the move from {@code stored} (null before the first recorded version) to the spec's
   * schema; {@code partitions} are the stored partition folders of the clean data.
   *
   * @throws SpecException for a refused change
   */
  static SchemaEvolution plan(DatasetSpec spec, DatasetOutputs outputs, SchemaRecord stored,
      List<String> partitions) {
    return plan(spec, outputs, stored, partitions, Map.of());
  }

  /**
   * As {@link #plan(DatasetSpec, DatasetOutputs, SchemaRecord, List)}; when nothing is recorded
   * yet, {@code existing} (table name to its columns) describes tables written before schema
   * versions were recorded: the spec's columns they lack are added, as for a new version.
   */
  static SchemaEvolution plan(DatasetSpec spec, DatasetOutputs outputs, SchemaRecord stored,
      List<String> partitions, Map<String, List<String>> existing) {
    SchemaVersion current = SchemaVersion.of(spec);
    if (stored == null) {
      SchemaEvolution e = new SchemaEvolution(spec, outputs, current, 1);
      e.addMissing(existing, partitions);
      return e;
    }
    boolean same = current.fingerprint().equals(stored.fingerprint);
    SchemaEvolution e = new SchemaEvolution(spec, outputs, current,
        same ? stored.version : stored.version + 1);
    e.carryPending(stored.pending);
    if (!same) {
      e.diff(SchemaVersion.fromJson(stored.content), partitions);
    }
    spec.derived().stream().map(d -> d.name())
        .filter(d -> e.pending.containsKey(outputs.clean.table.name() + "." + d))
        .forEach(e.backfill::add);
    return e;
  }

  /**
   * Adds the spec's columns that existing tables (of no recorded version) lack. A table with a
   * column the spec does not have was not written by an earlier version of this spec: it is left
   * to the table check, which names every difference.
   */
  private void addMissing(Map<String, List<String>> existing, List<String> partitions) {
    String clean = outputs.clean.table.name();
    List<String> cleanColumns = existing.getOrDefault(clean, List.of());
    List<String> specColumns = new ArrayList<>(current.fields.keySet());
    specColumns.addAll(current.derived.keySet());
    if (!cleanColumns.isEmpty() && specColumns.containsAll(cleanColumns)) {
      current.fields.forEach((f, type) -> {
        if (!cleanColumns.contains(f)) {
          changes.add("added field " + f + " (" + type + ")");
          tableChanges.add(TableChange.add(clean, f, type));
        }
      });
      current.derived.forEach((d, type) -> {
        if (!cleanColumns.contains(d)) {
          changes.add("added derived column " + d + " (" + type + ")");
          tableChanges.add(TableChange.add(clean, d, type));
          lacking(clean + "." + d, partitions);
          backfill.add(d);
        }
      });
    }
    for (DatasetOutputs.Output a : outputs.aggregates) {
      List<String> columns = existing.getOrDefault(a.table.name(), List.of());
      if (columns.isEmpty()
          || !current.aggregates.get(a.aggregate).keySet().containsAll(columns)) {
        continue;
      }
      current.aggregates.get(a.aggregate).forEach((c, type) -> {
        if (!columns.contains(c)) {
          changes.add("added measure " + a.aggregate + "." + c + " (" + type + ")");
          tableChanges.add(TableChange.add(a.table.name(), c, type));
          if (a.scope == DatasetOutputs.Scope.TOUCHED_PARTITIONS) {
            lacking(a.table.name() + "." + c, partitions);
          }
        }
      });
    }
  }

  private void carryPending(String json) {
    if (json == null) {
      return;
    }
    try {
      pending.putAll(JSON.readValue(json, new TypeReference<Map<String, List<String>>>() {}));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not a pending back-fill: " + e.getOriginalMessage(), e);
    }
  }

  private void diff(SchemaVersion stored, List<String> partitions) {
    if (!stored.key.equals(current.key)) {
      throw refused("the key changed from " + stored.key + " to " + current.key + ": a stored"
          + " dataset keeps its key; restore key: " + stored.key + ", or load the data as a new"
          + " dataset (another name)");
    }
    if (!stored.partition.equals(current.partition)) {
      throw refused("the partition changed from " + stored.partition + " to "
          + current.partition + ": stored partitions are not re-cut; restore partition: "
          + stored.partition + ", or load the data as a new dataset (another name)");
    }
    String clean = outputs.clean.table.name();
    fields(stored, clean);
    derived(stored, clean, partitions);
    aggregates(stored, partitions);
  }

  private void fields(SchemaVersion stored, String clean) {
    Map<String, String> renamedTo = new LinkedHashMap<>();
    current.renamedFrom.forEach((field, old) -> renamedTo.put(old, field));
    for (Map.Entry<String, String> f : stored.fields.entrySet()) {
      String name = f.getKey();
      String newName = current.fields.containsKey(name) ? name : renamedTo.get(name);
      if (newName == null || !current.fields.containsKey(newName)) {
        throw refused("field '" + name + "' is stored but no longer in the spec; keep it with"
            + " retired: true (null from now on), or, if it was renamed, declare renamedFrom: "
            + name + " on its new name");
      }
      if (!newName.equals(name)) {
        changes.add("renamed field " + name + " to " + newName);
        tableChanges.add(TableChange.rename(clean, name, newName, f.getValue()));
      }
      widen("field '" + newName + "'", clean, newName, f.getValue(), current.fields.get(newName),
          "add a new field of type " + current.fields.get(newName));
    }
    for (Map.Entry<String, String> f : current.fields.entrySet()) {
      String old = current.renamedFrom.get(f.getKey());
      if (!stored.fields.containsKey(f.getKey())
          && (old == null || !stored.fields.containsKey(old))) {
        changes.add("added field " + f.getKey() + " (" + f.getValue() + ")");
        tableChanges.add(TableChange.add(clean, f.getKey(), f.getValue()));
      }
    }
    for (String r : current.retired) {
      if (!stored.retired.contains(r)) {
        changes.add("retired field " + r + " (null from now on)");
      }
    }
  }

  private void derived(SchemaVersion stored, String clean, List<String> partitions) {
    for (Map.Entry<String, String> d : stored.derived.entrySet()) {
      if (!current.derived.containsKey(d.getKey())) {
        throw refused("derived column '" + d.getKey() + "' is stored but no longer in the spec;"
            + " restore it in derived (a stored derived column cannot be removed)");
      }
      widen("derived column '" + d.getKey() + "'", clean, d.getKey(), d.getValue(),
          current.derived.get(d.getKey()), "add a new derived column");
    }
    for (Map.Entry<String, String> d : current.derived.entrySet()) {
      if (!stored.derived.containsKey(d.getKey())) {
        changes.add("added derived column " + d.getKey() + " (" + d.getValue() + ")");
        tableChanges.add(TableChange.add(clean, d.getKey(), d.getValue()));
        lacking(clean + "." + d.getKey(), partitions);
      }
    }
  }

  private void aggregates(SchemaVersion stored, List<String> partitions) {
    for (Map.Entry<String, Map<String, String>> a : stored.aggregates.entrySet()) {
      Map<String, String> now = current.aggregates.get(a.getKey());
      if (now == null) {
        throw refused("aggregate '" + a.getKey() + "' is stored but no longer in the spec; restore"
            + " it in aggregates (a stored aggregate cannot be removed)");
      }
      DatasetOutputs.Output out = aggregate(a.getKey());
      String table = out.table.name();
      for (Map.Entry<String, String> c : a.getValue().entrySet()) {
        if (!now.containsKey(c.getKey())) {
          throw refused("column '" + c.getKey() + "' of aggregate '" + a.getKey() + "' is stored"
              + " but no longer in the spec; restore it (a stored measure or group cannot be"
              + " removed)");
        }
        widen("column '" + c.getKey() + "' of aggregate '" + a.getKey() + "'", table,
            c.getKey(), c.getValue(), now.get(c.getKey()), "add a new measure");
      }
      for (Map.Entry<String, String> c : now.entrySet()) {
        if (!a.getValue().containsKey(c.getKey())) {
          changes.add("added measure " + a.getKey() + "." + c.getKey() + " (" + c.getValue()
              + ")");
          tableChanges.add(TableChange.add(table, c.getKey(), c.getValue()));
          if (out.scope == DatasetOutputs.Scope.TOUCHED_PARTITIONS) {
            lacking(table + "." + c.getKey(), partitions);
          }
        }
      }
    }
    for (String a : current.aggregates.keySet()) {
      if (!stored.aggregates.containsKey(a)) {
        changes.add("added aggregate " + a);
        DatasetOutputs.Output out = aggregate(a);
        if (out.scope == DatasetOutputs.Scope.TOUCHED_PARTITIONS) {
          lacking(out.table.name(), partitions);
        }
      }
    }
  }

  private DatasetOutputs.Output aggregate(String name) {
    for (DatasetOutputs.Output o : outputs.aggregates) {
      if (name.equals(o.aggregate)) {
        return o;
      }
    }
    throw new IllegalStateException("no output of aggregate " + name);
  }

  /** A stored column of {@code from} type may become {@code to}: the same, or wider. */
  private void widen(String what, String table, String column, String from, String to,
      String instead) {
    if (from.equals(to)) {
      return;
    }
    FieldType stored = FieldType.named(from);
    FieldType now = FieldType.named(to);
    if (stored == null || now == null || !stored.widensTo(now)) {
      throw refused(what + " is stored as " + from + " and the spec says " + to + ": a type can"
          + " only widen (int → long → double); restore type: " + from + ", or " + instead);
    }
    changes.add("widened " + what.replace("'", "") + " from " + from + " to " + to);
    tableChanges.add(TableChange.widen(table, column, to));
  }

  private void lacking(String column, List<String> partitions) {
    if (!partitions.isEmpty()) {
      pending.put(column, List.copyOf(partitions));
    }
  }

  private SpecException refused(String why) {
    return new SpecException(spec.file(), 0, "refused schema change: " + why);
  }

  /** What is still pending once a run rewrote {@code touched}: nothing of those partitions. */
  Map<String, List<String>> pendingAfter(List<String> touched) {
    Map<String, List<String>> after = new LinkedHashMap<>();
    pending.forEach((column, partitions) -> {
      List<String> left = new ArrayList<>(partitions);
      left.removeAll(touched);
      if (!left.isEmpty()) {
        after.put(column, left);
      }
    });
    return after;
  }

  /** The warehouse's record of the version, once a run rewrote {@code touched}. */
  SchemaRecord record(String runId, List<String> touched) {
    return new SchemaRecord(spec.name(), version, current.fingerprint(), current.toJson(),
        json(pendingAfter(touched)), runId);
  }

  /** The lake's record of the version (a JSON file), once a run rewrote {@code touched}. */
  String lakeRecord(String runId, List<String> touched) {
    ObjectNode n = JSON.createObjectNode();
    n.put("dataset", spec.name());
    n.put("version", version);
    n.put("fingerprint", current.fingerprint());
    n.set("schema", JSON.valueToTree(current));
    n.set("pending", JSON.valueToTree(pendingAfter(touched)));
    n.put("runId", runId);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
