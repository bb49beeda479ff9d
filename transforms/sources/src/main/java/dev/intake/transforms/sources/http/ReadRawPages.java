package dev.intake.transforms.sources.http;

import dev.intake.transforms.sources.http.RawPage;
import dev.intake.transforms.model.Schemas;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.sources.socrata.Page;
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
 * SourceRecord}s the fetching run produced, without calling the API. A page whose content no
 * longer matches its manifest's sha256 fails the pipeline.
 */
public final class ReadRawPages extends PTransform<PBegin, PCollection<SourceRecord>> {
  private final List<RawPage> pages;

  private ReadRawPages(List<RawPage> pages) {
    this.pages = pages;
  }

  /** Reads these manifest entries. */
  public static ReadRawPages of(List<RawPage> pages) {
    return new ReadRawPages(List.copyOf(pages));
  }

  @Override
  public PCollection<SourceRecord> expand(PBegin input) {
    return input
        .apply("Pages", Create.of(pages).withCoder(Schemas.coder(input.getPipeline(), RawPage.class)))
        .apply("SpreadPages", Reshuffle.viaRandomKey())
        .apply("ReadPages", ParDo.of(new ReadRawPageFn()))
        .setCoder(Schemas.coder(input.getPipeline(), SourceRecord.class));
  }

  static final class ReadRawPageFn extends DoFn<RawPage, SourceRecord> {
    @ProcessElement
    public void process(@Element RawPage page, OutputReceiver<SourceRecord> out) throws IOException {
      List<String> records = Page.splitRecords(RawPageStore.read(page));
      for (int i = 0; i < records.size(); i++) {
        out.output(SourceRecord.of(page.source(), 0, i, records.get(i), null));
      }
    }
  }
}
