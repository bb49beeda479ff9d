package dev.intake.transforms.sources;

import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.sources.http.RawPage;
import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * An API a dataset is read from, as its spec's {@code source} section configured it (see {@link
 * SourceType}): what to request, how to page, where the records are in an answer, and which
 * environment variables hold its secrets. Immutable and serializable; holds secret <em>names</em>,
 * never their values, which are read where requests are sent.
 *
 * <p>A run first calls {@link #prepare} (checks the access with one request, so a bad credential or
 * an unknown dataset is reported before anything is written), then {@link #read} for the run's
 * time windows, or {@link #replay} for the raw pages of an earlier run.
 */
public interface ApiSource extends Serializable {
  /** The spec's {@code source.type}. */
  String type();

  /** The name of the spec format (among the spec's {@code formats}) of the records it yields. */
  String format();

  /** How this source's deletion records read, or null when the source reports no deletions. */
  default Deletions deletions() {
    return null;
  }

  /**
   * How a deletion record names what was deleted: the spec {@code format} (a json format) that maps
   * it to the dataset's key fields, and the JSON path of its deletion time ({@code deletedAt}).
   */
  record Deletions(String format, String deletedAt) implements Serializable {}

  /** The environment variables this source reads secrets from (for scans and messages). */
  List<String> secretEnvs();

  /**
   * This source as the run will use it with {@code tuning}: checks access with one request and
   * reports, through {@code log}, what it decided (e.g. reading without an optional token).
   *
   * @throws SourceAccessException if the API refuses (one line, no secrets)
   * @throws IllegalArgumentException if {@code tuning} is outside what the protocol allows
   */
  Prepared prepare(ApiTuning tuning, Consumer<String> log);

  /**
   * Reads the stored pages of an earlier run again, checked against their sha256, into the same
   * records the fetching run produced, without calling the API (so without {@link #prepare}).
   */
  PTransform<PBegin, PCollection<SourceRecord>> replay(List<RawPage> pages);

  /** A source checked and tuned for one run. */
  interface Prepared extends Serializable {
    /** What is read, for the run summary, without secrets: e.g. "https://host vw6y-z8j6 :updated_at". */
    String describe();

    /**
     * Reads every record whose window field falls in one of {@code windows}, storing each page as
     * received under {@code rawDirectory} with a manifest line; records name their window and page.
     */
    PTransform<PBegin, PCollection<SourceRecord>> read(List<TimeWindow> windows, String rawDirectory);

    /**
     * A counter of the records per range, opened now on the driver (secrets read from the
     * environment), for {@link WindowPlanner}; null (the default) when the API cannot count,
     * and the run then reads fixed windows. The caller closes it.
     */
    default WindowCounter counter() {
      return null;
    }

    /**
     * Reads every deletion the source reports (records of {@link ApiSource#deletions()}),
     * storing its pages under {@code rawDirectory}; null when the source reports none. A deletion
     * read again in a later run changes nothing (its tombstone is already kept).
     */
    default PTransform<PBegin, PCollection<SourceRecord>> readDeletions(String rawDirectory) {
      return null;
    }

    /**
     * Reads only the keys of the records whose {@code rangeField} (a floating timestamp in {@code
     * zone}) falls in one of {@code windows}: records holding at least {@code keyFields}, named
     * as in the source's format, for a reconciliation that finds keys that vanished from the
     * source. Null when the protocol cannot read keys alone.
     */
    default PTransform<PBegin, PCollection<SourceRecord>> readKeys(List<String> keyFields,
        String rangeField, java.time.ZoneId zone, List<TimeWindow> windows,
        String rawDirectory) {
      return null;
    }
  }
}
