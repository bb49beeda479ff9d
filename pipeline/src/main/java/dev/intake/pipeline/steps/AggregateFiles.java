package dev.intake.pipeline.steps;

import dev.intake.transforms.sinks.lake.PartitionFiles;
import dev.intake.transforms.sinks.lake.Partitioner;
import dev.intake.transforms.sinks.lake.WriteParquet;
import dev.intake.transforms.sinks.lake.WrittenFile;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * Writes the rows of an aggregate aligned with the lake's partitions, one partition at a time,
 * where they are computed ({@link RewriteTouchedPartitions#aggregating}): the same files as {@code
 * write} makes of them, without the shuffle of a write step, and the count of rows written under
 * the aggregate's output name, as {@link WriteOutput} counts them.
 */
final class AggregateFiles implements Serializable {
  private final String output;
  private final Partitioner partitioner;
  private final PartitionFiles files;

  private AggregateFiles(String output, Partitioner partitioner, PartitionFiles files) {
    this.output = output;
    this.partitioner = partitioner;
    this.files = files;
  }

  /**
   * Writes rows of {@code rows} as {@code write} (partitioned like the clean rows) writes them,
   * counted under {@code output}.
   */
  static AggregateFiles of(String output, WriteParquet write, Schema rows) {
    if (write.partitioner() == null) {
      throw new IllegalArgumentException(
          "the aggregate " + output + " is not partitioned, so it cannot be written by partition");
    }
    return new AggregateFiles(output, write.partitioner(), write.partitionFiles(rows));
  }

  /**
   * Writes {@code rows} (the aggregate of the clean partition {@code partition}, sorted in place)
   * as that partition's files; returns the count of rows written, or null when there were none.
   *
   * @throws IllegalStateException if a row falls in another partition (the aggregate's groups
   *     would then span partitions, and two partitions would write the same files)
   */
  KV<TallyKey, Long> write(String partition, List<Row> rows) throws IOException {
    for (Row r : rows) {
      String folder = partitioner.folderOf(r);
      if (!folder.equals(partition)) {
        throw new IllegalStateException("a row of the aggregate " + output + " computed in "
            + partition + " falls in " + folder + ": " + r);
      }
    }
    long written = 0;
    for (WrittenFile f : files.write(partition, rows)) {
      written += f.getRows();
    }
    return written == 0 ? null : KV.of(TallyKey.of(TallyKey.Kind.ROWS, output), written);
  }
}
