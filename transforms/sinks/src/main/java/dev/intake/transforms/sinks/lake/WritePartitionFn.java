package dev.intake.transforms.sinks.lake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/** Writes each partition's rows, grouped, with {@link PartitionFiles}. */
class WritePartitionFn extends DoFn<KV<String, Iterable<Row>>, WrittenFile> {
  private final PartitionFiles files;

  WritePartitionFn(PartitionFiles files) {
    this.files = files;
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<Row>> partition, OutputReceiver<WrittenFile> out)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    partition.getValue().forEach(rows::add);
    files.write(partition.getKey(), rows).forEach(out::output);
  }
}
