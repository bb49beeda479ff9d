package dev.intake.transforms.sources.http;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import dev.intake.transforms.sources.http.RawPage;
import dev.intake.transforms.model.Schemas;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.sources.TimeWindow;
import dev.intake.transforms.sources.socrata.SocrataConfig;
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
 * Reads a Socrata dataset's rows whose window field falls in the given time windows, one {@link
 * SourceRecord} per row (source {@code window=…/page=N}, offset = index in the page).
 *
 * <p>Windows are spread over the workers; each worker process keeps at most {@link
 * #withMaxConcurrentRequests} requests in flight. A window with more than the client's page cap is
 * split in two and read again. Every page is first stored as received, gzip-compressed, under the
 * raw folder with a {@code manifest.jsonl} line (request, sha256, bytes, records, time), so the
 * run can be replayed with {@link ReadRawPages}. Retries, backoff and paging are the client's; a
 * request that fails beyond its retries fails the pipeline.
 */
public final class ReadApiPages extends PTransform<PBegin, PCollection<SourceRecord>> {
  private final SocrataConfig config;
  private final List<TimeWindow> windows;
  private final String rawDirectory;
  private final int maxConcurrentRequests;

  private ReadApiPages(
      SocrataConfig config, List<TimeWindow> windows, String rawDirectory, int maxConcurrent) {
    this.config = config;
    this.windows = windows;
    this.rawDirectory = rawDirectory;
    this.maxConcurrentRequests = maxConcurrent;
  }

  /** Reads {@code windows} with a client configured by {@code config}; pages go to {@code rawDirectory}. */
  public static ReadApiPages of(SocrataConfig config, List<TimeWindow> windows, String rawDirectory) {
    checkArgumentNotNull(config, "config must not be null");
    checkArgumentNotNull(rawDirectory, "rawDirectory must not be null");
    return new ReadApiPages(config, List.copyOf(windows), rawDirectory, 4);
  }

  public ReadApiPages withMaxConcurrentRequests(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("maxConcurrentRequests must be > 0, but was " + n);
    }
    return new ReadApiPages(config, windows, rawDirectory, n);
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
                ParDo.of(new FetchWindowsFn(config, rawDirectory, maxConcurrentRequests, records, pages))
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
