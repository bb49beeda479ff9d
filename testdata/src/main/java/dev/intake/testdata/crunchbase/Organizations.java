package dev.intake.testdata.crunchbase;

import dev.intake.testdata.http.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@code organizations} collection of the fake Crunchbase: entities by uuid, each a map of
 * properties in the order they are answered (key order varies between entities, as in the
 * recorded answers), and the deleted entities with their {@code deleted_at}. Thread-safe; every
 * read is a copy.
 */
public final class Organizations {
  /** A deleted entity as {@code deleted_entities} answers it. */
  public record Deleted(String uuid, Instant deletedAt) {}

  private final Map<String, Map<String, Object>> entities = new LinkedHashMap<>();
  private final Map<String, Deleted> deleted = new LinkedHashMap<>();
  private final Supplier<Instant> clock;

  Organizations(Supplier<Instant> clock) {
    this.clock = clock;
  }

  /** Crunchbase's datetime text: UTC, whole seconds, e.g. {@code 2020-06-07T03:40:05Z}. */
  public static String datetime(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Adds {@code count} generated organizations (seeded; see {@link OrganizationGenerator}) whose
   * {@code updated_at} falls in {@code [from, to)}; returns their uuids in the order made.
   */
  public List<String> generate(int count, long seed, Instant from, Instant to) {
    List<Map<String, Object>> made = new OrganizationGenerator(seed).organizations(count, from, to);
    List<String> uuids = new ArrayList<>();
    synchronized (this) {
      for (Map<String, Object> e : made) {
        String uuid = (String) e.get("uuid");
        entities.put(uuid, e);
        deleted.remove(uuid);
        uuids.add(uuid);
      }
    }
    return uuids;
  }

  /**
   * Adds the entities of a recorded search answer ({@code {"count", "entities": [{"uuid",
   * "properties"}]}}) as they are, {@code updated_at} included.
   */
  @SuppressWarnings("unchecked")
  public synchronized void loadSearchAnswer(String json) {
    Map<String, Object> answer = (Map<String, Object>) Json.parse(json);
    for (Object o : (List<Object>) answer.get("entities")) {
      Map<String, Object> e = (Map<String, Object>) o;
      Map<String, Object> props = copy((Map<String, Object>) e.get("properties"));
      String uuid = (String) e.get("uuid");
      props.putIfAbsent("uuid", uuid);
      entities.put(uuid, props);
    }
  }

  /**
   * Adds or changes an entity: {@code properties} (which must hold {@code uuid}) replace the named
   * properties, a null value removes one, and {@code updated_at} becomes the server's now. An
   * entity that was deleted comes back (and leaves the deleted entities). Returns the new {@code
   * updated_at}.
   */
  public synchronized String upsert(Map<String, Object> properties) {
    String uuid = (String) properties.get("uuid");
    Objects.requireNonNull(uuid, "properties must hold a uuid");
    Map<String, Object> e = entities.computeIfAbsent(uuid, k -> new LinkedHashMap<>());
    e.putIfAbsent("uuid", uuid);
    properties.forEach((k, v) -> {
      if (v == null) {
        e.remove(k);
      } else {
        e.put(k, Json.parse(Json.write(v)));
      }
    });
    String updated = datetime(clock.get());
    e.put("updated_at", updated);
    deleted.remove(uuid);
    return updated;
  }

  /**
   * Deletes an entity: it leaves the searches and joins the deleted entities with {@code
   * deleted_at} = the server's now.
   *
   * @throws IllegalArgumentException if there is no such entity
   */
  public synchronized Instant delete(String uuid) {
    if (entities.remove(uuid) == null) {
      throw new IllegalArgumentException("no organization " + uuid);
    }
    Instant at = clock.get().truncatedTo(ChronoUnit.SECONDS);
    deleted.put(uuid, new Deleted(uuid, at));
    return at;
  }

  /** A copy of an entity's properties, or null. */
  public synchronized Map<String, Object> entity(String uuid) {
    Map<String, Object> e = entities.get(uuid);
    return e == null ? null : copy(e);
  }

  /** The number of (not deleted) entities. */
  public synchronized int size() {
    return entities.size();
  }

  /** Copies of every entity, in insertion order. */
  public synchronized List<Map<String, Object>> all() {
    List<Map<String, Object>> out = new ArrayList<>();
    entities.values().forEach(e -> out.add(copy(e)));
    return out;
  }

  /** The deleted entities, newest {@code deleted_at} first, then by uuid. */
  public synchronized List<Deleted> deleted() {
    List<Deleted> out = new ArrayList<>(deleted.values());
    out.sort(Comparator.comparing(Deleted::deletedAt).reversed()
        .thenComparing(Deleted::uuid));
    return out;
  }

  /** Whether {@code uuid} is a current or deleted entity. */
  synchronized boolean known(String uuid) {
    return entities.containsKey(uuid) || deleted.containsKey(uuid);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copy(Map<String, Object> e) {
    return (Map<String, Object>) Json.parse(Json.write(e));
  }
}
