package dev.intake.transforms.sources.http;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import dev.intake.transforms.model.Schemas;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.sources.TimeWindow;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Reads an API's records whose window field falls in the given time windows, one {@link
 * SourceRecord} per record (source {@code window=…/page=N}, offset = index in the page), with the
 * {@link WindowFetcher}s a {@link WindowFetcher.Factory} opens (one per run and worker process,
 * opened in {@code @Setup}, so its retry budget is the process's).
 *
 * <p>Windows are spread over the workers; each worker process keeps at most {@link
 * #withMaxConcurrentRequests} requests in flight (default 4). A window with more than the
 * fetcher's page cap ({@link WindowTooLargeException}) is split in two and read again. Every page
 * is first stored as received, gzip-compressed, under the raw folder with a {@code
 * manifest.jsonl} line (request, sha256, bytes, records, time), so the run can be replayed with
 * {@link ReadRawPages}. Retries, backoff and paging are the fetcher's; a request that fails beyond
 * its retries fails the pipeline.
 */
public final class ReadApiPages extends PTransform<PBegin, PCollection<SourceRecord>> {
  private final WindowFetcher.Factory fetchers;
  private final List<TimeWindow> windows;
  private final String rawDirectory;
  private final int maxConcurrentRequests;

  private ReadApiPages(
      WindowFetcher.Factory fetchers, List<TimeWindow> windows, String rawDirectory,
      int maxConcurrent) {
    this.fetchers = fetchers;
    this.windows = windows;
    this.rawDirectory = rawDirectory;
    this.maxConcurrentRequests = maxConcurrent;
  }

  /**
   * Reads {@code windows} with the fetchers of {@code fetchers}; pages go to {@code rawDirectory}
   * (a folder, local or any Beam filesystem, ending in "/").
   */
  public static ReadApiPages of(
      WindowFetcher.Factory fetchers, List<TimeWindow> windows, String rawDirectory) {
    checkArgumentNotNull(fetchers, "fetchers must not be null");
    checkArgumentNotNull(rawDirectory, "rawDirectory must not be null");
    return new ReadApiPages(fetchers, List.copyOf(windows), rawDirectory, 4);
  }

  public ReadApiPages withMaxConcurrentRequests(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("maxConcurrentRequests must be > 0, but was " + n);
    }
    return new ReadApiPages(fetchers, windows, rawDirectory, n);
  }

  @Override
  public PCollection<SourceRecord> expand(PBegin input) {
    TupleTag<SourceRecord> records = new TupleTag<>() {};
    TupleTag<RawPage> pages = new TupleTag<>() {};
    Coder<TimeWindow> windowCoder = Schemas.coder(input.getPipeline(), TimeWindow.class);
    PCollectionTuple fetched =
        input
            .apply("Windows", Create.of(windows).withCoder(windowCoder))
            .apply("SpreadWindows", Reshuffle.viaRandomKey())
            .apply(
                "FetchPages",
                ParDo.of(new FetchWindowsFn(
                        fetchers, rawDirectory, maxConcurrentRequests, records, pages))
                    .withOutputTags(records, TupleTagList.of(pages)));
    fetched
        .get(pages)
        .setCoder(Schemas.coder(input.getPipeline(), RawPage.class))
        .apply("ManifestLines", MapElements.into(TypeDescriptors.strings()).via(RawPage::toJson))
        .apply(
            "WriteManifest",
            TextIO.write().to(rawDirectory + "manifest").withSuffix(".jsonl").withoutSharding());
    return fetched.get(records).setCoder(Schemas.coder(input.getPipeline(), SourceRecord.class));
  }
}
