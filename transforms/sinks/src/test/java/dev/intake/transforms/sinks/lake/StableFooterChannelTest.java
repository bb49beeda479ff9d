package dev.intake.transforms.sinks.lake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

class StableFooterChannelTest {
  private static final Schema SCHEMA =
      SchemaBuilder.record("r").fields().optionalLong("id").optionalString("status").endRecord();

  /** A small Parquet file as parquet-mr writes it, straight to memory. */
  private static byte[] parquet(int rows) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ParquetIO.Sink sink = ParquetIO.sink(SCHEMA).withCompressionCodec(CompressionCodecName.SNAPPY);
    sink.open(Channels.newChannel(bytes));
    for (int i = 0; i < rows; i++) {
      GenericRecord r = new GenericData.Record(SCHEMA);
      r.put("id", (long) i);
      r.put("status", i % 3 == 0 ? null : "s" + (i % 5));
      sink.write(r);
    }
    sink.flush();
    return bytes.toByteArray();
  }

  private static int footerStart(byte[] file) {
    int length = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    return file.length - 8 - length;
  }

  private static FileMetaData footer(byte[] file) throws IOException {
    int start = footerStart(file);
    return Util.readFileMetaData(new ByteArrayInputStream(file, start, file.length - 8 - start));
  }

  /** The file with every column chunk's encodings in the order {@code order} gives. */
  private static byte[] withEncodingOrder(byte[] file, Comparator<Encoding> order)
      throws IOException {
    FileMetaData f = footer(file);
    for (RowGroup g : f.getRow_groups()) {
      for (ColumnChunk c : g.getColumns()) {
        c.getMeta_data().getEncodings().sort(order);
      }
    }
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    Util.writeFileMetaData(f, footer);
    byte[] out = file.clone();
    System.arraycopy(footer.toByteArray(), 0, out, footerStart(file), footer.size());
    return out;
  }

  private static byte[] throughChannel(byte[] file, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (StableFooterChannel c = new StableFooterChannel(Channels.newChannel(out))) {
      for (int i = 0; i < file.length; i += chunk) {
        c.write(ByteBuffer.wrap(file, i, Math.min(chunk, file.length - i)));
      }
    }
    return out.toByteArray();
  }

  private static List<List<Integer>> encodings(byte[] file) throws IOException {
    List<List<Integer>> out = new ArrayList<>();
    for (RowGroup g : footer(file).getRow_groups()) {
      for (ColumnChunk c : g.getColumns()) {
        out.add(c.getMeta_data().getEncodings().stream().map(Encoding::getValue).toList());
      }
    }
    return out;
  }

  @Test
  void encodingsInAnyOrderGiveTheSameBytes() throws IOException {
    byte[] written = parquet(1000);
    byte[] ascending = withEncodingOrder(written, Comparator.comparingInt(Encoding::getValue));
    byte[] descending =
        withEncodingOrder(written, Comparator.comparingInt(Encoding::getValue).reversed());
    // The two orders differ as files; the footer's encodings are what makes them differ.
    assertThat(Arrays.equals(ascending, descending), equalTo(false));
    assertThat(encodings(written).get(0).size(), greaterThan(1));

    assertThat(throughChannel(descending, 7), equalTo(ascending));
    assertThat(throughChannel(ascending, 1 << 20), equalTo(ascending));
    assertThat(encodings(throughChannel(descending, 100)).get(1),
        contains(encodings(ascending).get(1).toArray()));
  }

  @Test
  void aFileLongerThanTheHeldBackTailPassesThroughWhole() throws IOException {
    byte[] big = parquet(1);
    byte[] padded = new byte[StableFooterChannel.TAIL_BYTES * 3 + big.length];
    // Bytes before a valid footer are passed on untouched, however many there are.
    System.arraycopy(big, 0, padded, padded.length - big.length, big.length);
    byte[] out = throughChannel(padded, 1 << 16);
    assertThat(out.length, equalTo(padded.length));
    assertThat(Arrays.equals(out, 0, padded.length - big.length, padded, 0,
        padded.length - big.length), equalTo(true));
  }

  @Test
  void somethingThatIsNotParquetFailsTheWrite() {
    IOException e = assertThrows(IOException.class,
        () -> throughChannel("hello, world".getBytes(java.nio.charset.StandardCharsets.UTF_8), 4));
    assertThat(e.getMessage(), containsString("does not end in PAR1"));
  }
}
