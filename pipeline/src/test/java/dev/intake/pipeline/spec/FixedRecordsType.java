package dev.intake.pipeline.spec;

import dev.intake.transforms.model.Schemas;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.sources.ApiSource;
import dev.intake.transforms.sources.ApiTuning;
import dev.intake.transforms.sources.SourceType;
import dev.intake.transforms.sources.SpecSection;
import dev.intake.transforms.sources.TimeWindow;
import dev.intake.transforms.sources.http.RawPage;
import dev.intake.transforms.sources.http.ReadRawPages;
import dev.intake.transforms.sources.http.RecordSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * A source type for tests, registered in this module's test resources: an "API" whose records are
 * listed in the spec itself.
 *
 * <pre>
 * source:
 *   type: fixed
 *   format: api_json            # required
 *   records: ['{"id": "1"}']    # the records, in order
 *   label: demo                 # optional, for describe()
 *   paging: {size: 10}          # optional section; size within [1, 100], default 10
 * </pre>
 */
public final class FixedRecordsType implements SourceType {
  @Override
  public String name() {
    return "fixed";
  }

  @Override
  public ApiSource configure(SpecSection section) {
    section.allowOnly("type", "format", "records", "label", "paging");
    List<String> records = section.texts("records");
    if (records.isEmpty()) {
      throw section.error("records", "a fixed source lists at least one record");
    }
    SpecSection paging = section.section("paging", false);
    int size = paging == null ? 10 : paging.integer("size", 10, 1, 100);
    String label = section.has("label") ? section.text("label", true) : "fixed";
    return new FixedRecords(section.text("format", true), records, label, size);
  }

  /** The configured source: its records, label and page size. */
  static final class FixedRecords implements ApiSource {
    final String format;
    final List<String> records;
    final String label;
    final int pageSize;

    FixedRecords(String format, List<String> records, String label, int pageSize) {
      this.format = format;
      this.records = List.copyOf(records);
      this.label = label;
      this.pageSize = pageSize;
    }

    @Override
    public String type() {
      return "fixed";
    }

    @Override
    public String format() {
      return format;
    }

    @Override
    public List<String> secretEnvs() {
      return List.of();
    }

    @Override
    public Prepared prepare(ApiTuning tuning, Consumer<String> log) {
      log.accept("reading " + records.size() + " fixed record(s)");
      return new Prepared() {
        @Override
        public String describe() {
          return label + " (" + records.size() + " record(s))";
        }

        @Override
        public PTransform<PBegin, PCollection<SourceRecord>> read(
            List<TimeWindow> windows, String rawDirectory) {
          return new CreateRecords(FixedRecords.this);
        }
      };
    }

    @Override
    public PTransform<PBegin, PCollection<SourceRecord>> replay(List<RawPage> pages) {
      return ReadRawPages.of(pages, RecordSelector.rootArray());
    }
  }

  /** The records of a fixed source, {@code pageSize} to a "page". */
  private static final class CreateRecords
      extends PTransform<PBegin, PCollection<SourceRecord>> {
    private final FixedRecords source;

    CreateRecords(FixedRecords source) {
      this.source = source;
    }

    @Override
    public PCollection<SourceRecord> expand(PBegin input) {
      List<SourceRecord> list = new ArrayList<>();
      for (int i = 0; i < source.records.size(); i++) {
        list.add(SourceRecord.of(source.label + "/page=" + (i / source.pageSize), 0,
            i % source.pageSize, source.records.get(i), null));
      }
      return input.apply(
          Create.of(list).withCoder(Schemas.coder(input.getPipeline(), SourceRecord.class)));
    }
  }
}
