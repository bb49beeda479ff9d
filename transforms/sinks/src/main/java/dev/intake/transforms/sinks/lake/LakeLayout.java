package dev.intake.transforms.sinks.lake;

/**
 * Where a dataset's outputs live under the lake root (a local folder or {@code s3://bucket/prefix}).
 *
 * <pre>
 * clean/&lt;dataset&gt;/&lt;partition&gt;=&lt;value&gt;/part-*.parquet
 * aggregates/&lt;dataset&gt;_&lt;name&gt;/&lt;partition&gt;=&lt;value&gt;/part-*.parquet
 * deadletter/&lt;dataset&gt;/run=&lt;id&gt;/part-*.parquet
 * tombstones/&lt;dataset&gt;/run=&lt;id&gt;/part-*.parquet   (deleted keys, for sources with deletions)
 * history/&lt;dataset&gt;/&lt;partition&gt;=&lt;value&gt;/part-*.parquet  (every version, if asked)
 * runs/&lt;dataset&gt;/&lt;run id&gt;.json
 * schemas/&lt;dataset&gt;/v&lt;NNNN&gt;.json   (each version of the dataset's schema)
 * raw/&lt;dataset&gt;/ingest_date=&lt;YYYY-MM-DD&gt;/run=&lt;id&gt;/page-*.json.gz + manifest.jsonl
 * _staging/&lt;dataset&gt;/&lt;run id&gt;/…   (a run's outputs until its commit)
 * </pre>
 */
public final class LakeLayout {
  private final String root;
  private final String dataset;

  public LakeLayout(String root, String dataset) {
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.dataset = dataset;
  }

  public String root() {
    return root;
  }

  public String dataset() {
    return dataset;
  }

  public String clean() {
    return root + "/clean/" + dataset + "/";
  }

  public String aggregate(String name) {
    return root + "/aggregates/" + dataset + "_" + name + "/";
  }

  public String deadLetters(String runId) {
    return root + "/deadletter/" + dataset + "/run=" + runId + "/";
  }

  /** Every run's tombstones (deleted keys), one folder per run. */
  public String tombstones() {
    return root + "/tombstones/" + dataset + "/";
  }

  public String tombstones(String runId) {
    return tombstones() + "run=" + runId + "/";
  }

  /** The version history, partitioned like the clean dataset (by each version's own value). */
  public String history() {
    return root + "/history/" + dataset + "/";
  }

  public String runSummary(String runId) {
    return root + "/runs/" + dataset + "/" + runId + ".json";
  }

  /** The record of version {@code version} of the dataset's schema. */
  public String schemaVersion(int version) {
    return root + "/schemas/" + dataset + "/" + String.format(java.util.Locale.ROOT, "v%04d.json",
        version);
  }

  /** The raw folder of a run that fetches API pages, dated by the run's start (UTC). */
  public String raw(String runId, String ingestDate) {
    return root + "/raw/" + dataset + "/ingest_date=" + ingestDate + "/run=" + runId + "/";
  }

  /** A glob matching the manifest of a run's raw pages, whatever its ingest date. */
  public String rawManifest(String runId) {
    return root + "/raw/" + dataset + "/ingest_date=*/run=" + runId + "/manifest.jsonl";
  }

  public String stagingRoot() {
    return root + "/_staging/" + dataset + "/";
  }

  public Staging staging(String runId) {
    return new Staging(stagingRoot() + runId + "/");
  }

  /** The staging folders of one run. */
  public static final class Staging {
    private final String dir;

    Staging(String dir) {
      this.dir = dir;
    }

    public String dir() {
      return dir;
    }

    public String clean() {
      return dir + "clean/";
    }

    public String aggregate(String name) {
      return dir + "aggregates/" + name + "/";
    }

    public String deadLetters() {
      return dir + "deadletter/";
    }

    public String tombstones() {
      return dir + "tombstones/";
    }

    public String history() {
      return dir + "history/";
    }

    public String tallies() {
      return dir + "tallies/tallies.jsonl";
    }

    public String journal() {
      return dir + "_COMMIT.json";
    }
  }
}
