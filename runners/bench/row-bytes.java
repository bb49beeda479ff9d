import java.io.ByteArrayOutputStream;
import java.io.File;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.values.Row;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * The size of a clean row as the shuffles carry it: reads a lake's clean Parquet files, turns each
 * record into a Beam Row of the files' schema and prints the mean RowCoder-encoded bytes per row.
 *
 * <pre>java -cp runners/target/intake.jar runners/bench/row-bytes.java LAKE/clean/sf311 [maxRows]</pre>
 */
public class RowBytes {
  public static void main(String[] args) throws Exception {
    long max = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
    long rows = 0;
    long bytes = 0;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (File f : files(new File(args[0]))) {
      try (ParquetReader<GenericRecord> r =
          AvroParquetReader.<GenericRecord>builder(new LocalFile(f)).build()) {
        GenericRecord g;
        Schema schema = null;
        RowCoder coder = null;
        while (rows < max && (g = r.read()) != null) {
          if (schema == null) {
            schema = AvroUtils.toBeamSchema(g.getSchema());
            coder = RowCoder.of(schema);
          }
          Row row = AvroUtils.toBeamRowStrict(g, schema);
          out.reset();
          coder.encode(row, out);
          bytes += out.size();
          rows++;
        }
      }
    }
    System.out.printf("rows %d, RowCoder bytes per row %.1f%n", rows, (double) bytes / rows);
  }

  /** A local file as Parquet reads it, without Hadoop's file systems. */
  private record LocalFile(File file) implements InputFile {
    @Override
    public long getLength() {
      return file.length();
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      FileChannel ch = FileChannel.open(file.toPath(), StandardOpenOption.READ);
      return new DelegatingSeekableInputStream(Channels.newInputStream(ch)) {
        @Override
        public long getPos() throws IOException {
          return ch.position();
        }

        @Override
        public void seek(long pos) throws IOException {
          ch.position(pos);
        }
      };
    }
  }

  private static java.util.List<File> files(File dir) {
    java.util.List<File> all = new java.util.ArrayList<>();
    File[] children = dir.listFiles();
    if (children == null) {
      return all;
    }
    for (File c : children) {
      if (c.isDirectory()) {
        all.addAll(files(c));
      } else if (c.getName().endsWith(".parquet")) {
        all.add(c);
      }
    }
    return all;
  }
}
