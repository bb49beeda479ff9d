package dev.intake.transforms.sources.http;

import dev.intake.transforms.model.Schemas;
import dev.intake.transforms.model.SourceRecord;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads API pages back from the raw layer, as listed in a run's manifest, into the same {@link
 * SourceRecord}s the fetching run produced, without calling the API: each page is cut into records
 * by the source's {@link RecordSelector}. A page whose content no longer matches its manifest's
 * sha256, or that the selector cannot cut, fails the pipeline.
 */
public final class ReadRawPages extends PTransform<PBegin, PCollection<SourceRecord>> {
  private final List<RawPage> pages;
  private final RecordSelector selector;

  private ReadRawPages(List<RawPage> pages, RecordSelector selector) {
    this.pages = pages;
    this.selector = selector;
  }

  /** Reads these manifest entries, cutting each page with {@code selector}. */
  public static ReadRawPages of(List<RawPage> pages, RecordSelector selector) {
    if (pages == null || selector == null) {
      throw new IllegalArgumentException("pages and selector must not be null");
    }
    return new ReadRawPages(List.copyOf(pages), selector);
  }

  @Override
  public PCollection<SourceRecord> expand(PBegin input) {
    return input
        .apply("Pages",
            Create.of(pages).withCoder(Schemas.coder(input.getPipeline(), RawPage.class)))
        .apply("SpreadPages", Reshuffle.viaRandomKey())
        .apply("ReadPages", ParDo.of(new ReadRawPageFn(selector)))
        .setCoder(Schemas.coder(input.getPipeline(), SourceRecord.class));
  }

  static final class ReadRawPageFn extends DoFn<RawPage, SourceRecord> {
    private final RecordSelector selector;

    ReadRawPageFn(RecordSelector selector) {
      this.selector = selector;
    }

    @ProcessElement
    public void process(@Element RawPage page, OutputReceiver<SourceRecord> out)
        throws IOException {
      List<String> records = selector.records(RawPageStore.read(page));
      for (int i = 0; i < records.size(); i++) {
        out.output(SourceRecord.of(page.source(), 0, i, records.get(i), null));
      }
    }
  }
}
